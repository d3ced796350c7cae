"""Agreements (Zielvereinbarungen), their parties, goals and targets.

A final agreement (the text printed for signature) and a signed one (the
legal document) are locked with everything in them. ``LockedWhenSigned``
refuses ``save()`` and ``delete()`` of such an agreement and of its parties,
focus areas, goals and targets; ``LockedQuerySet`` refuses ``update()``,
``delete()``, ``bulk_update()`` and ``bulk_create()`` (also with
``update_conflicts=True``) touching them; all raise ``AgreementLockedError``
(a ``PermissionDenied``, so a request that somehow gets there answers 403).
The workflow's steps are one table, ``TRANSITIONS``: on a final agreement
they may still move the status (final → signed, final → draft) and write
the signing data (``step_fields``), nothing else. The only way to change a
signed agreement is an amendment: a new version that starts as a draft copy
(``services.agreement_amend``). Raw SQL and ``QuerySet._update`` are not
guarded. Progress data about targets (``TargetAssessment``) is not part of
the agreement and is never locked.
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
from .assessment import TargetAssessment
from .content import (
    FocusArea,
    Goal,
    Party,
    PartyRole,
    Salutation,
)
from .dialogue import (
    ActionStatus,
    AgreedAction,
    DialogueComment,
    DialogueStatus,
    SteeringDialogue,
)
from .explanation import TargetExplanation
from .land import LandTarget
from .result import ResultStatus, YearEndResult
from .results import TargetResult
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
    "Comparator",
    "DialogueComment",
    "DialogueStatus",
    "FocusArea",
    "Goal",
    "LandTarget",
    "LockedQuerySet",
    "LockedWhenSigned",
    "Party",
    "PartyRole",
    "QualitativeStatus",
    "ResultStatus",
    "Salutation",
    "SteeringDialogue",
    "Step",
    "Target",
    "TargetAssessment",
    "TargetExplanation",
    "TargetKind",
    "TargetResult",
    "YearEndResult",
    "archive_path",
    "signed_copy_path",
    "step_target",
]
