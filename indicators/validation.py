"""Rules every monthly value must follow, shared by the grid and the import.

Pure functions over text and Decimals: no ORM, no request.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from zielsteuerung.numbers import NumberFormatError, format_decimal, parse_decimal

from .models import VALUE_DIGITS, VALUE_PLACES, DataStatus

# A value that moves more than this against a reference needs a comment.
PLAUSIBILITY_LIMIT = Decimal("0.30")
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)


class FigureError(ValueError):
    """The text is not an acceptable value; ``message`` says why, in German."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_figure(text, *, whole_numbers):
    """The Decimal in ``text`` (German or plain notation), checked for its unit.

    Persons and counts take whole non-negative numbers, euro amounts at most
    two decimal places.
    """
    try:
        value = parse_decimal(text)
    except NumberFormatError as exc:
        example = "3.489" if whole_numbers else "1.234,56"
        raise FigureError(
            _("„%(text)s“ ist keine Zahl. Beispiel: %(example)s")
            % {"text": text, "example": example}
        ) from exc
    return check_figure(value, whole_numbers=whole_numbers)


def check_figure(value, *, whole_numbers):
    """``value`` if it fits the unit; FigureError otherwise."""
    if value < 0:
        raise FigureError(_("Der Wert darf nicht negativ sein."))
    if value >= MAX_VALUE:
        raise FigureError(_("Der Wert ist zu groß."))
    if whole_numbers and value != value.to_integral_value():
        raise FigureError(_("Bitte eine ganze Zahl ohne Nachkommastellen eingeben."))
    if value != value.quantize(Decimal("0.01")):
        raise FigureError(_("Euro-Beträge haben höchstens zwei Nachkommastellen."))
    return value


def split_exceeds_total(total, women, men):
    """Whether women and men together are more than the total."""
    if total is None:
        return False
    return (women or 0) + (men or 0) > total


def split_error(total, women, men):
    return _(
        "Frauen und Männer zusammen (%(split)s) sind mehr als insgesamt (%(total)s)."
    ) % {
        "split": format_decimal((women or 0) + (men or 0)),
        "total": format_decimal(total),
    }


REFERENCE_LABELS = {
    "previous": _("Vormonat"),
    "last_year": _("Vorjahresmonat"),
}


def jump_references(previous, last_year):
    """[(label, value)] of the references a value is compared with.

    ``previous`` is the value of the month before, ``last_year`` of the same
    month a year earlier; either may be None.
    """
    pairs = [
        (REFERENCE_LABELS["previous"], previous),
        (REFERENCE_LABELS["last_year"], last_year),
    ]
    return [(label, value) for label, value in pairs if value is not None]


def relative_jump(reference, value):
    """The relative change from ``reference`` to ``value``; None without base."""
    if reference in (None, 0) or value is None:
        return None
    return value / reference - 1


# Between these multiples of its reference a value is well within the limit:
# no division needed (an import compares a national file's every value).
_CLEARLY_WITHIN = (
    1 - PLAUSIBILITY_LIMIT + Decimal("0.01"),
    1 + PLAUSIBILITY_LIMIT - Decimal("0.01"),
)


def _surely_plausible(value, reference):
    """True when ``value`` cannot jump against ``reference``: no reference, a
    zero one, or well within the limit. False means: compute the jump."""
    if reference is None or reference == 0:
        return True
    low, high = _CLEARLY_WITHIN
    return (
        value is not None
        and reference > 0
        and reference * low <= value <= reference * high
    )


def implausible_jumps(value, references):
    """Messages for each reference (label → value) that ``value`` moves >30 % from."""
    messages = []
    for label, reference in references:
        if _surely_plausible(value, reference):
            continue
        jump = relative_jump(reference, value)
        if jump is not None and abs(jump) > PLAUSIBILITY_LIMIT:
            messages.append(
                _("%(change)s %% gegenüber %(label)s (%(reference)s)")
                % {
                    "change": format_decimal(jump * 100, 1, sign=True),
                    "label": label,
                    "reference": format_decimal(reference),
                }
            )
    return messages


def jumps_against(value, previous, last_year):
    """``implausible_jumps`` against the month before and a year earlier.

    Either reference may be None. The usual value, well within the limit of
    both, is let through without building the references.
    """
    if _surely_plausible(value, previous) and _surely_plausible(value, last_year):
        return []
    return implausible_jumps(value, jump_references(previous, last_year))


def downgrade_needs_reason(old_status, new_status, *, has_values):
    """Setting a final (t-3) month with figures back to t-0 needs a reason.

    The grid asks for it; the import flags it as a warning (``import_warnings``).
    """
    return (
        has_values
        and old_status == DataStatus.FINAL
        and new_status == DataStatus.PROVISIONAL
    )
