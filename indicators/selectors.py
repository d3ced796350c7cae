"""Reading figures for the key-figure calculations: one query per page.

``series_for`` loads every value a page needs and hands back plain
``{month: Decimal}`` series, which the pure functions of ``calculations.py``
take. Agreements read figures only through this module.
"""

import datetime
from collections import defaultdict

from django.db.models import Max

from .models import MonthlyValue, MonthlyValueChange


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


def figures_version():
    """Changes whenever a figure is added or changed: for caching pages.

    Every change of a value writes a MonthlyValueChange, and every new value
    a MonthlyValue, so their highest ids (primary-key lookups) move on.
    """
    values = MonthlyValue.objects.aggregate(latest=Max("id"))["latest"]
    changes = MonthlyValueChange.objects.aggregate(latest=Max("id"))["latest"]
    return f"{values}-{changes}"
