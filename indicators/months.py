"""Months as the first day of the month: arithmetic, URL converters, names.

Pure helpers without the ORM. A month is always a ``datetime.date`` with
``day == 1``.
"""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from .calculations import month_add

MONTH_NAMES = [
    _("Januar"),
    _("Februar"),
    _("März"),
    _("April"),
    _("Mai"),
    _("Juni"),
    _("Juli"),
    _("August"),
    _("September"),
    _("Oktober"),
    _("November"),
    _("Dezember"),
]
_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{2})$")


# ``month`` moved by ``count`` months; the arithmetic lives with the formulas.
add_months = month_add


def parse_month(text):
    """``2023-01`` → date(2023, 1, 1); None for anything else."""
    match = _MONTH_TEXT.match(str(text).strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return datetime.date(year, month, 1)


def month_key(month):
    """date(2023, 1, 1) → ``2023-01``."""
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month):
    """date(2023, 1, 1) → ``Januar 2023``."""
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def months_of_year(year):
    return [datetime.date(year, number, 1) for number in range(1, 13)]


class MonthConverter:
    """``<month:month>`` in URLs: ``2023-01``."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        month = parse_month(value)
        if month is None:
            raise ValueError(value)
        return month

    def to_url(self, value):
        return month_key(value)


class RegionalKeyConverter:
    """``<ags:regional_key>``: the digits of an Amtlicher Gemeindeschlüssel."""

    regex = r"\d{2,12}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)
