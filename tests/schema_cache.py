"""The migrated SQLite test database, kept between runs while nothing it rests on changes.

Each worker of each run migrated its empty in-memory SQLite database from
scratch: about a hundred migrations, 5–10 seconds of processor time, the
largest single cost of a test process. What they build depends only on the
migration files (the project's and the installed libraries'), the project's
code they import and the versions of Python, SQLite and the installed
libraries. Under a key of all of these, the first run keeps a copy of the
migrated database in pytest's cache folder; later runs write that copy into
their test database (SQLite's backup API, milliseconds) instead of
migrating, as pytest-django's ``--reuse-db`` does for databases on disk.

Any change of the project's code (not its tests) or of a migration makes a
new key: that run migrates and keeps its copy. PostgreSQL test databases are
migrated as before, and so is every database with ``-p no:cacheprovider``.
"""

import contextlib
import hashlib
import os
import sqlite3
import sys
from importlib.metadata import distributions
from pathlib import Path

from django.core import management

ROOT = Path(__file__).resolve().parents[1]
FOLDER = "migrated-sqlite"


def _sources():
    """The files the migrated database is made from, by their paths."""
    from django.apps import apps

    files = set()
    for app in apps.get_app_configs():
        path = Path(app.path)
        # a virtualenv in the checkout (.venv) holds libraries, not the project
        if ROOT in path.parents and "site-packages" not in path.parts:
            # the project's whole package: migrations import its modules
            files.update((ROOT / path.relative_to(ROOT).parts[0]).rglob("*.py"))
        else:
            files.update((path / "migrations").rglob("*.py"))
    return sorted(files)


def key():
    from django.conf import settings

    digest = hashlib.sha256()
    # every installed library by its version: a new release may build its
    # tables differently without a new migration
    libraries = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in distributions()
    )
    versions = (sys.version, sqlite3.sqlite_version, libraries)
    digest.update(repr((versions, settings.INSTALLED_APPS)).encode())
    for path in _sources():
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


@contextlib.contextmanager
def kept_between_runs(config):
    """While the test databases are made: migrate, or restore the kept copy."""
    cache = getattr(config, "cache", None)
    if cache is None:  # -p no:cacheprovider
        yield
        return
    original = management.call_command

    def call_command(name, *args, **options):
        from django.db import connections

        connection = connections[options.get("database", "default")]
        if not (
            name == "migrate"
            and options.get("run_syncdb")  # the test database's own migration
            and connection.vendor == "sqlite"
            and connection.is_in_memory_db()
        ):
            return original(name, *args, **options)
        management.call_command = original  # once
        folder = cache.mkdir(FOLDER)
        kept = folder / f"{key()}.sqlite3"
        connection.ensure_connection()
        if kept.exists():
            with contextlib.closing(sqlite3.connect(kept)) as copy:
                copy.backup(connection.connection)
            return None
        result = original(name, *args, **options)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}")
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            connection.connection.backup(copy)
        os.replace(partial, kept)  # another worker may have kept the same
        for old in folder.glob("*.sqlite3"):
            if old != kept:
                old.unlink(missing_ok=True)
        return result

    management.call_command = call_command
    try:
        yield
    finally:
        management.call_command = original
