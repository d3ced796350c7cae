"""Benchmark of monthly figures at national scale (not a test).

Builds 405 providers x 12 years (2013-2024) x 9 elements (total, women, men
where split: 21 values per provider and month, about 1.2 million values) in
a PostgreSQL database of its own, then times

- the import of a national month file (405 x 21 = 8,505 new values),
- the import of a national revision of one month (8,505 changed values),
- the import of a national year file (102,060 new values),
- the year overview page of one provider,

and prints each median together with the ratio of the import to a plain
``COPY`` of the same rows into a table of the same shape (columns, indexes,
foreign keys), committed, in the same run; and, as earlier runs did, to a
``COPY`` into a table without the foreign keys.

    createdb -h 127.0.0.1 -U postgres zs_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench \\
        .venv/bin/python bench/figures.py [--repeat 5]
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielsteuerung.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.import_service import figures_import  # noqa: E402
from indicators.models import (  # noqa: E402
    DataElement,
    Import,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
)
from zielsteuerung.accounts.models import Organisation, Role, User  # noqa: E402

PROVIDERS = 405
YEARS = range(2013, 2025)
SEX_CODES = {"total": "insgesamt", "women": "frauen", "men": "maenner"}
COPY_COLUMNS = (
    "provider_id, month, element_id, sex, value, data_status, source, comment, "
    "changed_at"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL=postgres://…/zs_bench")
    call_command("migrate", verbosity=0)
    user, providers = build()
    vacuum()
    elements = list(DataElement.objects.all())
    month = datetime.date(2025, 1, 1)
    month_rows = file_rows(providers, elements, [month])
    year_rows = file_rows(
        providers, elements, [datetime.date(2025, m, 1) for m in range(1, 13)]
    )
    december = [datetime.date(2024, 12, 1)]
    # +2: both halves of a split value change too (+1 leaves one of them as is)
    revision = file_rows(providers, elements, december, bump=2)
    # December as built, at t-0: every value and data status differs from the
    # revision's
    as_built = [
        (line[:-2] + "t0", copy)
        for line, copy in file_rows(providers, elements, december)
    ]
    report("national month file, new values", user, month_rows, args.repeat)
    report(
        "national month file, revised values",
        user,
        revision,
        args.repeat,
        other=as_built,
    )
    report("national year file, new values", user, year_rows, max(1, args.repeat // 2))
    overview(user, providers[0], args.repeat * 4)


# --- building the national data set -------------------------------------------


def build():
    """405 providers with 12 years of figures, written with COPY (once)."""
    ministry, _ = Organisation.objects.get_or_create(
        regional_key="98",
        defaults={
            "kind": "ministry",
            "name": "Benchmark-Ministerium",
            "short_name": "BM",
        },
    )
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"organisation": ministry, "role": Role.EDITOR}
    )
    existing = Organisation.objects.filter(supervisor=ministry).count()
    if existing < PROVIDERS:
        Organisation.objects.bulk_create(
            Organisation(
                kind="provider",
                name=f"Kreis {number:03d}",
                short_name=f"K{number:03d}",
                regional_key=f"99{number:03d}",
                supervisor=ministry,
            )
            for number in range(existing + 1, PROVIDERS + 1)
        )
    providers = list(
        Organisation.objects.filter(supervisor=ministry).order_by("regional_key")
    )
    if not MonthlyValue.objects.filter(provider=providers[-1]).exists():
        started = time.perf_counter()
        count = copy_history(providers, list(DataElement.objects.all()))
        print(f"built {count:,} values in {time.perf_counter() - started:.1f} s")
    total = MonthlyValue.objects.filter(provider__supervisor=ministry).count()
    print(f"data set: {len(providers)} providers, {total:,} values")
    return user, providers


def value_for(provider_index, element, month, sex, bump=0):
    base = 2_000 + provider_index * 37 + element.pk * 11 + month.month + bump
    if sex == "women":
        base //= 2
    elif sex == "men":
        base = base - base // 2
    return f"{base}.25" if not element.whole_numbers else str(base)


def copy_history(providers, elements):
    now = timezone.now().isoformat()
    buffer, count = io.StringIO(), 0
    months = [datetime.date(y, m, 1) for y in YEARS for m in range(1, 13)]
    for index, provider in enumerate(providers):
        for month in months:
            for element in elements:
                for sex in element.sexes:
                    value = value_for(index, element, month, sex)
                    buffer.write(
                        f"{provider.pk}\t{month}\t{element.pk}\t{sex}\t{value}\tt3\t"
                        f"demo\t\t{now}\n"
                    )
                    count += 1
    buffer.seek(0)
    columns = COPY_COLUMNS
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY indicators_monthlyvalue ({columns}) FROM STDIN", buffer
        )
        cursor.execute(
            "INSERT INTO indicators_reportingmonth "
            "(provider_id, month, data_status, version, approval) "
            "SELECT DISTINCT provider_id, month, 't3', 1, 'open' "
            "FROM indicators_monthlyvalue ON CONFLICT DO NOTHING"
        )
        cursor.execute("ANALYZE")
    return count


# --- files and timing --------------------------------------------------------


def file_rows(providers, elements, months, bump=0):
    """(csv text line, COPY line) pairs for every provider, month and value."""
    rows = []
    for index, provider in enumerate(providers):
        for month in months:
            for element in elements:
                for sex in element.sexes:
                    value = value_for(index, element, month, sex, bump)
                    german = value.replace(".", ",")
                    rows.append(
                        (
                            f"{provider.regional_key};{month:%Y-%m};{element.code};"
                            f"{SEX_CODES[sex]};{german};t3",
                            f"{provider.pk}\t{month}\t{element.pk}\t{sex}\t{value}\tt3\t"
                            f"import\t\t2025-02-01T00:00:00+00:00\n",
                        )
                    )
    return rows


def csv_file(rows):
    header = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"
    return ("\ufeff" + "\r\n".join([header, *(r[0] for r in rows)]) + "\r\n").encode()


def run_import(user, content, must_write=True):
    started = time.perf_counter()
    report = figures_import(
        content=content,
        file_name="bench.csv",
        acting_user=user,
        reason="Benchmark",
        # explains every warning (t-3 back to t-0 in the revision)
        file_reason="Benchmark",
    )
    elapsed = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    # Every run must write every row: a file whose warnings went unexplained
    # would write nothing and look fast.
    if must_write:
        assert report.record is not None, report.unexplained[:5]
        assert report.created + report.changed == report.rows, report.unchanged
    return elapsed, report


def undo(report):
    """Remove what an import of new values created, outside the timing."""
    record = report.record
    ids = MonthlyValueChange.objects.filter(source_import=record)
    value_ids = list(ids.values_list("monthly_value_id", flat=True))
    ids.delete()
    MonthlyValue.objects.filter(pk__in=value_ids).delete()
    months = {(s.provider.pk, s.month) for s in report.summaries.values()}
    ReportingMonth.objects.filter(
        provider_id__in={p for p, _ in months}, month__in={m for _, m in months}
    ).delete()
    record.delete()
    vacuum()


def vacuum():
    """Clean up after the removed values, as autovacuum would in time.

    Real imports are not undone; without this, every run would leave dead
    index entries that slow the next import's writes and lookups.
    """
    with connection.cursor() as cursor:
        for table in (
            "indicators_monthlyvalue",
            "indicators_monthlyvaluechange",
            "indicators_reportingmonth",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def copy_time(rows, user, keys=True):
    """A plain COPY of the same rows into a scratch table of the same shape.

    The shape is the value table's columns and indexes and, with ``keys``,
    also its foreign keys (checked when the COPY commits, as the import's
    are), with the columns the import fills: its file record and its user.
    Without ``keys``, the scratch table has no foreign keys (the baseline of
    earlier runs, printed beside it).
    """
    record = Import.objects.create(file_name="copy.csv", imported_by=user, rows=0)
    extra = f"\t{record.pk}\t{user.pk}\n"
    buffer = io.StringIO("".join(r[1][:-1] + extra for r in rows))
    columns = COPY_COLUMNS + ", source_import_id, changed_by_id"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(
            "CREATE TABLE bench_copy (LIKE indicators_monthlyvalue INCLUDING ALL)"
        )
        if keys:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'indicators_monthlyvalue'::regclass "
                "AND contype = 'f'"
            )
            for number, (definition,) in enumerate(cursor.fetchall()):
                cursor.execute(
                    f"ALTER TABLE bench_copy ADD CONSTRAINT bench_fk_{number} "
                    f"{definition}"
                )
        started = time.perf_counter()
        # autocommit: the COPY commits, and its deferred key checks run
        cursor.cursor.copy_expert(f"COPY bench_copy ({columns}) FROM STDIN", buffer)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    record.delete()
    return elapsed


def report(label, user, rows, repeat, *, other=None):
    """Time ``repeat`` imports of ``rows``; new values are removed after each.

    A revision changes existing values instead: it alternates with the
    ``other`` rows (of the same values, each one different), so every run
    changes every value.
    """
    versions = [csv_file(rows)]
    revision = other is not None
    if revision:
        # The other version is written first, outside the timing: whatever an
        # earlier (or broken off) run left there, each timed run changes
        # every row.
        versions.append(csv_file(other))
        run_import(user, versions[1], must_write=False)
    times, copies, bare = [], [], []
    for number in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            elapsed, result = run_import(user, versions[number % len(versions)])
        times.append(elapsed)
        if not revision:
            undo(result)
        copies.append(copy_time(rows, user))
        bare.append(copy_time(rows, user, keys=False))
    median, copy_median = statistics.median(times), statistics.median(copies)
    bare_median = statistics.median(bare)
    print(
        f"{label}: {len(rows):,} rows, import median {median:.2f} s "
        f"({len(rows) / median:,.0f} rows/s, {len(queries)} queries), "
        f"COPY with the table's keys {copy_median:.3f} s, "
        f"import/COPY = {median / copy_median:.1f}x "
        f"(COPY without keys {bare_median:.3f} s: {median / bare_median:.1f}x)"
    )


def overview(user, provider, repeat):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/monatswerte/{provider.regional_key}/2024/"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(
        f"year overview {url}: median {statistics.median(times) * 1000:.1f} ms, "
        f"{len(queries)} queries"
    )


if __name__ == "__main__":
    main()
