"""Comparing two states of an agreement: words as printed, values as agreed.

``document_state(agreement)`` flattens the agreement as printed
(``printing.print_document``) into blocks — the parties, each text, each
goal, each target with its values — as plain JSON-able data, so a state can
also be kept (the negotiation keeps one per round). ``compare(old, new)``
aligns the blocks of two states and marks, word by word, what was inserted
and deleted (difflib), and which values changed.

Blocks are matched by a key that says what they are (a goal by its number,
a target by goal, kind and indicator), not by database ids: two versions of
an agreement are copies with ids of their own.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from indicators import registry
from indicators.registry import Aspect, Unit

from .models import Comparator, TargetKind
from .printing import print_document

# Words, whole numbers as written (25,4 · 3.489 · −5,2), punctuation, spaces.
_TOKENS = re.compile(r"\s+|\d+(?:[.,]\d+)*|\w+|[^\w\s]")
_STATUS = {"t0": "t-0", "t3": "t-3"}


# --- a state: the agreement as printed, as plain data -------------------------


def _block(key, label, text, values=()):
    return {
        "key": key,
        "label": label,
        "text": text,
        "values": [list(v) for v in values],
    }


def _comparator(target):
    if not target.comparator:
        return ""
    return str(dict(Comparator.choices).get(target.comparator, target.comparator))


def target_values(target):
    """``[(name, text)]`` of the values a target agrees, formatted as shown."""
    values = []
    if target.target_value is not None:
        sign = target.aspect == Aspect.CHANGE
        value = registry.format_value(target.target_value, target.value_unit, sign=sign)
        values.append((_("Zielwert"), f"{_comparator(target)} {value}".strip()))
    if target.tolerance is not None:
        values.append(
            (_("Toleranz"), registry.format_value(target.tolerance, target.value_unit))
        )
    if target.baseline_value is not None:
        status = _STATUS.get(target.baseline_data_status)
        period = ", ".join(part for part in (target.baseline_period, status) if part)
        baseline = registry.format_value(target.baseline_value, target.baseline_unit)
        values.append((_("Ausgangswert"), f"{baseline} ({period})"))
    if target.target_change is not None:
        unit = Unit.PERCENTAGE_POINTS if target.change_in_points else Unit.PERCENT
        values.append(
            (
                _("Veränderung"),
                registry.format_value(target.target_change, unit, sign=True),
            )
        )
    if target.data_status:
        values.append((_("Datenstand"), _STATUS[target.data_status]))
    if target.deadline:
        values.append((_("Frist"), target.deadline.strftime("%-d.%-m.%Y")))
    return values


def _target_label(goal, target):
    what = target.get_indicator_display() or target.get_kind_display()
    if target.kind == TargetKind.QUALITATIVE or not target.indicator:
        what = target.label or target.sentence[:60] or what
    return _("Ziel %(number)s: %(what)s") % {"number": goal.number, "what": what}


def _target_blocks(goal):
    for entry in [*goal.targets, *goal.local_targets]:
        target = entry.target
        key = f"target|{goal.number}|{target.kind}|{target.indicator}|{target.local}"
        text = "\n".join(
            part
            for part in (entry.label, entry.intro, entry.sentence, entry.closing)
            if part
        )
        yield _block(key, _target_label(goal, target), text, target_values(target))


def _party_text(party):
    parts = [party.name]
    if party.representative:
        parts.append(_("vertreten durch %(who)s") % {"who": party.representative})
    if party.in_representation:
        parts.append(_("In Vertretung"))
    if party.signing_place or party.signing_date:
        parts.append(f"{party.signing_place}, {party.signing_date}".strip(", "))
    return "\n".join(parts)


def document_state(agreement):
    """The agreement as printed now, as blocks of plain data."""
    doc = print_document(agreement)
    blocks = [
        _block("ministry", _("Ministerium"), _party_text(doc.ministry)),
        _block("provider", _("Träger"), _party_text(doc.provider)),
        _block("legal_basis", _("Rechtsgrundlage"), doc.legal_basis),
        _block("preamble", _("Präambel"), doc.preamble),
        _block("references", _("Bezugsdokumente"), doc.references),
    ]
    for title, text in doc.focus_areas:
        blocks.append(_block("focus", _("Schwerpunkt"), f"{title}\n{text}"))
    blocks.append(_block("goals_intro", doc.goals_heading, doc.goals_intro))
    for item in doc.goals:
        goal_text = "\n".join(part for part in (item.title, item.text) if part)
        blocks.append(
            _block(
                f"goal|{item.number}",
                _("Ziel %(number)s") % {"number": item.number},
                goal_text,
            )
        )
        blocks.extend(_target_blocks(item))
        if item.local_intro:
            blocks.append(
                _block(
                    f"goal|{item.number}|local",
                    _("Ziel %(number)s: lokale Ziele") % {"number": item.number},
                    item.local_intro,
                )
            )
    blocks.append(_block("cooperation", doc.cooperation_heading, doc.cooperation))
    annexes = "\n".join(
        _("Anlage %(n)s: %(title)s") % {"n": number, "title": title}
        for number, (title, _annex) in enumerate(doc.annexes, start=1)
    )
    blocks.append(_block("annexes", _("Anlagen"), annexes))
    return {
        "label": _("Fassung %(v)s (%(status)s)")
        % {"v": agreement.version, "status": agreement.get_status_display()},
        "blocks": blocks,
    }


# --- comparing two states ------------------------------------------------------


@dataclass
class BlockDiff:
    label: str
    change: str  # "changed", "added", "removed" or "same"
    segments: list = field(default_factory=list)  # (op, text): "", "ins", "del"
    values: list = field(default_factory=list)  # (name, old, new) that differ


@dataclass
class Comparison:
    old_label: str
    new_label: str
    blocks: list

    @property
    def changed(self):
        return [block for block in self.blocks if block.change != "same"]

    @property
    def value_changes(self):
        return [
            (block.label, name, old, new)
            for block in self.blocks
            for name, old, new in block.values
        ]


def word_diff(old, new):
    """``[(op, text)]``: "" for equal, "del" and "ins" for changed words."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "", "".join(a[i1:i2]))
            continue
        _append(segments, "del", "".join(a[i1:i2]))
        _append(segments, "ins", "".join(b[j1:j2]))
    return segments


def _append(segments, op, text):
    if not text:
        return
    if segments and segments[-1][0] == op:
        segments[-1] = (op, segments[-1][1] + text)
    else:
        segments.append((op, text))


def _values_diff(old, new):
    old_values, new_values = dict(map(tuple, old)), dict(map(tuple, new))
    names = list(dict.fromkeys([*old_values, *new_values]))
    return [
        (name, old_values.get(name, "–"), new_values.get(name, "–"))
        for name in names
        if old_values.get(name) != new_values.get(name)
    ]


def _pair(old, new):
    values = _values_diff(old["values"], new["values"])
    if old["text"] == new["text"] and not values:
        return BlockDiff(new["label"], "same", [("", new["text"])])
    return BlockDiff(
        new["label"], "changed", word_diff(old["text"], new["text"]), values
    )


def _alone(block, change):
    op = "ins" if change == "added" else "del"
    side = 2 if change == "added" else 1
    values = [
        (name, "–", text) if side == 2 else (name, text, "–")
        for name, text in block["values"]
    ]
    return BlockDiff(block["label"], change, [(op, block["text"])], values)


def compare(old_state, new_state):
    """Align the blocks of two states and mark what changed between them."""
    old, new = old_state["blocks"], new_state["blocks"]
    matcher = difflib.SequenceMatcher(
        None, [b["key"] for b in old], [b["key"] for b in new], autojunk=False
    )
    blocks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks += [_pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
            continue
        blocks += [_alone(block, "removed") for block in old[i1:i2]]
        blocks += [_alone(block, "added") for block in new[j1:j2]]
    blocks = [
        block for block in blocks if block.change != "same" or block.segments[0][1]
    ]
    return Comparison(old_state["label"], new_state["label"], blocks)
