"""Reading and writing numbers the way German users type and read them.

Pure functions, no Django: used by forms, imports and templates alike.

Accepted input: German notation (``1.234``, ``1.234,56``, ``25,4``) and plain
notation (``1234.56``, ``25.4``). A dot followed by groups of exactly three
digits is a thousands separator (``3.489`` is three thousand four hundred
eighty-nine); any other single dot is a decimal point (``25.4``).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_GERMAN_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_GERMAN_PLAIN = re.compile(r"^\d+(,\d+)?$")
_PLAIN_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


class NumberFormatError(ValueError):
    """The text is not a number in German or plain notation."""


def parse_decimal(text):
    """Return the Decimal written in ``text``; raise NumberFormatError otherwise."""
    cleaned = str(text).strip().replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("\u2212", "-")
    sign = ""
    if cleaned[:1] in "+-" and cleaned:
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    if _GERMAN_GROUPED.match(cleaned) or _GERMAN_PLAIN.match(cleaned):
        normal = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN_DECIMAL.match(cleaned):
        normal = cleaned
    else:
        raise NumberFormatError(text)
    try:
        return Decimal(sign + normal)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the patterns
        raise NumberFormatError(text) from exc


def format_decimal(value, places=None, *, grouping=True, sign=False):
    """Format ``value`` in German notation: ``3.489``, ``25,4``, ``+12,9``.

    ``places`` rounds to that many decimal places; ``None`` keeps the
    significant ones (trailing zeros dropped). ``sign`` shows ``+`` for
    positive values. ``None`` gives an empty string.
    """
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{abs(number):.{places}f}"
    else:
        text = _strip_zeros(f"{abs(number):f}")
    whole, _, fraction = text.partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    result = whole + ("," + fraction if fraction else "")
    if number < 0 and result.strip("0.,"):
        return "\u2212" + result
    if sign and number > 0:
        return "+" + result
    return result


def relative_change(baseline, value):
    """Relative change from ``baseline`` to ``value`` in per cent (not points).

    22.5 → 25.4 gives 12.888…; ``None`` when the baseline is zero or missing.
    """
    if baseline in (None, 0) or value is None:
        return None
    return (Decimal(value) / Decimal(baseline) - 1) * 100


def _strip_zeros(text):
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
