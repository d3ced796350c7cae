"""Form fields every app needs."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zielsteuerung.numbers import NumberFormatError, format_decimal, parse_decimal


class GermanDecimalInput(forms.TextInput):
    """A text box that shows ``25,4`` and offers the number keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)):
            return format_decimal(value, grouping=False).replace("\u2212", "-")
        return super().format_value(value)


class GermanDecimalField(forms.DecimalField):
    """Accepts ``25,4``, ``25.4``, ``3.489`` and ``1.234,56``."""

    widget = GermanDecimalInput
    default_error_messages = {
        "invalid": _(
            "Bitte eine Zahl eingeben, z. B. 25,4 oder 3.489 (auch 25.4 ist möglich)."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except NumberFormatError as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from exc

    def widget_attrs(self, widget):
        # No min/max/step attributes: the widget is a text box, not type=number.
        return {}
