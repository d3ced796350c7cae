"""Session lifetime and the second factor, checked on every request."""

import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import policy
from .security_log import log_event
from .views import SESSION_EXPIRED_KEY

STARTED_KEY = "zs_started"
SEEN_KEY = "zs_seen"
# The last-seen time is written at most once a minute, not on every request.
SEEN_GRANULARITY = 60


def start_session_clock(sender, request, user, **kwargs):
    """At sign-in (receiver of ``user_logged_in``): both clocks start now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """Signs out after SESSION_IDLE_SECONDS without a request, and at the
    latest SESSION_MAX_SECONDS after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request, int(time.time()))
        return self.get_response(request)

    def _check(self, request, now):
        session = request.session
        started = session.setdefault(STARTED_KEY, now)
        seen = session.setdefault(SEEN_KEY, now)
        idle = now - seen > settings.SESSION_IDLE_SECONDS
        if idle or now - started > settings.SESSION_MAX_SECONDS:
            log_event(
                "session_expired",
                request=request,
                reason="idle" if idle else "maximum",
            )
            logout(request)
            request.session[SESSION_EXPIRED_KEY] = True
        elif now - seen >= SEEN_GRANULARITY:
            session[SEEN_KEY] = now


# Pages a user may open between password and one-time code.
SECOND_FACTOR_PAGES = {
    "second_factor_verify",
    "second_factor_setup",
    "logout",
    "healthz",
}


class SecondFactorMiddleware:
    """Users who need a second factor see only the code pages until they
    have entered a code (or paired an app) in this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not policy.needs_second_factor(user):
            return None
        if user.is_verified() or _signed_in_by_provider(request):
            return None
        if request.resolver_match.url_name in SECOND_FACTOR_PAGES:
            return None
        url = reverse("second_factor_verify")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def _signed_in_by_provider(request):
    """A single sign-on counts as second factor when the settings say so."""
    backend = request.session.get(BACKEND_SESSION_KEY, "")
    return settings.OIDC_COUNTS_AS_SECOND_FACTOR and backend.endswith("OIDCBackend")
