"""Values every page needs for the navigation."""

from zielsteuerung.accounts import policy


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_ministry": policy.is_ministry_user(user),
        "nav_can_import": policy.can_import_figures(user),
        "nav_can_manage_people": policy.can_manage_people(user),
        "nav_section": _section(request.resolver_match),
    }


def _section(match):
    """Which entry of the main navigation the current page belongs to."""
    if match is None:
        return ""
    if match.url_name == "home":
        return "home"
    if match.namespace == "agreements":
        return "agreements"
    if match.namespace == "indicators":
        return _FIGURES_SECTIONS.get(match.url_name, "figures")
    if match.url_name in ("overview", "overview_latest"):
        return "overview"
    if match.namespace == "people":
        return "people"
    return ""


# Pages of the figures app with an entry of their own in the navigation.
_FIGURES_SECTIONS = {
    "cockpit": "cockpit",
    "cockpit_latest": "cockpit",
    "calendar": "cockpit",
    "import": "import",
    "import_check": "import",
}
