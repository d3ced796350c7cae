"""Names of organisations and how agreements decline them.

Ministry editors correct the official names, the Jobcenter's name, the seat
and the grammar (article and declined forms) of their ministry and its
providers; new agreements and every agreement not yet signed take them over.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zielsteuerung import versioning
from zielsteuerung.versioning import EditConflict

from . import grammar, policy, services
from .models import Organisation


class OrganisationNamesForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "jobcenter_name",
            "seat",
            "state_name",
            "gender",
            "name_nominative",
            "name_dative",
            "name_accusative",
            "signatory_salutation",
            "signatory_function",
            "signatory_name",
        ]
        help_texts = {
            "gender": gettext_lazy("Der Artikel vor dem Namen: der, die oder das."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_ministry:
            del self.fields["jobcenter_name"]
        else:
            del self.fields["state_name"]
        self.fields["gender"].required = True

    def clean(self):
        cleaned = super().clean()
        for name in ("name_nominative", "name_dative", "name_accusative"):
            if not cleaned.get(name, "").strip():
                self.add_error(
                    name,
                    _(
                        "Bitte die Form des Namens eintragen, wie sie nach dem Artikel "
                        "steht; im Zweifel den Namen selbst."
                    ),
                )
        return cleaned


def phrases(organisation):
    """How agreements state the name: „zwischen dem …“, „Für das …“."""
    names = grammar.forms(
        organisation.name,
        organisation.gender,
        organisation.name_nominative,
        organisation.name_dative,
        organisation.name_accusative,
    )
    return [
        _("… schließen %(name)s …") % {"name": names.with_article(0)},
        _("zwischen %(name)s …") % {"name": names.with_article(1)},
        _("Für %(name)s") % {"name": names.with_article(2)},
    ]


def organisation_names(request, pk):
    organisation = get_object_or_404(
        policy.organisations_visible_to(request.user), pk=pk
    )
    if not policy.can_edit_organisation_names(request.user, organisation):
        raise PermissionDenied(
            _("Sie dürfen die Namen dieser Organisation nicht ändern.")
        )
    if request.method != "POST":
        organisation.fill_grammar()  # show the guess: it is what gets printed
    form = OrganisationNamesForm(request.POST or None, instance=organisation)
    current = services.organisation_version(organisation)
    context = {
        "organisation": organisation,
        "form": form,
        "phrases": phrases(form.instance),
        "next": request.GET.get("zurueck", ""),
        "version": versioning.posted_version(request, current),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_names_update(
                organisation=organisation,
                form=form,
                version=context["version"],
                acting_user=request.user,
            )
        except EditConflict as conflict:
            history = Organisation.history.filter(id=organisation.pk)
            since = versioning.part(context["version"], 0)
            changes = versioning.their_changes(history, since, form.fields)
            versioning.mark_conflicts([(form, changes)])
            context["version"] = conflict.version
            return render(
                request, "accounts/organisation_names.html", context, status=409
            )
        messages.success(
            request,
            _(
                "Die Namen sind gespeichert. Vereinbarungen, die noch nicht "
                "unterzeichnet sind, übernehmen sie beim nächsten Speichern, bei "
                "der Endfassung und bei der Unterzeichnung."
            ),
        )
        return redirect("organisation_names", pk=organisation.pk)
    return render(request, "accounts/organisation_names.html", context)
