"""Agreements (Zielvereinbarungen), their parties, goals and targets.

A signed agreement is a legal document: it and everything in it are locked.
``LockedWhenSigned`` refuses ``save()`` and ``delete()`` of a signed agreement
and of its parties, focus areas, goals and targets, and ``LockedQuerySet``
refuses bulk ``update()`` and ``delete()`` touching them; both raise
``AgreementLockedError`` (a ``PermissionDenied``, so a request that somehow
gets there answers 403). The only way to change a signed agreement is an
amendment: a new version that starts as a draft copy (``services.agreement_amend``).
Raw SQL and ``QuerySet._update`` are not guarded. Progress data about targets
(``TargetAssessment``) is not part of the agreement and is never locked.
"""

from .agreement import (
    DEFAULT_LEGAL_BASIS,
    MAX_YEAR,
    MIN_YEAR,
    Agreement,
    AgreementLockedError,
    AgreementQuerySet,
    AgreementStatus,
    LockedQuerySet,
    LockedWhenSigned,
    archive_path,
    signed_copy_path,
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
    "LEVEL_KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NUMERIC_KINDS",
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
    "Target",
    "TargetAssessment",
    "TargetExplanation",
    "TargetKind",
    "TargetResult",
    "YearEndResult",
    "archive_path",
    "signed_copy_path",
]
