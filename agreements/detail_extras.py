"""What the steering year adds to an agreement's page.

One function, so the agreement's view only merges its result into its
context: the review list of the rollover, the annexes, the negotiation,
the Jobcenter's reports waiting for the ministry.
"""

from zielsteuerung.accounts import policy

from .models import ProposalStatus
from .reports import pending_count
from .rollover import review_items


def detail_extras(agreement, user):
    items = review_items(agreement)
    return {
        "review_items": items,
        "review_open": sum(not item.is_done for item in items),
        "can_tick_reviews": policy.can_edit_agreement(user, agreement),
        "can_edit_annexes": policy.can_edit_annexes(user, agreement),
        "negotiation_open": agreement.proposals.filter(
            status=ProposalStatus.OPEN
        ).count(),
        "reports_pending": pending_count(agreement),
    }
