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


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied():
    """Migrated or restored from the copy an earlier run kept (schema_cache):
    nothing is left to apply, and nothing applied is unknown."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(leaves) == []
    applied = set(executor.loader.applied_migrations)
    assert applied == set(executor.loader.graph.nodes)


def test_the_kept_copy_is_found_by_every_source_it_rests_on(monkeypatch, tmp_path):
    """A changed migration or module of the project makes a new key."""
    from tests import schema_cache

    sources = schema_cache._sources()
    names = {path.relative_to(schema_cache.ROOT).as_posix() for path in sources}
    assert "indicators/migrations/0001_initial.py" in names
    assert "indicators/registry.py" in names  # imported by migrations
    assert "zielsteuerung/settings.py" in names
    assert any("django_tasks_db/migrations" in str(path) for path in sources)
    assert not any(name.startswith("tests/") for name in names)
    # of the libraries only their migrations, even from a .venv in the checkout
    assert all(
        "site-packages" not in path.parts or "migrations" in path.parts
        for path in sources
    )

    extra = tmp_path / "0099_new.py"
    extra.write_text("# a migration\n")
    monkeypatch.setattr(schema_cache, "_sources", lambda: [*sources, extra])
    first = schema_cache.key()
    extra.write_text("# the migration, changed\n")
    assert schema_cache.key() != first


def test_the_kept_copy_follows_the_installed_libraries(monkeypatch):
    from importlib.metadata import distributions

    from tests import schema_cache

    first = schema_cache.key()

    class Upgraded:
        metadata = {"Name": "Django"}
        version = "99.0"

    monkeypatch.setattr(
        schema_cache, "distributions", lambda: [*distributions(), Upgraded()]
    )
    assert schema_cache.key() != first
