"""Benchmark of the ministry's overview at national scale (not a test).

405 providers with agreements for 2023 (six targets each, shaped like
Borken's) and 12 years of figures (from bench/figures.py's data set). Prints
the median time of ``/uebersicht/2023/`` and of a plain Django view (the
login page) measured in the same run, their ratio, and the query count.
The goal is a ratio of at most 5.

    createdb -h 127.0.0.1 -U postgres zs_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench \\
        .venv/bin/python bench/overview.py [--repeat 20]
"""

import argparse
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

from agreements.models import Agreement, Goal, Target

YEAR = 2023
TARGETS = (
    ("change", "integrationen", Decimal("12.6"), "gte", "higher"),
    ("change", "k2", Decimal(0), "gte", "higher"),
    ("gap", "k2_abstand", Decimal(0), "lte", "lower"),
    ("change", "k3", Decimal("-5.2"), "lte", "lower"),
    ("change", "lzb_integrationen", Decimal("6.6"), "gte", "higher"),
    ("monitoring", "k1", None, "", ""),
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
    measure(user, args.repeat)


def ensure_agreements(providers):
    """One 2023 agreement with six targets per provider (bulk, once)."""
    missing = [
        p
        for p in providers
        if not Agreement.objects.filter(provider=p, year=YEAR).exists()
    ]
    agreements = Agreement.objects.bulk_create(
        Agreement(provider=provider, year=YEAR, status="negotiation")
        for provider in missing
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
            wording="…",
            unit="percent",
            target_value=value,
            comparator=comparator,
            direction=direction,
        )
        for goal in goals
        for position, (kind, indicator, value, comparator, direction) in enumerate(
            TARGETS
        )
    )
    print(f"agreements {YEAR}: {Agreement.objects.filter(year=YEAR).count()}")


def measure(user, repeat):
    ministry = Client()
    ministry.force_login(user)
    anonymous = Client()
    url = f"/uebersicht/{YEAR}/"

    def overview():
        assert ministry.get(url).status_code == 200

    def plain():
        assert anonymous.get("/anmelden/").status_code == 200

    cache.clear()
    started = time.perf_counter()
    cold_queries = count_queries(overview)
    cold = time.perf_counter() - started
    warm_queries = count_queries(overview)
    times = {overview: [], plain: []}
    for _ in range(repeat):
        for step in (overview, plain):
            started = time.perf_counter()
            step()
            times[step].append(time.perf_counter() - started)
    report(
        (cold_queries, warm_queries),
        cold,
        statistics.median(times[overview]),
        statistics.median(times[plain]),
    )


def count_queries(step):
    """How many SQL statements ``step`` sends (whatever the DEBUG setting)."""
    statements = []

    def counter(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        step()
    return len(statements)


def report(queries, cold, warm, plain):
    print(f"/uebersicht/{YEAR}/ with 405 providers, median of the runs:")
    print(
        f"  first request (nothing cached): {cold * 1000:8.1f} ms, {queries[0]} queries"
    )
    print(
        f"  overview (table cached):        {warm * 1000:8.1f} ms, {queries[1]} queries"
    )
    print(f"  plain view (login page):        {plain * 1000:8.1f} ms")
    print(f"  ratio overview / plain:         {warm / plain:8.1f}  (goal: ≤ 5)")


if __name__ == "__main__":
    main()
