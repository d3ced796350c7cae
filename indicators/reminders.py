"""Reminder e-mails about reporting deadlines (``manage.py send_reminders``).

Within the calendar's days before a deadline, and once it has passed, the
provider's editors get an e-mail; for an overdue month the supervising
ministry's editors get one too. One ``Reminder`` row per provider, month,
deadline (t-0/t-3) and stage (before/overdue) is written in the same
transaction as the e-mails go out: its unique constraint makes sure nobody is
reminded twice, and when sending fails nothing is recorded, so the next run
tries again. Each run bundles a provider's months into one e-mail per
recipient group.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation

from .deadlines import (
    MonthReport,
    ReminderStage,
    months_from,
    reminder_stage,
    report_state,
)
from .models import Reminder
from .months import add_months, month_label
from .reporting import first_reported_months, month_statuses, rules_by_ministry

# Reminders look back this many months; older overdue months stay on the
# cockpit and the start page but are not e-mailed again and again.
LOOKBACK_MONTHS = 15


@dataclass(frozen=True)
class DueReminder:
    report: MonthReport
    stage: str

    @property
    def key(self):
        return (self.report.month, self.report.deadline_kind, self.stage)


def reminders_due(today):
    """{provider: [DueReminder]} not sent yet on ``today``: five queries."""
    providers = list(
        Organisation.objects.providers().select_related("supervisor").order_by("name")
    )
    ids = [provider.pk for provider in providers]
    rules = rules_by_ministry({provider.supervisor_id for provider in providers})
    this_month = today.replace(day=1)
    months = months_from(add_months(this_month, -LOOKBACK_MONTHS), this_month)
    statuses = month_statuses(ids, months)
    firsts = first_reported_months(ids)
    sent = set(
        Reminder.objects.filter(month__gte=months[0]).values_list(
            "provider_id", "month", "deadline_kind", "stage"
        )
    )
    due = {}
    for provider in providers:
        provider_rules = rules[provider.supervisor_id]
        first = provider_rules.first_month(firsts.get(provider.pk), today)
        for month in months:
            report = report_state(
                month,
                data_status=statuses.get((provider.pk, month)),
                rules=provider_rules,
                today=today,
                first_month=first,
            )
            stage = reminder_stage(report, provider_rules, today)
            item = DueReminder(report, stage)
            if stage and (provider.pk, *item.key) not in sent:
                due.setdefault(provider, []).append(item)
    return due


def reminders_send(*, today, connection=None):
    """Send every reminder due on ``today``; return the Reminder rows written."""
    due = reminders_due(today)
    editors = _editors(due)
    written = []
    with connection or get_connection() as mail:
        for provider, items in due.items():
            written.extend(_send(provider, items, editors, today, mail))
    return written


def _editors(due):
    """{organisation id: ["Name <address>"]} of the editors concerned."""
    organisations = {p.pk for p in due} | {p.supervisor_id for p in due}
    editors = defaultdict(list)
    for user in (
        policy.figure_editors(organisations).exclude(email="").order_by("username")
    ):
        name = user.get_full_name() or user.username
        editors[user.organisation_id].append(f"{name} <{user.email}>")
    return editors


def _send(provider, items, editors, today, mail):
    jobcenter = editors.get(provider.pk, [])
    ministry = editors.get(provider.supervisor_id, [])
    overdue = [item for item in items if item.stage == ReminderStage.OVERDUE]
    messages, records = [], []
    if jobcenter:
        messages.append(_message(provider, items, jobcenter, today, for_ministry=False))
    if overdue and ministry:
        messages.append(_message(provider, overdue, ministry, today, for_ministry=True))
    now = timezone.now()
    for item in items:
        told = jobcenter + (ministry if item.stage == ReminderStage.OVERDUE else [])
        if told:
            records.append(_record(provider, item, told, now))
    if not records:
        return []  # nobody with an address: try again once someone has one
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(records)
            mail.send_messages(messages)
    except IntegrityError:  # a parallel run has just sent them
        return []
    return records


def _record(provider, item, recipients, now):
    return Reminder(
        provider=provider,
        month=item.report.month,
        deadline_kind=item.report.deadline_kind,
        stage=item.stage,
        deadline=item.report.deadline,
        recipients="\n".join(recipients),
        sent_at=now,
    )


def _message(provider, items, recipients, today, *, for_ministry):
    overdue = any(item.stage == ReminderStage.OVERDUE for item in items)
    if overdue:
        subject = _("Überfällige Monatswerte: %(provider)s")
    else:
        subject = _("Erinnerung: Monatswerte %(provider)s bald fällig")
    lines = [
        {
            "month": month_label(item.report.month),
            "kind": item.report.deadline_kind,
            "deadline": item.report.deadline,
            "overdue": item.stage == ReminderStage.OVERDUE,
            "url": settings.SITE_URL
            + reverse(
                "indicators:grid", args=[provider.regional_key, item.report.month]
            ),
        }
        for item in items
    ]
    body = render_to_string(
        "indicators/email/reminder.txt",
        {
            "provider": provider,
            "lines": lines,
            "for_ministry": for_ministry,
            "cockpit_url": settings.SITE_URL
            + reverse("indicators:cockpit", args=[today.year]),
            "calendar_url": settings.SITE_URL + reverse("indicators:calendar"),
        },
    )
    return EmailMessage(
        subject=subject % {"provider": provider.name}, body=body, to=recipients
    )
