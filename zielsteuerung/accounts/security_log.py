"""The security log: sign-ins, failures, lockouts, sign-outs, permission denials.

Each event is one JSON object on one line, for the data centre's log
collection (see README, "Sign-in and the security log"):

    {"time": "2025-03-04T09:12:03.120+00:00", "event": "login_failed",
     "user": "alice", "address": "10.1.2.3", "path": "/anmelden/"}

``time`` is UTC (ISO 8601), ``user`` the user name (as typed, for failures),
``address`` the client's address (behind PROXY_COUNT proxies: taken from
X-Forwarded-For). Passwords and one-time codes are never logged.
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

logger = logging.getLogger("zielsteuerung.security")


def client_address(request):
    """The client's IP address, as django-axes and the security log see it."""
    if request is None:
        return None
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def _username(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.get_username()


def log_event(event, *, request=None, user=None, username=None, **fields):
    """Write one security event; ``user`` or ``username`` names who it concerns."""
    if username is None:
        username = _username(user if user is not None else _request_user(request))
    record = {
        "event": event,
        "user": username,
        "address": client_address(request),
        **fields,
    }
    if request is not None:
        record.setdefault("path", request.path)
    logger.info(event, extra={"security": record})


def _request_user(request):
    return getattr(request, "user", None) if request is not None else None


# Django and django-axes announce sign-in events as signals; these receivers
# only write them down (connected in AccountsConfig.ready).


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    backend = getattr(user, "backend", "") or ""
    method = "oidc" if backend.endswith("OIDCBackend") else "password"
    log_event("login", request=request, user=user, method=method)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log_event(
        "login_failed",
        request=request,
        username=credentials.get("username") or "",
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request=request, user=user)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("lockout", request=request, username=username or "")
