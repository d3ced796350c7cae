"""Values every page needs for the navigation."""

from zielsteuerung.accounts import policy


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_edit_agreements": policy.can_edit_agreements(user),
        "nav_is_ministry": policy.is_ministry_user(user),
    }
