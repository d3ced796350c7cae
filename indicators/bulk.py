"""``insert_rows``: many model rows in few multi-row INSERTs.

For the two writers of many rows whose model instances would cost more than
the INSERT itself: the demo's figures (50,000 values per Träger) and the
import's new reporting months. The ORM's ``bulk_create`` prepares every field
of every instance and compiles the SQL for each; here only dates and times
are prepared, once per distinct value, and everything else goes to the
driver as it is (integers, texts, Decimals, the ids of related rows).
"""

from django.db import connection, models

# Parameters per statement: SQLite allows 32,766 (since 3.32).
MAX_PARAMETERS = 20_000


def insert_rows(model, names, rows, constants=None, *, per_statement=None, logged=True):
    """INSERT ``rows`` (tuples for the fields ``names``) plus ``constants``.

    ``constants`` maps field names to the value every row gets. Columns not
    named take the database's default (Django sets none: NULL), so a caller
    names every column that must not stay empty. ``per_statement`` caps the
    rows of one statement below what the parameter limit allows. With
    ``logged=False`` the statements go to the driver's cursor itself: with
    DEBUG on, Django's debug cursor would log each with all its parameters,
    which SQLite quotes one by one (the demo's figures: 3.6 s instead of
    1.4 s); they are then not seen by query counts either.
    """
    constants = constants or {}
    fields = [model._meta.get_field(name) for name in [*names, *constants]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    mark = "(" + ", ".join(["%s"] * len(fields)) + ")"
    extra = tuple(constants.values())
    dates = [
        (index, _preparer(field))
        for index, field in enumerate(fields)
        if isinstance(field, models.DateField)  # DateTimeField is one too
    ]
    size = MAX_PARAMETERS // len(fields)
    if per_statement:
        size = min(size, per_statement)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        execute = cursor.execute if logged else cursor.cursor.execute
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            params = []
            for row in part:
                values = [*row, *extra]
                for index, prepare in dates:
                    values[index] = prepare(values[index])
                params += values
            marks = ", ".join([mark] * len(part))
            execute(
                f"INSERT INTO {table} ({columns}) VALUES {marks}",  # noqa: S608
                params,
            )


def _preparer(model_field):
    cache = {}

    def prepare(value):
        if value not in cache:
            cache[value] = model_field.get_db_prep_save(value, connection)
        return cache[value]

    return prepare
