"""Benchmark of the ministry's overview at national scale (not a test).

405 providers with agreements for 2023 (six targets each, shaped like
Borken's) and 12 years of figures (from bench/figures.py's data set). Prints
the median time and query count of ``/uebersicht/2023/`` in three states,
each with its ratio to a plain Django view (the login page) measured in the
same run:

- the first request ever (no stored results, nothing cached),
- right after one provider's figures changed, once the background worker
  has run the warming the change queued (goal: ≤ 10× the plain view), and
  when the request comes before the worker (it then computes the changed
  row itself); the grid save and the worker's warming are timed on their own,
- with the table cached (goal: ≤ 2× the plain view).

    createdb -h 127.0.0.1 -U postgres zs_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench \\
        .venv/bin/python bench/overview.py [--repeat 20]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal

# Production-like: no DEBUG query log; TESTING keeps static files unhashed.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("TESTING", "true")

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from figures import build
from queries import count_queries

from agreements.models import Agreement, Goal, Party, Target, TargetResult
from indicators.models import DataElement, MonthlyValue, ReportingMonth
from indicators.services import month_values_save
from zielsteuerung.jobs.models import Job, JobStatus
from zielsteuerung.jobs.services import job_run

YEAR = 2023
TARGETS = (
    ("change", "integrationen", Decimal("12.6"), "gte"),
    ("change", "k2", Decimal(0), "gte"),
    ("change", "k2_abstand", Decimal(0), "lte"),
    ("change", "k3", Decimal("-5.2"), "lte"),
    ("change", "lzb_integrationen", Decimal("6.6"), "gte"),
    ("monitoring", "k1", None, ""),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL=postgres://…/zs_bench")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    user, providers = build()
    ensure_agreements(providers)
    # As autovacuum keeps a database: bench/figures.py inserts and deletes
    # hundreds of thousands of values, whose dead index entries would slow
    # every look for the highest id until the next vacuum.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE indicators_monthlyvalue")
        cursor.execute("VACUUM ANALYZE indicators_monthlyvaluechange")
    measure(user, providers, args.repeat)


def ensure_agreements(providers):
    """One 2023 agreement with six targets per provider (bulk, once)."""
    # Agreements of an earlier run without parties are made again.
    Agreement.objects.filter(year=YEAR, parties__isnull=True).delete()
    missing = [
        p
        for p in providers
        if not Agreement.objects.filter(provider=p, year=YEAR).exists()
    ]
    agreements = Agreement.objects.bulk_create(
        Agreement(provider=provider, year=YEAR, status="negotiation")
        for provider in missing
    )
    names = {"ministry": "Benchmark-Ministerium", "provider": "Kreis"}
    Party.objects.bulk_create(
        Party(
            agreement=agreement,
            role=role,
            organisation=(
                agreement.provider.supervisor
                if role == "ministry"
                else agreement.provider
            ),
            name=names[role] if role == "ministry" else agreement.provider.name,
            short_name="BM" if role == "ministry" else agreement.provider.short_name,
        )
        for agreement in agreements
        for role in ("ministry", "provider")
    )
    goals = Goal.objects.bulk_create(
        Goal(agreement=agreement, number="II", title="Integration")
        for agreement in agreements
    )
    Target.objects.bulk_create(
        Target(
            goal=goal,
            position=position,
            kind=kind,
            indicator=indicator,
            target_value=value,
            comparator=comparator,
        )
        for goal in goals
        for position, (kind, indicator, value, comparator) in enumerate(TARGETS)
    )
    print(f"agreements {YEAR}: {Agreement.objects.filter(year=YEAR).count()}")


def measure(user, providers, repeat):
    ministry = Client()
    ministry.force_login(user)
    anonymous = Client()
    url = f"/uebersicht/{YEAR}/"

    def overview():
        assert ministry.get(url).status_code == 200

    def plain():
        assert anonymous.get("/anmelden/").status_code == 200

    changes = iter(range(1, 10_000))
    saves, warmings = [], []

    def change(*, worker):
        return changed(user, providers[0], next(changes), worker, saves, warmings)

    def after_worker():
        started = change(worker=True)
        overview()
        return started

    def before_worker():
        started = change(worker=False)
        overview()
        return started

    cache.clear()
    TargetResult.objects.all().delete()
    started = time.perf_counter()
    cold_queries = count_queries(overview)
    cold = time.perf_counter() - started
    queries = {}
    for step, worker in ((after_worker, True), (before_worker, False)):
        change(worker=worker)
        queries[step] = count_queries(overview)  # the page's own, not the change's
    queries[overview] = count_queries(overview)
    times = {after_worker: [], before_worker: [], overview: [], plain: []}
    for _ in range(repeat):
        for step in (after_worker, before_worker, overview, plain):
            started = time.perf_counter()
            started = step() or started
            times[step].append(time.perf_counter() - started)
    print(f"/uebersicht/{YEAR}/ with {len(providers)} providers:")
    plain_median = statistics.median(times[plain])
    print(f"  plain view (login page):            {plain_median * 1000:8.1f} ms")
    print(
        f"  first request ever (nothing stored):  {cold * 1000:8.1f} ms, "
        f"{cold_queries} queries, ratio {cold / plain_median:6.1f}"
    )
    print_states(
        plain_median,
        saves,
        warmings,
        [
            ("after a change, the worker done:", times[after_worker], 10),
            ("after a change, before the worker:", times[before_worker], None),
            ("table cached:", times[overview], 2),
        ],
        [queries[after_worker], queries[before_worker], queries[overview]],
    )


def changed(user, provider, step, worker, saves, warmings):
    """A grid save changes one provider's figures (timed on its own); with
    ``worker``, the worker then runs the warming the save queued (timed on
    its own), else the queued job is dropped. Returns when it ended."""
    started = time.perf_counter()
    revise(user, provider, step)
    saves.append(time.perf_counter() - started)
    queued = Job.objects.filter(kind="overview_warm", status=JobStatus.QUEUED)
    if worker:
        started = time.perf_counter()
        for job in queued:
            job_run(job.pk)
        warmings.append(time.perf_counter() - started)
    else:
        queued.delete()
    return time.perf_counter()


def print_states(plain_median, saves, warmings, states, queries):
    save = statistics.median(saves) * 1000
    warming = statistics.median(warmings) * 1000
    print(f"  the change itself (a grid save):     {save:8.1f} ms")
    print(f"  the worker's warming after it:       {warming:8.1f} ms")
    for (label, times, goal), count in zip(states, queries, strict=True):
        median = statistics.median(times)
        print(
            f"  {label:36} {median * 1000:8.1f} ms, {count} queries, "
            f"ratio {median / plain_median:6.1f}"
            + (f" (goal ≤ {goal})" if goal else "")
        )


def revise(user, provider, step):
    """Change December 2023's integrations of ``provider`` through the grid
    service: always a change, whatever an earlier run left there."""
    month = datetime.date(YEAR, 12, 1)
    element = DataElement.objects.get(code="integrationen")
    stored = MonthlyValue.objects.filter(
        provider=provider, month=month, element=element, sex="total"
    ).first()
    value = Decimal(2_000 + step % 2)
    if stored is not None and stored.value == value:
        value += 2
    month_values_save(
        provider=provider,
        month=month,
        values={(element, "total"): value},
        data_status="t3",
        version=ReportingMonth.objects.get(provider=provider, month=month).version,
        acting_user=user,
        reason="Benchmark",
    )


if __name__ == "__main__":
    main()
