"""What the steering year adds to an agreement's page.

One function, so the agreement's view only merges its result into its
context: the review list of the rollover, the annexes, the negotiation,
the Jobcenter's reports waiting for the ministry. Two queries.
"""

from django.db.models import Count, Q

from zielsteuerung.accounts import policy

from .models import Agreement, ProposalStatus, ReportDecision
from .rollover import review_items


def _counts(agreement):
    """Open proposals and pending reports, in one query."""
    return Agreement.objects.filter(pk=agreement.pk).aggregate(
        negotiation_open=Count(
            "proposals",
            filter=Q(proposals__status=ProposalStatus.OPEN),
            distinct=True,
        ),
        reports_pending=Count(
            "goals__targets__reports",
            filter=Q(goals__targets__reports__decision=ReportDecision.PENDING),
            distinct=True,
        ),
    )


def detail_extras(agreement, user):
    items = review_items(agreement)
    return {
        "review_items": items,
        "review_open": sum(not item.is_done for item in items),
        "can_tick_reviews": policy.can_edit_agreement(user, agreement),
        "can_edit_annexes": policy.can_edit_annexes(user, agreement),
        **_counts(agreement),
    }
