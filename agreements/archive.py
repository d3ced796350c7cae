"""The machine-readable content of an agreement, attached to its archive copy.

The JSON carries what later steering needs without reading the PDF: the
parties as signed, every target with its values, and the annexes (attached
to the same PDF) with their SHA-256. Decimals are strings
("25.4") so no precision is lost, dates are ISO 8601.
"""

import json
from decimal import Decimal

from .annexes import attachment_name
from .models import Goal
from .wording import target_text

FORMAT = "zielsteuerung/agreement-targets/3"
ATTACHMENT_NAME = "zielvereinbarung.json"
_TARGET_FIELDS = (
    "kind",
    "local",
    "indicator",
    "unit",
    "comparator",
    "target_value",
    "tolerance",
    "data_status",
    "baseline_value",
    "baseline_year",
    "baseline_month",
    "baseline_data_status",
    "target_change",
    "deadline",
)


def targets_json(agreement):
    """The agreement's parties, goals and targets as UTF-8 JSON bytes."""
    data = {
        "format": FORMAT,
        "provider": agreement.provider.name,
        "regional_key": agreement.provider.regional_key,
        "year": agreement.year,
        "version": agreement.version,
        "amends_version": agreement.amends.version if agreement.amends else None,
        "legal_basis": agreement.legal_basis,
        "parties": [_party(party) for party in agreement.parties.all()],
        "goals": [
            _goal(goal, agreement.year)
            for goal in Goal.objects.filter(agreement=agreement).prefetch_related(
                "targets"
            )
        ],
        "annexes": [
            {
                "title": annex.title,
                "kind": annex.kind,
                "attachment": attachment_name(annex, number),
                "sha256": annex.sha256,
            }
            for number, annex in enumerate(agreement.annexes.all(), start=1)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _party(party):
    return {
        "role": party.role,
        "name": party.name,
        "short_name": party.short_name,
        "representative": party.representative,
        "in_representation": party.in_representation,
        "signing_place": party.signing_place,
        "signing_date": _plain(party.signing_date),
    }


def _goal(goal, year):
    return {
        "number": goal.number,
        "title": goal.title,
        "targets": [_target(target, year) for target in goal.targets.all()],
    }


def _target(target, year):
    """The fields, and the text exactly as printed."""
    data = {name: _plain(getattr(target, name)) for name in _TARGET_FIELDS}
    text = target_text(target, year)
    data["text"] = {
        "label": text.label,
        "intro": text.intro,
        "sentence": text.sentence,
        "closing": text.closing,
    }
    return data
