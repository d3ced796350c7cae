"""Agreements (Zielvereinbarungen), their parties, goals and targets.

A final agreement (the text printed for signature) and a signed one (the
legal document) are locked with everything in them. ``LockedWhenSigned``
refuses ``save()`` and ``delete()`` of such an agreement and of its parties,
goals, targets and annexes; ``LockedQuerySet`` refuses ``update()``,
``delete()``, ``bulk_update()`` and ``bulk_create()`` (also with
``update_conflicts=True``) touching them; all raise ``AgreementLockedError``
(a ``PermissionDenied``, so a request that somehow gets there answers 403).
The workflow's steps are one table, ``TRANSITIONS``: on a final agreement
they may still move the status (final → signed, final → draft) and write
the signing data (``step_fields``), nothing else. The only way to change a
signed agreement is an amendment: a new version that starts as a draft copy
(``services.agreement_amend``). The state's focus areas of a year are shared
by all agreements of the ministry and year and locked once one of them is
final or signed (``focus.py``). Raw SQL and ``QuerySet._update`` are not
guarded. Progress data about targets (``TargetAssessment``, the Jobcenter's
``TargetReport``) is not part of the agreement and is never locked.
"""

from .agreement import (
    DEFAULT_LEGAL_BASIS,
    EDITABLE_STATUSES,
    LOCKED_STATUSES,
    MAX_YEAR,
    MIN_YEAR,
    TRANSITIONS,
    Agreement,
    AgreementLockedError,
    AgreementQuerySet,
    AgreementStatus,
    LockedQuerySet,
    LockedWhenSigned,
    Step,
    archive_path,
    signed_copy_path,
    step_target,
)
from .annex import Annex, AnnexKind
from .assessment import TargetAssessment
from .content import (
    Goal,
    Party,
    PartyRole,
    Salutation,
)
from .dialogue import (
    ActionStatus,
    AgreedAction,
    DialogueComment,
    DialogueReportVersion,
    DialogueStatus,
    SteeringDialogue,
)
from .explanation import TargetExplanation
from .focus import FocusArea, FocusAreaLockedError
from .land import LandTarget
from .negotiation import (
    Proposal,
    ProposalRound,
    ProposalStatus,
    ProposalSubject,
    RoundAction,
    Side,
)
from .result import ResultStatus, YearEndResult
from .results import TargetResult
from .review import ReviewItem, ReviewKind
from .target_report import ReportDecision, TargetReport
from .targets import (
    LEVEL_KINDS,
    NUMERIC_KINDS,
    Comparator,
    QualitativeStatus,
    Target,
    TargetKind,
)

__all__ = [
    "DEFAULT_LEGAL_BASIS",
    "EDITABLE_STATUSES",
    "LEVEL_KINDS",
    "LOCKED_STATUSES",
    "MAX_YEAR",
    "MIN_YEAR",
    "NUMERIC_KINDS",
    "TRANSITIONS",
    "ActionStatus",
    "AgreedAction",
    "Agreement",
    "AgreementLockedError",
    "AgreementQuerySet",
    "AgreementStatus",
    "Annex",
    "AnnexKind",
    "Comparator",
    "DialogueComment",
    "DialogueReportVersion",
    "DialogueStatus",
    "FocusArea",
    "FocusAreaLockedError",
    "Goal",
    "LandTarget",
    "LockedQuerySet",
    "LockedWhenSigned",
    "Party",
    "PartyRole",
    "Proposal",
    "ProposalRound",
    "ProposalStatus",
    "ProposalSubject",
    "QualitativeStatus",
    "ReportDecision",
    "ResultStatus",
    "ReviewItem",
    "ReviewKind",
    "RoundAction",
    "Salutation",
    "Side",
    "SteeringDialogue",
    "Step",
    "Target",
    "TargetAssessment",
    "TargetExplanation",
    "TargetKind",
    "TargetReport",
    "TargetResult",
    "YearEndResult",
    "archive_path",
    "signed_copy_path",
    "step_target",
]
