"""The year-end result: when it can be recorded, recording it, reading it.

The result of a target is recorded once December's final (t-3) figures of
the provider are in (``december_is_final``). ``year_end_result_record``
freezes the value computed from the figures with its data status and the
computed status, beside the ministry's judgement and reasons; the year is
closed for the provider once every target of the version in force has a
result. ``year_end_result_correct`` changes the judgement, never silently:
only with a reason, which the history keeps. ``revision_note`` (pure) says
whether figures revised since then give another value.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import registry
from indicators.attainment import Status
from indicators.models import DataStatus
from indicators.selectors import data_statuses_for
from zielsteuerung.accounts import policy

from .models import (
    Agreement,
    QualitativeStatus,
    ResultStatus,
    TargetKind,
    YearEndResult,
)
from .presentation import progress_view
from .progress import agreement_progress
from .wording import short_rule

RESULT_COLOURS = {
    ResultStatus.ACHIEVED: "success",
    ResultStatus.ACHIEVED_CONSIDERING: "success",
    ResultStatus.MISSED: "danger",
    ResultStatus.NOT_JUDGED: "secondary",
}
ASSESSED = {
    QualitativeStatus.ACHIEVED: Status.ACHIEVED,
    QualitativeStatus.MISSED: Status.MISSED,
}
# What the official result counts as where statuses are counted or filtered.
AS_STATUS = {
    ResultStatus.ACHIEVED: Status.ACHIEVED,
    ResultStatus.ACHIEVED_CONSIDERING: Status.ACHIEVED,
    ResultStatus.MISSED: Status.MISSED,
}


class YearEndError(Exception):
    """A result cannot be recorded or corrected now (German message)."""


def result_recorded_message():
    """Why a target with a year-end result takes no more status reports."""
    return _(
        "Für diese Zielvorgabe ist das Jahresergebnis festgehalten. Der Stand "
        "wird nicht mehr eingetragen; eine Änderung des Ergebnisses geht nur "
        "mit Begründung über „Korrigieren“ auf der Seite Jahresergebnis."
    )


def recorded_target_ids(targets):
    """Which of ``targets`` have their year-end result recorded (one query).

    Such a target is closed: its status (``TargetAssessment``) and the
    Jobcenter's reports no longer change, so the progress page, the
    dialogues and the year-end result never tell two stories.
    """
    ids = [target.pk for target in targets]
    return set(
        YearEndResult.objects.filter(target_id__in=ids).values_list(
            "target_id", flat=True
        )
    )


def refuse_if_recorded(target, error):
    """Raise ``error`` (with the message) if ``target``'s result is recorded."""
    if YearEndResult.objects.filter(target_id=target.pk).exists():
        raise error(result_recorded_message())


# --- pure -------------------------------------------------------------------


def suggested_status(target, computed_status):
    """The result the figures (or the person's assessment) suggest, or None."""
    if target.kind == TargetKind.MONITORING:
        return ResultStatus.NOT_JUDGED
    if computed_status == Status.ACHIEVED:
        return ResultStatus.ACHIEVED
    if computed_status == Status.MISSED:
        return ResultStatus.MISSED
    return None


def judgement_problem(target, status, reasoning, computed_status):
    """Why this judgement cannot be recorded (German), or "" when it can."""
    monitoring = target.kind == TargetKind.MONITORING
    if monitoring != (status == ResultStatus.NOT_JUDGED):
        if monitoring:
            return _("Beobachtungsziele werden nicht bewertet.")
        return _("„Ohne Bewertung“ gilt nur für Beobachtungsziele.")
    if (reasoning or "").strip():
        return ""
    if status == ResultStatus.ACHIEVED_CONSIDERING:
        return _("Bitte begründen, welche Rahmenbedingungen berücksichtigt wurden.")
    if status != suggested_status(target, computed_status):
        return _(
            "Das Ergebnis weicht von der Berechnung ab oder lässt sich nicht "
            "berechnen: bitte begründen."
        )
    return ""


def revision_note(result, judgement):
    """``Monatswerte seither geändert: neu berechnet +9,0 %`` or ""."""
    if result is None or judgement is None:
        return ""
    value = judgement.value
    now = value.value if value.computable else None
    if now == result.value:
        return ""
    if now is None:
        recomputed = _("nicht mehr berechenbar")
    else:
        recomputed = judgement.rule.format(now)
    return _("Monatswerte seither geändert: neu berechnet %(value)s") % {
        "value": recomputed
    }


@dataclass
class OfficialResult:
    """A recorded result as the overview shows it, with any later revision."""

    result: YearEndResult
    revision_note: str = ""

    @property
    def badge(self):
        """None for monitoring targets, which the overview shows without one."""
        if self.result.status == ResultStatus.NOT_JUDGED:
            return None
        return self.result.get_status_display(), RESULT_COLOURS[self.result.status]

    @property
    def sort_value(self):
        value = self.result.value
        return "" if value is None else f"{value:f}"


def official_result(result, judgement):
    return OfficialResult(result, revision_note(result, judgement))


# --- reading ----------------------------------------------------------------


def december_is_final(provider, year):
    """Whether December of ``year`` has the final data status (t-3)."""
    december = datetime.date(year, 12, 1)
    statuses = data_statuses_for([provider], december, december)
    return statuses.get(getattr(provider, "pk", provider), {}).get(december) == (
        DataStatus.FINAL
    )


@dataclass
class ResultRow:
    view: object  # presentation.ProgressView of the target, computed now
    result: YearEndResult | None

    @property
    def target(self):
        return self.view.target

    @property
    def computed_status(self):
        """From the figures; for targets a person judges, the recorded assessment."""
        progress = self.view.progress
        if progress.is_automatic:
            return progress.status
        assessment = progress.assessment
        return ASSESSED.get(assessment.status) if assessment else None

    @property
    def suggested(self):
        return suggested_status(self.target, self.computed_status)

    @property
    def revision_note(self):
        return revision_note(self.result, self.view.judgement)

    @property
    def result_badge(self):
        if self.result is None:
            return None
        return self.result.get_status_display(), RESULT_COLOURS[self.result.status]


def year_end_rows(agreement):
    """``[(goal, [ResultRow])]``: each target computed now, beside its result."""
    results = {
        result.target_id: result
        for result in YearEndResult.objects.filter(
            target__goal__agreement=agreement
        ).select_related("recorded_by")
    }
    return [
        (
            goal,
            [
                ResultRow(
                    progress_view(progress, agreement.year),
                    results.get(progress.target.pk),
                )
                for progress in progresses
            ],
        )
        for goal, progresses in agreement_progress(agreement, with_course=False)
    ]


def is_closed(rows):
    """Every target of the agreement has its result (``rows`` as above)."""
    targets = [row for _goal, goal_rows in rows for row in goal_rows]
    return bool(targets) and all(row.result is not None for row in targets)


def closed_agreement_ids(agreements):
    """Of ``agreements`` (with ``overview_targets``), the closed ones."""
    target_ids = {
        agreement.pk: [target.pk for target in agreement.overview_targets]
        for agreement in agreements
    }
    recorded = set(
        YearEndResult.objects.filter(
            target_id__in=[pk for ids in target_ids.values() for pk in ids]
        ).values_list("target_id", flat=True)
    )
    return {pk for pk, ids in target_ids.items() if ids and recorded.issuperset(ids)}


# --- writing ----------------------------------------------------------------


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("Sie dürfen das Jahresergebnis nicht festhalten."))


def _check_can_record(agreement, acting_user):
    _require(policy.can_record_year_end(acting_user, agreement))
    in_force = agreement.version_in_force()
    if in_force is None or in_force.pk != agreement.pk:
        raise YearEndError(
            _("Das Jahresergebnis wird für die geltende Fassung festgehalten.")
        )
    if agreement.is_editable:
        raise YearEndError(
            _(
                "Das Jahresergebnis wird erst für die Endfassung oder die "
                "unterzeichnete Fassung festgehalten."
            )
        )
    if not december_is_final(agreement.provider_id, agreement.year):
        raise YearEndError(
            _(
                "Das Jahresergebnis kann erst festgehalten werden, wenn die "
                "Monatswerte für Dezember %(year)s endgültig sind (t-3)."
            )
            % {"year": agreement.year}
        )


@transaction.atomic
def year_end_results_record(*, agreement, judgements, acting_user):
    """Freeze the computed values and record the ministry's judgements.

    ``judgements`` maps target ids to ``(status, reasoning)``. All or nothing:
    a target that already has a result is refused (corrections say why).
    """
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(pk=agreement.pk)
    )
    _check_can_record(agreement, acting_user)
    rows = {row.target.pk: row for _goal, rs in year_end_rows(agreement) for row in rs}
    now = timezone.now()
    recorded = []
    for target_pk, (status, reasoning) in judgements.items():
        row = rows.get(target_pk)
        if row is None:
            raise YearEndError(_("Diese Zielvorgabe gehört nicht zur Vereinbarung."))
        if row.result is not None:
            raise YearEndError(
                _(
                    "Für diese Zielvorgabe ist das Jahresergebnis schon "
                    "festgehalten. Eine Änderung braucht eine Begründung "
                    "(„Korrigieren“)."
                )
            )
        problem = judgement_problem(row.target, status, reasoning, row.computed_status)
        if problem:
            raise YearEndError(problem)
        recorded.append(_frozen(row, status, reasoning, acting_user, now))
    return recorded


def _frozen(row, status, reasoning, acting_user, now):
    value, text = _value_of(row)
    result = YearEndResult(
        target=row.target,
        rule_text=short_rule(row.target)[:300],
        value=value,
        value_text=text,
        as_of=row.view.progress.as_of,
        data_status_text=row.view.data_status_text[:200],
        computed_status=row.computed_status or "",
        status=status,
        reasoning=(reasoning or "").strip(),
        recorded_by=acting_user,
        recorded_at=now,
    )
    result._history_user = acting_user
    result._change_reason = _("Jahresergebnis festgehalten")
    result.save()
    return result


def _value_of(row):
    """The value to freeze: computed, or the value a person recorded."""
    judgement = row.view.judgement
    if judgement is not None:
        outcome = judgement.value
        return (outcome.value if outcome.computable else None), row.view.actual_text
    assessment = row.view.progress.assessment
    if assessment is None or assessment.actual_value is None:
        return None, ""
    value = assessment.actual_value
    return value, registry.format_value(value, row.target.value_unit)


@transaction.atomic
def year_end_result_correct(*, result, status, reasoning, reason, acting_user):
    """Change the judgement of a recorded result; the frozen value stays."""
    result = YearEndResult.objects.select_for_update().get(pk=result.pk)
    target = result.target
    _require(policy.can_record_year_end(acting_user, target.goal.agreement))
    if not (reason or "").strip():
        raise YearEndError(_("Bitte angeben, warum das Ergebnis geändert wird."))
    problem = judgement_problem(target, status, reasoning, result.computed_status)
    if problem:
        raise YearEndError(problem)
    result.status = status
    result.reasoning = (reasoning or "").strip()
    result._history_user = acting_user
    result._change_reason = reason.strip()
    result.save()
    return result
