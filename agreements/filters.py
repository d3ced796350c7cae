import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zielsteuerung.accounts import policy

from .models import Agreement, AgreementStatus


class AgreementFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label=_("Jahr"), empty_label=_("alle Jahre"))
    provider = django_filters.ModelChoiceFilter(
        label=_("Träger"), queryset=None, empty_label=_("alle Träger")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AgreementStatus.choices, empty_label=_("alle")
    )

    class Meta:
        model = Agreement
        fields = ["year", "provider", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            self.queryset.order_by("-year").values_list("year", flat=True).distinct()
        )
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]
        self.filters["provider"].queryset = policy.providers_visible_to(user).order_by(
            "name"
        )
        for filter_ in self.filters.values():
            filter_.extra["widget"] = forms.Select(attrs={"class": "form-select"})
