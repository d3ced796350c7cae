"""Template filters for monthly figures: {% load figures %}."""

from django import template

from zielsteuerung.numbers import format_decimal

register = template.Library()


@register.filter
def figure(value, element):
    """A value in its element's unit: ``3.489`` or ``1.234,56 €``."""
    if value is None or value == "":
        return ""
    if element.whole_numbers:
        return format_decimal(value, 0)
    return format_decimal(value, 2) + " €"


@register.filter
def sex_code(sex):
    """``total`` → ``insgesamt`` (as in files and URLs)."""
    from indicators.models import SEX_FILE_CODES

    return SEX_FILE_CODES.get(sex, sex)
