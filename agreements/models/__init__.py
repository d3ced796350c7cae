"""Agreements (Zielvereinbarungen), their parties, goals and targets.

A signed agreement is a legal document: it and everything in it are locked.
``LockedWhenSigned`` refuses ``save()`` and ``delete()`` of a signed agreement
and of its parties, goals, targets and annexes, and ``LockedQuerySet``
refuses bulk ``update()`` and ``delete()`` touching them; both raise
``AgreementLockedError`` (a ``PermissionDenied``, so a request that somehow
gets there answers 403). The only way to change a signed agreement is an
amendment: a new version that starts as a draft copy (``services.agreement_amend``).
The state's focus areas of a year are shared by all agreements of the
ministry and year and locked once one of them is signed (``focus.py``).
Raw SQL and ``QuerySet._update`` are not guarded. Progress data about targets
(``TargetAssessment``, the Jobcenter's ``TargetReport``) is not part of the
agreement and is never locked.
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
from .annex import Annex, AnnexKind
from .assessment import TargetAssessment
from .content import (
    Goal,
    Party,
    PartyRole,
    Salutation,
)
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
    "LEVEL_KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NUMERIC_KINDS",
    "Agreement",
    "AgreementLockedError",
    "AgreementQuerySet",
    "AgreementStatus",
    "Annex",
    "AnnexKind",
    "Comparator",
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
    "ReviewItem",
    "ReviewKind",
    "RoundAction",
    "Salutation",
    "Side",
    "Target",
    "TargetAssessment",
    "TargetKind",
    "TargetReport",
    "archive_path",
    "signed_copy_path",
]
