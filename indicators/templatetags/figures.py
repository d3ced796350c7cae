"""Template filters for monthly figures: {% load figures %}."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def figure(value, element):
    """A value in its element's unit: ``3.489`` or ``1.234,56 €``."""
    if value is None or value == "":
        return ""
    return element.display(value)


@register.filter
def sex_code(sex):
    """``total`` → ``insgesamt`` (as in files and URLs)."""
    from indicators.models import SEX_FILE_CODES

    return SEX_FILE_CODES.get(sex, sex)


# How the cockpit shows a month's reporting state: short text and a class
# for the colour. The text always says it; colour only repeats it.
_STATE_SHORT = {
    "not_required": "–",
    "not_due": _("nicht fällig"),
    "due": _("fällig"),
    "overdue": _("überfällig"),
    "reported": "t-0",
    "final": "t-3",
}
_STATE_CLASS = {
    "not_required": "state-none",
    "not_due": "state-not-due",
    "due": "state-due",
    "overdue": "state-overdue",
    "reported": "state-reported",
    "final": "state-final",
}


@register.filter
def state_short(state):
    """The short text of a reporting state for table cells."""
    return _STATE_SHORT.get(state, state)


@register.filter
def state_class(state):
    return _STATE_CLASS.get(state, "")


@register.filter
def sex_label(sex):
    """``women`` → ``Frauen``."""
    from indicators.models import Sex

    return Sex(sex).label


@register.filter
def status_label(status):
    """``t3`` → ``t-3 (endgültig)``."""
    from indicators.models import DataStatus

    return DataStatus(status).label
