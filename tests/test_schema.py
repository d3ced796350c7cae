"""The figures' tables keep one index per way they are read, no more."""

import pytest
from django.db import connection

from indicators.models import MonthlyValue, Reminder, ReportingMonth


@pytest.mark.django_db
@pytest.mark.parametrize("model", [MonthlyValue, ReportingMonth, Reminder])
def test_lookups_by_provider_use_the_unique_constraint_alone(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    indexed = [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]
    assert ["provider_id"] not in indexed  # the migration dropped it
    assert any(
        columns[0] == "provider_id" and len(columns) > 1
        for columns in indexed
        if columns
    )
    foreign_keys = [c["columns"] for c in constraints.values() if c["foreign_key"]]
    assert ["provider_id"] in foreign_keys  # the key itself stays
