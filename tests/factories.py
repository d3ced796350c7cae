"""Small factories: build exactly what a test needs, never the whole demo."""

from decimal import Decimal

from django.db.models import QuerySet

from agreements import services
from agreements.models import Agreement, AgreementStatus, Goal, Target


def agreement(provider, year, *, status=AgreementStatus.NEGOTIATION):
    """An agreement of ``provider`` for ``year``; in negotiation it is in force."""
    created = services.agreement_create(provider=provider, year=year)
    Agreement.objects.filter(pk=created.pk).update(status=status)
    created.refresh_from_db()
    return created


def set_status(agreement, status):
    """Move ``agreement`` to ``status`` directly (after its content is built).

    A plain queryset bypasses the lock on final and signed agreements, so a
    test can also step back to build more content.
    """
    QuerySet(model=Agreement).filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    return agreement


def goal(agreement, number="II", title="Integration", **fields):
    return Goal.objects.create(
        agreement=agreement, number=number, title=title, **fields
    )


def target(goal, **fields):
    """A target; numbers may be given as strings: ``target_value="-5.2"``."""
    for name in ("target_value", "baseline_value", "target_change", "tolerance"):
        if isinstance(fields.get(name), str | int):
            fields[name] = Decimal(fields[name])
    fields.setdefault("position", goal.targets.count())
    return Target.objects.create(goal=goal, **fields)


def change_target(goal, indicator, value, comparator="gte", **fields):
    return target(
        goal,
        kind="change",
        indicator=indicator,
        target_value=value,
        comparator=comparator,
        **fields,
    )


def level_target(goal, indicator, value, comparator="gte", **fields):
    return target(
        goal,
        kind="level",
        indicator=indicator,
        target_value=value,
        comparator=comparator,
        **fields,
    )


def reporting_months(provider, first, last, status="t3"):
    """The data status of ``provider``'s months ``first`` … ``last`` (first days)."""
    from indicators.calculations import months_between
    from indicators.models import ReportingMonth

    for month in months_between(first, last):
        ReportingMonth.objects.update_or_create(
            provider=provider, month=month, defaults={"data_status": status}
        )
