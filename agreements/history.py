"""The change log of one agreement, read from django-simple-history's tables.

Five queries whatever the size: one per history table. Differences between
consecutive versions of each object are computed here in Python, so no
per-record lookups of the previous version are needed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from zielsteuerung.numbers import format_decimal

from .models import Agreement, Goal, Party, Target

_IGNORED = {
    "id",
    "created_at",
    "updated_at",
    "agreement",
    "goal",
    "organisation",
    "signed_copy",
    "archive_pdf",
    "numbers_confirmed_digest",
}
_ACTIONS = {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    user: str
    action: str
    object_label: str
    changes: list = field(default_factory=list)
    reason: str = ""


def agreement_history(agreement):
    """All recorded changes to ``agreement`` and its parts, newest first."""
    goal_ids = set(
        Goal.history.filter(agreement_id=agreement.pk).values_list("id", flat=True)
    )
    sources = [
        (Agreement, Agreement.history.filter(id=agreement.pk), _label_agreement),
        (Party, Party.history.filter(agreement_id=agreement.pk), _label_party),
        (Goal, Goal.history.filter(agreement_id=agreement.pk), _label_goal),
        (Target, Target.history.filter(goal_id__in=goal_ids), _label_target),
    ]
    entries = []
    for model, records, labeller in sources:
        entries.extend(
            _entries(model, records.select_related("history_user"), labeller)
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _entries(model, records, labeller):
    fields = [f for f in model._meta.concrete_fields if f.name not in _IGNORED]
    previous_by_id = {}
    for record in records.order_by("history_date", "history_id"):
        previous = previous_by_id.get(record.id)
        previous_by_id[record.id] = record
        changes = [
            Change(str(f.verbose_name), _display(previous, f), _display(record, f))
            for f in fields
            if record.history_type == "~"
            and previous is not None
            and getattr(previous, f.attname) != getattr(record, f.attname)
        ]
        reason = record.history_change_reason or ""
        if record.history_type == "~" and not changes and not reason:
            continue
        yield Entry(
            when=record.history_date,
            user=_user_label(record.history_user),
            action=str(_ACTIONS[record.history_type]),
            object_label=labeller(record),
            changes=changes,
            reason=reason,
        )


def _display(record, model_field):
    if record is None:
        return ""
    value = getattr(record, model_field.attname)
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("ja") if value else _("nein"))
    if isinstance(value, Decimal):
        return format_decimal(value)
    if value is None or value == "":
        return "–"
    if hasattr(value, "strftime"):
        return value.strftime("%-d.%-m.%Y")
    return str(value)


def _user_label(user):
    if user is None:
        return str(_("System"))
    return user.get_full_name() or user.username


def _label_agreement(record):
    return str(_("Vereinbarung"))


def _label_party(record):
    return str(_("Vertragspartei: %(name)s") % {"name": record.name})


def _label_goal(record):
    return str(_("Ziel %(number)s") % {"number": record.number})


def _label_target(record):
    text = record.label or record.sentence or record.get_indicator_display()
    text = text or record.get_kind_display()
    return str(_("Zielvorgabe: %(text)s") % {"text": text[:70]})
