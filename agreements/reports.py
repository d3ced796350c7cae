"""The progress report of a steering dialogue, as PDF.

``report_document`` collects what the report shows — every target of the
version in force with its value, data status and the month of the figures,
forecast, status and chart (with the target line for level targets), the
Jobcenter's explanations, and the actions still open from earlier dialogues
— from the same functions the progress page uses. ``render_report_pdf``
turns it into a tagged PDF once, when the dialogue is prepared; the bytes
are stored and served as they are, never rendered again.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ActionStatus, AgreedAction, DialogueStatus
from .pdf import html_to_pdf
from .presentation import progress_view
from .progress import agreement_progress

TEMPLATE = "agreements/dialogues/report.html"


@dataclass
class ReportGoal:
    goal: object
    rows: list  # (ProgressView, [explanations])


@dataclass
class ReportDocument:
    dialogue: object
    agreement: object
    number: int
    prepared_at: datetime.datetime
    as_of: datetime.date | None
    goals: list
    general_comments: list
    open_actions: list = field(default_factory=list)


def dialogue_number(dialogue):
    """1 for the provider's first dialogue of the year, 2 for the second …

    Cancelled dialogues are not counted and have no number (None).
    """
    if dialogue.is_cancelled:
        return None
    earlier = (
        type(dialogue)
        .objects.of_year(dialogue.agreement.provider_id, dialogue.agreement.year)
        .exclude(status=DialogueStatus.CANCELLED)
    )
    return (
        earlier.filter(held_on__lt=dialogue.held_on).count()
        + earlier.filter(held_on=dialogue.held_on, pk__lt=dialogue.pk).count()
        + 1
    )


def numbered(dialogues):
    """``(number, dialogue)`` for dialogues in order; cancelled ones get None."""
    rows, number = [], 0
    for dialogue in dialogues:
        if not dialogue.is_cancelled:
            number += 1
        rows.append((None if dialogue.is_cancelled else number, dialogue))
    return rows


def carried_over_actions(dialogue):
    """Actions of earlier dialogues of the provider still open, or closed here.

    An action reappears in every later dialogue until one of them closes it;
    the dialogue that closes it still shows it, with its new status. A
    cancelled dialogue takes up none: they pass on to the next one, with the
    actions agreed in it, if any.
    """
    if dialogue.is_cancelled:
        return []
    provider = dialogue.agreement.provider_id
    earlier = AgreedAction.objects.filter(dialogue__agreement__provider=provider)
    earlier = earlier.exclude(dialogue=dialogue).filter(
        dialogue__held_on__lte=dialogue.held_on
    )
    earlier = earlier.exclude(
        dialogue__held_on=dialogue.held_on, dialogue__pk__gt=dialogue.pk
    )
    return list(
        earlier.filter(Q(status=ActionStatus.OPEN) | Q(closed_in=dialogue))
        .select_related("dialogue")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def report_document(dialogue, *, prepared_at=None):
    """What the report of ``dialogue`` shows, computed from today's figures."""
    agreement = dialogue.agreement
    explanations = defaultdict(list)
    general = []
    for comment in dialogue.comments.select_related("author"):
        if comment.target_id:
            explanations[comment.target_id].append(comment)
        else:
            general.append(comment)
    goals = []
    as_of = []
    for goal, progresses in agreement_progress(agreement):
        rows = []
        for progress in progresses:
            view = progress_view(progress, agreement.year)
            if progress.as_of:
                as_of.append(progress.as_of)
            rows.append((view, explanations.get(progress.target.pk, [])))
        goals.append(ReportGoal(goal, rows))
    actions = carried_over_actions(dialogue)
    return ReportDocument(
        dialogue=dialogue,
        agreement=agreement,
        number=dialogue_number(dialogue),
        prepared_at=prepared_at or timezone.now(),
        as_of=max(as_of, default=None),
        goals=goals,
        general_comments=general,
        open_actions=actions,
    )


def render_report_html(dialogue, *, prepared_at=None):
    document = report_document(dialogue, prepared_at=prepared_at)
    return render_to_string(TEMPLATE, {"report": document}), document


def render_report_pdf(dialogue, *, prepared_at=None):
    """``(pdf bytes, ReportDocument)``: a tagged, accessible PDF (PDF/UA-1)."""
    html, document = render_report_html(dialogue, prepared_at=prepared_at)
    return html_to_pdf(html, pdf_variant="pdf/ua-1"), document
