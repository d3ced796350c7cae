"""The steps of a month's workflow (complete, accept, reopen) and its history.

The provider is fetched through the policy's scope (another provider's month
answers 404); whether a step is allowed is asked of ``approval.TRANSITIONS``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import approval, services
from .models import MonthAction, MonthlyValueChange, ReportingMonthEvent
from .months import month_label
from .reporting_forms import ReopenMonthForm
from .views import provider_for


def _month(request, regional_key, month, action):
    """The provider and its month, if ``action`` is a step the user may take."""
    provider = provider_for(request.user, regional_key)
    reporting = services.reporting_month_for(provider, month)
    if action not in approval.available_actions(request.user, reporting):
        raise PermissionDenied(_("Diesen Schritt dürfen Sie jetzt nicht ausführen."))
    return provider, reporting


@require_POST
def month_complete(request, regional_key, month):
    provider, _reporting = _month(request, regional_key, month, MonthAction.COMPLETE)
    try:
        approval.reporting_month_complete(
            provider=provider, month=month, acting_user=request.user
        )
    except approval.MonthNotReady as error:
        messages.error(
            request,
            _("%(month)s kann noch nicht als vollständig gemeldet werden: %(why)s")
            % {"month": month_label(month), "why": " ".join(error.problems)},
        )
    else:
        messages.success(
            request,
            _(
                "%(month)s ist als vollständig gemeldet. Das Ministerium kann den "
                "Monat jetzt abnehmen."
            )
            % {"month": month_label(month)},
        )
    return redirect("indicators:grid", provider.regional_key, month)


@require_POST
def month_accept(request, regional_key, month):
    provider, _reporting = _month(request, regional_key, month, MonthAction.ACCEPT)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        approval.reporting_month_accept(
            provider=provider, month=month, version=version, acting_user=request.user
        )
    except services.MonthConflict:
        messages.error(
            request,
            _(
                "Die Werte wurden geändert, nachdem Sie die Seite geöffnet haben. "
                "Bitte prüfen Sie sie und nehmen Sie den Monat dann ab."
            ),
        )
    else:
        messages.success(
            request,
            _("%(month)s ist abgenommen und damit gesperrt.")
            % {"month": month_label(month)},
        )
    return redirect("indicators:grid", provider.regional_key, month)


def month_reopen(request, regional_key, month):
    provider, reporting = _month(request, regional_key, month, MonthAction.REOPEN)
    form = ReopenMonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approval.reporting_month_reopen(
            provider=provider,
            month=month,
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
        messages.success(
            request,
            _("%(month)s ist wieder geöffnet.") % {"month": month_label(month)},
        )
        return redirect("indicators:grid", provider.regional_key, month)
    return render(
        request,
        "indicators/month_reopen.html",
        {
            "provider": provider,
            "month": month,
            "month_label": month_label(month),
            "reporting": reporting,
            "form": form,
        },
    )


def month_history(request, regional_key, month):
    """Every step of the month's workflow and every change of its values."""
    provider = provider_for(request.user, regional_key)
    events = ReportingMonthEvent.objects.filter(
        reporting_month__provider=provider, reporting_month__month=month
    ).select_related("acted_by")
    changes = (
        MonthlyValueChange.objects.filter(
            monthly_value__provider=provider, monthly_value__month=month
        )
        .select_related("monthly_value__element", "changed_by", "source_import")
        .order_by("-changed_at", "-pk")
    )
    return render(
        request,
        "indicators/month_history.html",
        {
            "provider": provider,
            "month": month,
            "month_label": month_label(month),
            "events": events,
            "changes": changes,
        },
    )
