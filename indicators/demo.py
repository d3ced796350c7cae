"""Deterministic, realistic demo figures from December 2012 to December 2024.

The same numbers on every run (seeded by the regional key), plausible for
each provider's size, with the shapes the SGB II saw: a slow decline to 2019,
the pandemic bump of 2020, the rise when refugees from Ukraine moved into
the SGB II from June 2022. Kreis Coesfeld matches its 2014 agreement: about
8,500 eLb, K2 in December 2013 of 22.5 %, 3,489 long-term recipients in
December 2013, about 4,400 Bedarfsgemeinschaften and 185 unemployed under 25
on average in 2013, an SGB II unemployment rate of 1.7 % in 2013. Women + men
always equal the total.
"""

import random
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zielsteuerung.accounts.models import Organisation

from .bulk import insert_rows
from .elements import ensure_default_elements
from .models import (
    DataStatus,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
    Sex,
    Source,
)
from .months import add_months, months_of_year
from .services import figures_changed

FIRST = months_of_year(2012)[11]
LAST = months_of_year(2024)[11]
PROVISIONAL_FROM = months_of_year(2024)[9]  # the last three months are t-0

# eLb in December 2012, roughly as the providers' sizes are.
BASE_ELB = {
    "05554": 12_300,  # Borken
    "05558": 8_600,  # Coesfeld
    "05358": 20_000,
    "05954": 22_000,
    "05113": 82_000,
    "05754": 14_000,
    "05915": 21_000,
    "05958": 11_000,
    "05154": 17_000,
    "05766": 24_000,
    "05770": 19_000,
    "05117": 17_000,
    "05515": 20_000,
    "05562": 62_000,
    "05566": 17_000,
    "05122": 15_000,
    "05570": 12_000,
    "05124": 47_000,
}
SEASON = [
    1.010,
    1.012,
    1.008,
    1.002,
    0.997,
    0.993,
    0.994,
    0.995,
    0.993,
    0.992,
    0.994,
    1.0,
]
INTEGRATION_SEASON = [0.9, 0.95, 1.1, 1.1, 1.05, 0.95, 0.9, 1.1, 1.15, 1.05, 0.95, 0.8]
U25_SEASON = [0.98, 0.97, 0.95, 0.94, 0.94, 0.97, 1.04, 1.08, 1.06, 1.03, 1.01, 1.0]
WOMEN_SHARE = {
    "elb": 0.505,
    "integrationen": 0.40,
    "lzb": 0.54,
    "lzb_integrationen": 0.42,
    "arbeitslose": 0.44,
    "arbeitslose_u25": 0.40,
}
COESFELD = "05558"
BORKEN = "05554"


REGELBEDARF = {
    2012: 374, 2013: 382, 2014: 391, 2015: 399, 2016: 404, 2017: 409, 2018: 416,
    2019: 424, 2020: 432, 2021: 446, 2022: 449, 2023: 502, 2024: 563,
}  # fmt: skip


def months():
    month, result = FIRST, []
    while month <= LAST:
        result.append(month)
        month = add_months(month, 1)
    return result


def distribute(total, weights):
    """Whole numbers in proportion to ``weights`` that add up to ``total``."""
    raw = [total * weight / sum(weights) for weight in weights]
    result = [int(share) for share in raw]
    largest_remainders = sorted(range(len(raw)), key=lambda i: result[i] - raw[i])
    for index in largest_remainders[: total - sum(result)]:
        result[index] += 1
    return result


def _years_since_start(month):
    return (month.year - 2012) + (month.month - 12) / 12


def _trend(month, key):
    """Level of eLb relative to December 2012."""
    years = _years_since_start(month)
    level = 1 - 0.012 * min(years, 7)  # slow decline until 2019
    if years > 3:
        level += 0.04 * min(1, (years - 3) / 1.5)  # refugees of 2015/16
    if month.year in (2020, 2021) and (month.year, month.month) >= (2020, 4):
        level += 0.04  # pandemic
    if (month.year, month.month) >= (2022, 6):
        step = min(1, (years - 9.5) * 2 + 0.25)  # Ukraine, from June 2022
        level += (0.27 if key == BORKEN else 0.10) * step
    return level


def _elb(key, rng):
    base = BASE_ELB.get(key) or rng.randrange(10_000, 40_000)
    return {
        month: round(
            base
            * _trend(month, key)
            * SEASON[month.month - 1]
            * (1 + rng.uniform(-0.003, 0.003))
        )
        for month in months()
    }


def _k2_rate(year, key, rng):
    if key == COESFELD and year == 2013:
        return 0.225
    rate = 0.23 + rng.uniform(-0.02, 0.03)
    return rate * (0.8 if year == 2020 else 1)


def _integrations(elb, key, rng):
    """Each year's sum is K2 × Ø eLb (Dec of the year before … Nov)."""
    result = {FIRST: round(0.22 * elb[FIRST] / 12 * INTEGRATION_SEASON[11])}
    for year in range(2013, LAST.year + 1):
        year_months = months_of_year(year)
        base = [elb[add_months(month, -1)] for month in year_months]
        total = round(_k2_rate(year, key, rng) * sum(base) / 12)
        result.update(
            zip(year_months, distribute(total, INTEGRATION_SEASON), strict=True)
        )
    return result


def _lzb(elb, key):
    def share(month):
        years = _years_since_start(month)
        refugees = 0.05 if (month.year, month.month) >= (2022, 6) else 0
        return 0.41 + 0.005 * min(years, 9) - refugees

    scale = 1.0
    if key == COESFELD:  # 3,489 long-term recipients in December 2013
        december = months_of_year(2013)[11]
        scale = 3489 / (elb[december] * share(december))
    return {month: round(value * share(month) * scale) for month, value in elb.items()}


def _scaled_to_2013(series, key, target_2013, generic):
    """``series`` × ratio; for Coesfeld the 2013 average is ``target_2013``."""
    raw = {month: value * generic for month, value in series.items()}
    if key != COESFELD:
        return {month: round(value) for month, value in raw.items()}
    year = months_of_year(2013)
    factor = target_2013 * 12 / sum(raw[month] for month in year)
    result = {month: round(value * factor) for month, value in raw.items()}
    exact = distribute(target_2013 * 12, [raw[month] for month in year])
    result.update(zip(year, exact, strict=True))
    return result


def provider_series(key):
    """{code: {month: total}} for one provider; the same on every call."""
    rng = random.Random(f"zielsteuerung-demo-{key}")  # noqa: S311 - demo data
    elb = _elb(key, rng)
    integrations = _integrations(elb, key, rng)
    bg = _scaled_to_2013(elb, key, 4400, 0.52)
    u25_raw = {m: v * U25_SEASON[m.month - 1] for m, v in elb.items()}
    return {
        "elb": elb,
        "integrationen": integrations,
        "lzb": _lzb(elb, key),
        "lzb_integrationen": {m: round(v * 0.36) for m, v in integrations.items()},
        "llu_eur": _euros(elb, lambda m: REGELBEDARF[m.year] * 0.86, rng),
        "luh_eur": _euros(bg, lambda m: 330 * 1.03 ** (m.year - 2013), rng),
        "bg": bg,
        "arbeitslose": {
            m: round(v * 0.34 * SEASON[m.month - 1]) for m, v in elb.items()
        },
        "arbeitslose_u25": _scaled_to_2013(u25_raw, key, 185, 0.022),
        "erwerbspersonen": _labour_force(elb, key, rng),
    }


def _labour_force(elb, key, rng):
    """The civilian labour force, one figure a year growing slowly.

    Sized so that the SGB II unemployment rate of 2013 is 1.7 % for Coesfeld
    (as its 2014 agreement says) and between 3 and 7 % elsewhere.
    """
    year_2013 = months_of_year(2013)
    unemployed_2013 = sum(elb[m] * 0.34 * SEASON[m.month - 1] for m in year_2013) / 12
    rate = 0.017 if key == COESFELD else rng.uniform(0.03, 0.07)
    base = unemployed_2013 / rate
    return {m: round(base * 1.004 ** (m.year - 2013)) for m in elb}


def _euros(counts, per_head, rng):
    return {
        month: Decimal(f"{count * per_head(month) + rng.random():.2f}")
        for month, count in counts.items()
    }


def split(code, total, rng):
    """{sex: value} with women + men = total."""
    if code not in WOMEN_SHARE:
        return {Sex.TOTAL: total}
    women = round(total * WOMEN_SHARE[code] * (1 + rng.uniform(-0.01, 0.01)))
    return {Sex.TOTAL: total, Sex.WOMEN: women, Sex.MEN: total - women}


# --- Loading ------------------------------------------------------------------


def load_demo_figures(*, say=print):
    """Create the figures of every provider that has none yet; report the time."""
    started = time.perf_counter()
    elements = ensure_default_elements()
    providers = Organisation.objects.providers().filter(regional_key__in=BASE_ELB)
    filled = set(
        MonthlyValue.objects.filter(provider__in=providers)
        .values_list("provider_id", flat=True)
        .distinct()
    )
    missing = [provider for provider in providers if provider.pk not in filled]
    with transaction.atomic():
        count = sum(_load_provider(p, elements) for p in missing)
        figures_changed(missing)
    say(
        f"Monatswerte: {count} Werte für {len(missing)} Träger angelegt, "
        f"{len(filled)} Träger schon vorhanden ({time.perf_counter() - started:.1f} s)."
    )
    return count


def _load_provider(provider, elements):
    """Insert one provider's values, their first history entry and its months.

    Plain INSERTs with executemany: the ORM's bulk_create spends most of its
    time compiling SQL for 50,000 rows, which made ``load_demo`` (and every
    test that calls it) several times slower.
    """
    now = timezone.now()
    rng = random.Random(f"zielsteuerung-demo-split-{provider.regional_key}")  # noqa: S311
    rows = [
        (provider.pk, month, elements[code].pk, sex, value, _status(month), now)
        for code, series in provider_series(provider.regional_key).items()
        for month, total in series.items()
        for sex, value in split(code, total, rng).items()
    ]
    insert_rows(
        MonthlyValue,
        ["provider", "month", "element", "sex", "value", "data_status", "changed_at"],
        rows,
        {"source": Source.DEMO, "comment": ""},
        logged=False,
    )
    created = list(
        MonthlyValue.objects.filter(provider=provider).values_list(
            "pk", "value", "data_status"
        )
    )
    insert_rows(
        MonthlyValueChange,
        ["monthly_value", "new_value", "data_status", "changed_at"],
        [(pk, value, status, now) for pk, value, status in created],
        {"source": Source.DEMO, "reason": "Demodaten", "old_data_status": ""},
        logged=False,
    )
    ReportingMonth.objects.bulk_create(
        [
            ReportingMonth(
                provider=provider,
                month=m,
                data_status=_status(m),
                version=1,
                updated_at=now,
            )
            for m in months()
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def _status(month):
    return DataStatus.PROVISIONAL if month >= PROVISIONAL_FROM else DataStatus.FINAL
