"""Reading figures for the key-figure calculations: one query per page.

``series_for`` loads every value a page needs and hands back plain
``{month: Decimal}`` series, which the pure functions of ``calculations.py``
take. Agreements read figures only through this module.
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q, Sum

from .models import (
    CommitCount,
    FiguresVersion,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
)


def series_for(providers, codes, first, last):
    """``{(provider_id, element code, sex): {month: Decimal}}`` in one query.

    ``providers`` is an iterable of providers or their ids; ``first`` and
    ``last`` are months (first days) and both included. Months without a
    value are simply absent: the calculations report them as missing.
    """
    provider_ids = [getattr(p, "pk", p) for p in providers]
    rows = MonthlyValue.objects.filter(
        provider_id__in=provider_ids,
        element__code__in=list(codes),
        month__gte=first,
        month__lte=last,
    ).values_list("provider_id", "element__code", "sex", "month", "value")
    series = defaultdict(dict)
    for provider_id, code, sex, month, value in rows:
        series[(provider_id, code, sex)][month] = value
    return series


def pooled_series_for(providers, codes, first, last):
    """The providers' series summed month by month, in one aggregate query.

    ``{(element code, sex): {month: Decimal}}``; a month counts only where
    every provider has a value (the number of values equals the number of
    providers), so a Land value never rests on part of the providers.
    """
    return pooled_series_by_group({None: providers}, codes, first, last)[None]


def pooled_series_by_group(groups, codes, first, last):
    """``pooled_series_for`` of several groups of providers in one query.

    ``groups`` maps a name to providers (or ids); the answer maps each name
    to its pooled series. One pass over the values of all groups, each sum
    and count restricted to its group (the overview's two Land rows).
    """
    groups = {
        name: sorted({getattr(p, "pk", p) for p in providers})
        for name, providers in groups.items()
    }
    pooled = {name: defaultdict(dict) for name in groups}
    wanted = {pk for ids in groups.values() for pk in ids}
    if not wanted:
        return pooled
    aggregates = {}
    for index, ids in enumerate(groups.values()):
        within = Q(provider_id__in=ids)
        aggregates[f"total_{index}"] = Sum("value", filter=within)
        aggregates[f"count_{index}"] = Count("id", filter=within)
    rows = (
        MonthlyValue.objects.filter(
            provider_id__in=sorted(wanted),
            element__code__in=list(codes),
            month__gte=first,
            month__lte=last,
        )
        .values("element__code", "sex", "month")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        key = (row["element__code"], row["sex"])
        for index, (name, ids) in enumerate(groups.items()):
            if ids and row[f"count_{index}"] == len(ids):
                pooled[name][key][row["month"]] = row[f"total_{index}"]
    return pooled


def providers_with_figures(providers, year):
    """The ids of ``providers`` with any figure in ``year``, one query.

    Asks the reporting months (one row per provider and month with figures),
    not the values: twenty times fewer rows.
    """
    return set(
        ReportingMonth.objects.filter(
            provider_id__in=[getattr(p, "pk", p) for p in providers],
            month__year=year,
        )
        .values_list("provider_id", flat=True)
        .distinct()
    )


def data_statuses_for(providers, first, last):
    """``{provider_id: {month: "t0" | "t3"}}`` from the reporting months, one query."""
    rows = ReportingMonth.objects.filter(
        provider_id__in=[getattr(p, "pk", p) for p in providers],
        month__gte=first,
        month__lte=last,
    ).values_list("provider_id", "month", "data_status")
    statuses = defaultdict(dict)
    for provider_id, month, status in rows:
        statuses[provider_id][month] = status
    return statuses


def months_without_figures(provider, year, until):
    """Months of ``year`` up to ``until`` (included) without any reported figure."""
    reported = set(
        MonthlyValue.objects.filter(
            provider=provider, month__year=year, month__lte=until
        )
        .values_list("month", flat=True)
        .distinct()
    )
    last = min(until.month, 12) if until.year == year else 12
    return [
        datetime.date(year, number, 1)
        for number in range(1, last + 1)
        if datetime.date(year, number, 1) not in reported
    ]


# Whenever a figure is added or changed, the highest id of one of these
# tables moves on: every change of a value writes a MonthlyValueChange, every
# new value a MonthlyValue, every change of a month's status its row.
FIGURE_VERSION_TABLES = (
    (MonthlyValue, "id"),
    (MonthlyValueChange, "id"),
    # Every committed write of figures or history: the highest ids alone can
    # stand still when a lower id commits last (see CommitCount).
    (CommitCount, "changes"),
)
# The agreement side's part of CommitCount: transactions that wrote history.
HISTORY_COMMITS = (CommitCount, "history")


def highest_ids(tables):
    """The highest value of each (model, column), in one query (for caching)."""
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model, column in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def figures_versions_within(providers):
    """``{provider_id: version}`` for a queryset of providers, one query.

    Providers whose figures were never written are absent (version 0).
    """
    return dict(
        FiguresVersion.objects.filter(provider__in=providers).values_list(
            "provider_id", "version"
        )
    )


def figures_versions(providers):
    """``{provider_id: version}`` of the figures, one query (0 if never written)."""
    ids = [getattr(p, "pk", p) for p in providers]
    found = dict(
        FiguresVersion.objects.filter(provider_id__in=ids).values_list(
            "provider_id", "version"
        )
    )
    return {pk: found.get(pk, 0) for pk in ids}
