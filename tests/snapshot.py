"""Load the demo once per test session, restore it before each test that needs it.

Browser journeys and a few other tests need the whole demo (18 providers with
12 years of figures); loading it takes seconds, and every transactional test
empties the database when it ends. So the demo is loaded once, copied, the
database emptied again for the other tests, and the copy written back in
milliseconds before each such test: SQLite's backup API, or PostgreSQL's COPY.
"""

import io
import sqlite3

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot:
    def take(self):
        raise NotImplementedError

    def restore(self):
        raise NotImplementedError


class SqliteSnapshot(Snapshot):
    def take(self):
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self):
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class PostgresSnapshot(Snapshot):
    def _tables(self):
        return sorted(connection.introspection.django_table_names(only_existing=True))

    def take(self):
        self.data = {}
        with connection.cursor() as cursor:
            for table in self._tables():
                buffer = io.StringIO()
                cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
                self.data[table] = buffer.getvalue()

    def restore(self):
        from django.apps import apps

        quoted = ", ".join(f'"{table}"' for table in self.data)
        # One transaction: foreign keys are checked at its end (they are
        # deferrable in Django's schema), so the tables' order does not matter.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
            for table, rows in self.data.items():
                cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.StringIO(rows))
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def demo_snapshot():
    """Load the demo, keep a copy, and leave the database empty again."""
    from agreements.demo import load_demo

    def new():
        return SqliteSnapshot() if connection.vendor == "sqlite" else PostgresSnapshot()

    load_demo()
    snapshot = new()
    snapshot.take()
    call_command("flush", interactive=False, verbosity=0)
    # The empty database too: written back after each test, it spares the
    # flush that ends a transactional test deleting the demo row by row.
    snapshot.empty = new()
    snapshot.empty.take()
    return snapshot
