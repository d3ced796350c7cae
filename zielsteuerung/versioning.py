"""No lost updates: every edit form carries the version it was opened at.

The version of an object is the id of its latest history record
(django-simple-history writes one on every save and delete); a form over
several objects (an agreement with its parties and focus areas) carries one
number per history table, joined with dots. The save service locks the row,
computes the version again and raises ``EditConflict`` when it moved; the
view then shows the form again with what was typed, the other person's
changes beside each field (read from the history between the two versions)
and the new version, so that saving again overwrites on purpose. The monthly
grid does the same with its own version number (``ReportingMonth.version``).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .numbers import format_decimal

# Long texts are shown shortened beside the field.
SHOWN_CHARACTERS = 300


class EditConflict(Exception):
    """Someone saved after the form was opened; ``version`` is the current one."""

    def __init__(self, version):
        super().__init__(version)
        self.version = version


class EditGone(Exception):
    """The object was deleted or frozen after the form was opened (German text)."""


def history_version(history):
    """The highest history id among ``history`` (a queryset of records), or 0."""
    return history.aggregate(highest=Max("history_id"))["highest"] or 0


def combined(*histories):
    """The version of a form over several history tables: ``"12.40.0"``."""
    return ".".join(str(history_version(history)) for history in histories)


def check_version(expected, current):
    """Raise ``EditConflict`` unless the form's version is the current one."""
    if (expected or "").strip() != current:
        raise EditConflict(current)


def part(version, index):
    """The ``index``-th number of a combined version (0 if it is malformed)."""
    try:
        return int((version or "").split(".")[index])
    except (ValueError, IndexError):
        return 0


@dataclass
class TheirChanges:
    """What another person changed in one object since a version."""

    fields: dict  # field name → their value, as shown
    who: str
    when: object
    deleted: bool = False

    def __bool__(self):
        return bool(self.fields) or self.deleted


def their_changes(history, since, field_names):
    """The fields of one object changed after history id ``since``.

    ``history`` is the object's history (``Goal.history.filter(id=pk)``).
    Returns ``TheirChanges`` (empty when nothing changed since).
    """
    records = history.select_related("history_user").order_by("history_id")
    before = records.filter(history_id__lte=since).last()
    latest = records.last()
    if latest is None or latest.history_id <= since:
        return TheirChanges({}, "", None)
    who = _user_label(latest.history_user)
    if latest.history_type == "-":
        return TheirChanges({}, who, latest.history_date, deleted=True)
    stored = {field.name: field for field in latest.instance_type._meta.fields}
    fields = {}
    for name in field_names:
        field = stored.get(name)
        if field is None:  # a form-only field: nothing stored to compare
            continue
        theirs = getattr(latest, field.attname, None)
        if before is None or getattr(before, field.attname, None) != theirs:
            fields[name] = display(field, theirs)
    return TheirChanges(fields, who, latest.history_date)


def display(field, value):
    """A stored value as people read it: labels, German numbers and dates."""
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, Decimal):
        return format_decimal(value)
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j.n.Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j.n.Y")
    text = str(value)
    if len(text) > SHOWN_CHARACTERS:
        text = text[:SHOWN_CHARACTERS] + " …"
    return text


def saved_since(history, since):
    """``TheirChanges`` naming who wrote ``history`` after id ``since``.

    For forms over many rows (a formset) where a row may be gone or new: the
    message above the form names everyone who saved meanwhile.
    """
    later = history.filter(history_id__gt=since).select_related("history_user")
    return [
        TheirChanges({}, _user_label(record.history_user), record.history_date, True)
        for record in later.order_by("history_id")
    ]


def _user_label(user):
    if user is None:
        return _("jemand anderes")
    return user.get_full_name() or user.get_username()


def mark_conflict(form, changes):
    """Tell on ``form`` (bound and validated) what changed meanwhile.

    A message for the whole form, and beside each field the other person's
    value; the typed values stay in the fields.
    """
    form.is_valid()
    if changes.deleted:
        form.add_error(
            None,
            _("%(who)s hat diesen Eintrag inzwischen gelöscht.") % {"who": changes.who},
        )
        return
    for name, value in changes.fields.items():
        if name in form.fields:
            form.add_error(
                name,
                _(
                    "Inzwischen von %(who)s gespeichert: „%(value)s“. Ihre Eingabe "
                    "steht im Feld."
                )
                % {"who": changes.who, "value": value},
            )


def mark_conflicts(pairs):
    """Mark each (form, TheirChanges) and put the message on the first form."""
    for form, changes in pairs:
        mark_conflict(form, changes)
    pairs[0][0].add_error(None, conflict_message([changes for _f, changes in pairs]))


def keep_input(forms, message):
    """Say on the first of ``forms`` (bound) why nothing was saved."""
    for form in forms:
        form.is_valid()
    forms[0].add_error(None, message)


def posted_version(request, current):
    """The version a form carries: as posted, or the current one on a GET."""
    if request.method == "POST":
        return request.POST.get("version", "")
    return current


def conflict_message(changes_list):
    """The message above a form that someone else saved meanwhile."""
    names = sorted({changes.who for changes in changes_list if changes}) or [
        _("jemand anderes")
    ]
    return _(
        "%(who)s hat inzwischen gespeichert, nachdem Sie die Seite geöffnet "
        "haben. Es wurde nichts überschrieben: Ihre Eingaben stehen in den "
        "Feldern, die Änderungen der anderen Person stehen bei den Feldern. "
        "Prüfen Sie sie und speichern Sie erneut, um Ihre Fassung zu übernehmen."
    ) % {"who": ", ".join(names)}


def rebase_formset_data(data, prefix, field_names, current):
    """The POST data of a model formset, rebuilt over the rows stored now.

    Typed rows keep their values; rows the other person added show their
    stored values; typed rows whose object was deleted meanwhile become new
    rows (saved again as new) and are returned by index so the view can say
    so. ``current`` are the stored objects in the formset's order.
    """
    total = _int(data.get(f"{prefix}-TOTAL_FORMS"))
    typed = [
        {
            name: data.get(f"{prefix}-{index}-{name}", "")
            for name in [*field_names, "id", "DELETE"]
        }
        for index in range(total)
    ]
    by_id = {row["id"]: row for row in typed if row["id"]}
    rows = []
    for obj in current:
        row = by_id.pop(str(obj.pk), None)
        if row is None:
            row = {name: _as_input(getattr(obj, name)) for name in field_names}
        rows.append({**row, "id": str(obj.pk)})
    revived = []
    for row in typed:
        if row["id"] in by_id and not row.get("DELETE"):
            revived.append(len(rows))
            rows.append({**row, "id": ""})
        elif not row["id"] and any(row.get(name) for name in field_names):
            rows.append(row)
    result = data.copy()
    for key in [key for key in result if key.startswith(f"{prefix}-")]:
        del result[key]
    result[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + 1)
    result[f"{prefix}-INITIAL_FORMS"] = str(len(current))
    result[f"{prefix}-MIN_NUM_FORMS"] = "0"
    result[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for index, row in enumerate(rows):
        for name, value in row.items():
            if name == "DELETE" and not value:
                continue
            result[f"{prefix}-{index}-{name}"] = value
    return result, revived


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


def _as_input(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)
