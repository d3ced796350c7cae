"""What a numeric column can hold, the same on PostgreSQL and SQLite.

PostgreSQL's ``numeric(16, 2)`` holds 14 digits before the comma; SQLite keeps
decimals as 8-byte floats, exact to 15 significant digits only, and Django
then fails to read back a value with more (the probe's ``99.999.999.999.999,99``
made pages answer 500 for good) or rounds it (``12.345.678.901.234,56``). So
every decimal input is bounded by ``min(max_digits, 15)`` significant digits
and its decimal places, and every integer input by the column type's range
on PostgreSQL (SQLite would accept any 64-bit value).
"""

import functools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from .numbers import format_decimal

# Significant digits a float (SQLite's REAL) keeps exactly.
PORTABLE_DIGITS = 15


@functools.cache
def decimal_limit(field):
    """The largest value ``field`` (a DecimalField) holds on both databases."""
    digits = min(field.max_digits, PORTABLE_DIGITS)
    places = field.decimal_places
    return Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)


def check_decimal(value, field):
    """``value`` if ``field`` stores it exactly; ValidationError in German else."""
    limit = decimal_limit(field)
    if abs(value) > limit:
        raise ValidationError(
            _("Der Wert ist zu groß: höchstens %(limit)s.")
            % {"limit": format_decimal(limit, field.decimal_places)},
            code="max_value",
        )
    if value != value.quantize(Decimal(1).scaleb(-field.decimal_places)):
        raise ValidationError(
            _("Höchstens %(places)s Nachkommastellen.")
            % {"places": field.decimal_places},
            code="max_decimal_places",
        )
    return value


def integer_range(field):
    """(lowest, highest) of an integer column as PostgreSQL enforces it."""
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def bound_form_field(db_field, form_field):
    """Add the column's portable bounds to the form field of ``db_field``."""
    if form_field is None:
        return form_field
    if isinstance(db_field, models.DecimalField):
        form_field.validators.append(lambda value: check_decimal(value, db_field))
    elif isinstance(db_field, models.IntegerField) and not db_field.primary_key:
        low, high = integer_range(db_field)
        form_field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    return form_field


class ColumnBoundsAdminMixin:
    """Admin forms refuse numbers their column cannot hold, on both databases."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        form_field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return bound_form_field(db_field, form_field)
