"""Pages for monthly figures: index, year overview, entry grid, value history.

Every provider is fetched through ``policy.providers_visible_to(user)``, so
another provider's page answers 404. Whether the user may change figures is
asked of the policy module; templates get ``can_edit``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy
from zielsteuerung.page_cache import cached_page, data_version

from . import approval, services, validation
from .forms import MonthGridForm, format_for_input, grid_layout
from .models import (
    SEX_BY_FILE_CODE,
    SEX_FILE_CODES,
    DataElement,
    MonthAction,
    MonthApproval,
    Sex,
)
from .months import add_months, month_label


def provider_for(user, regional_key):
    """The provider with ``regional_key`` if ``user`` may see it; 404 otherwise."""
    return get_object_or_404(
        policy.providers_visible_to(user).select_related("supervisor"),
        regional_key=regional_key,
    )


def index(request):
    """The providers the user may see; provider staff go straight to their own."""
    providers = policy.providers_visible_to(request.user).order_by("name")
    year = timezone.localdate().year
    if not policy.is_ministry_user(request.user):
        provider = providers.first()
        if provider is None:
            raise Http404
        return redirect(
            "indicators:year", regional_key=provider.regional_key, year=year
        )
    return render(
        request,
        "indicators/index.html",
        {
            "providers": providers,
            "year": year,
            "can_import": policy.providers_with_editable_figures(request.user).exists(),
        },
    )


def month_grid(request, regional_key, month):
    provider = provider_for(request.user, regional_key)
    if request.method == "POST":
        return _month_grid_post(request, provider, month)
    reporting = services.reporting_month_for(provider, month)
    # The finished page comes from the shared cache while nothing it shows
    # changed: values and their history (of this and the reference months),
    # the month's state and steps, elements, names (data_version), the
    # month's own state, today, and what the user may do with it.
    parts = [
        "indicators/grid.html",
        provider.pk,
        month,
        timezone.localdate(),
        data_version(),
        [reporting.pk, reporting.version, reporting.data_status, reporting.approval],
        policy.can_edit_figures(request.user, provider),
        policy.figure_changes_need_reason(request.user),
        approval.available_actions(request.user, reporting),
    ]
    return cached_page(
        request,
        parts,
        lambda extra: _month_grid_page(request, provider, month, reporting, extra),
    )


def _month_grid_page(request, provider, month, reporting, extra):
    """The grid as it stands, with nothing posted, over the month its key names."""
    rows, reporting = services.month_grid(provider, month, reporting)
    form = MonthGridForm(
        rows=rows,
        reporting=reporting,
        need_reason=policy.figure_changes_need_reason(request.user),
    )
    return _render_grid(request, provider, month, form, reporting, None, extra)


def _month_grid_post(request, provider, month):
    if not policy.can_edit_figures(request.user, provider):
        raise PermissionDenied(_("Sie dürfen diese Monatswerte nicht ändern."))
    rows, reporting = services.month_grid(provider, month)
    if reporting.is_locked:
        messages.error(request, services.MonthLocked(reporting).args[0])
        return redirect("indicators:grid", provider.regional_key, month)
    need_reason = policy.figure_changes_need_reason(request.user)
    form = MonthGridForm(
        request.POST, rows=rows, reporting=reporting, need_reason=need_reason
    )
    outcome = _post(request, form, provider, month, reporting)
    if isinstance(outcome, HttpResponse):
        return outcome
    form, theirs, reporting = outcome
    return _render_grid(request, provider, month, form, reporting, theirs)


def _post(request, form, provider, month, reporting):
    """A redirect after saving, or (form, their values, month) to show again."""
    need_reason = "reason" in form.fields
    if request.POST.get("version") != str(reporting.version):
        return _conflict_form(request, provider, month, need_reason)
    if not form.is_valid():  # the page's error summary lists every problem
        return form, None, reporting
    try:
        changed = _save(form, provider, month, request.user)
    except services.MonthConflict:  # saved in between: caught under the row lock
        return _conflict_form(request, provider, month, need_reason)
    except IntegrityError:  # a first save of the month raced ours and won
        return _conflict_form(request, provider, month, need_reason)
    except services.MonthLocked as locked:  # accepted in between
        messages.error(request, locked.args[0])
        return redirect("indicators:grid", provider.regional_key, month)
    messages.success(request, _saved_message(changed))
    return redirect("indicators:grid", provider.regional_key, month)


def _save(form, provider, month, user):
    data = form.cleaned_data
    return services.month_values_save(
        provider=provider,
        month=month,
        values=data["values"],
        comments=data["comments"],
        data_status=data["data_status"],
        version=data["version"],
        reason=data.get("reason", ""),
        status_reason=data.get("status_reason", ""),
        acting_user=user,
    )


def _saved_message(changed):
    if changed == 0:
        return _("Gespeichert: keine Werte geändert.")
    if changed == 1:
        return _("Gespeichert: 1 Wert geändert.")
    return _("Gespeichert: %(count)s Werte geändert.") % {"count": changed}


def _conflict_form(request, provider, month, need_reason):
    """The form again over the values saved meanwhile, with what was typed.

    Fields left empty take the other person's value; typed values stay, and
    the other's differing values are shown beside them; a month the other
    person made final stays final. The version becomes
    the current one, so saving again overwrites on purpose, not by accident.
    """
    rows, reporting = services.month_grid(provider, month)
    data = request.POST.copy()
    data["version"] = str(reporting.version)
    if validation.downgrade_needs_reason(
        reporting.data_status, data.get("data_status"), has_values=True
    ):  # the other person made the month final: keep it so
        data["data_status"] = reporting.data_status
    theirs = {}
    for row in rows:
        for cell in row.cells.values():
            saved = format_for_input(cell.value, row.element)
            typed = data.get(cell.name, "").strip()
            if not typed:
                data[cell.name] = saved
            elif cell.value is not None and typed != saved:
                theirs[cell.name] = cell.value
    messages.error(
        request,
        _(
            "Jemand anderes hat diesen Monat gespeichert, nachdem Sie ihn geöffnet "
            "haben. Es wurde nichts überschrieben. Bitte prüfen Sie die markierten "
            "Werte und speichern Sie erneut."
        ),
    )
    form = MonthGridForm(data, rows=rows, reporting=reporting, need_reason=need_reason)
    return form, theirs, reporting


def _render_grid(request, provider, month, form, reporting, theirs, extra=None):
    can_edit = policy.can_edit_figures(request.user, provider) and not (
        reporting.is_locked
    )
    return render(
        request,
        "indicators/grid.html",
        {
            "provider": provider,
            "month": month,
            "month_label": month_label(month),
            "previous_month": add_months(month, -1),
            "next_month": add_months(month, 1),
            "form": form,
            "rows": grid_layout(form, theirs, _history_urls(provider, month)),
            "reporting": reporting,
            "can_edit": can_edit,
            "can_import": policy.can_edit_figures(request.user, provider),
            "conflict": theirs is not None,
            **_workflow(request.user, reporting),
            **(extra or {}),
        },
    )


def _history_urls(provider, month):
    """``(element, sex) → address of the value's history`` for one month."""

    def history_url(element, sex):
        return reverse(
            "indicators:history",
            args=[provider.regional_key, month, element.code, SEX_FILE_CODES[sex]],
        )

    return history_url


def _workflow(user, reporting):
    """What the page says and offers about completing and accepting the month."""
    actions = approval.available_actions(user, reporting)
    last_step = None
    if reporting.pk and reporting.approval != MonthApproval.OPEN:
        last_step = reporting.events.select_related("acted_by").first()
    return {
        "last_step": last_step,
        "can_complete": MonthAction.COMPLETE in actions,
        "can_accept": MonthAction.ACCEPT in actions,
        "can_reopen": MonthAction.REOPEN in actions,
    }


def value_history(request, regional_key, month, code, sex_code):
    provider = provider_for(request.user, regional_key)
    element = get_object_or_404(DataElement, code=code)
    sex = SEX_BY_FILE_CODE.get(sex_code)
    if sex is None or sex not in element.sexes:
        raise Http404
    return render(
        request,
        "indicators/history.html",
        {
            "provider": provider,
            "month": month,
            "month_label": month_label(month),
            "element": element,
            "sex_label": Sex(sex).label,
            "changes": services.value_history(provider, month, element, sex),
        },
    )


def year_overview(request, regional_key, year):
    provider = provider_for(request.user, regional_key)
    if not 2000 <= year <= 2100:
        raise Http404
    elements, rows = services.year_overview(provider, year)
    return render(
        request,
        "indicators/year.html",
        {
            "provider": provider,
            "year": year,
            "elements": elements,
            "rows": rows,
            "can_edit": policy.can_edit_figures(request.user, provider),
        },
    )
