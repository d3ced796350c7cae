"""Sign-in pages: password login, lockout, second factor, single sign-on."""

import logging
from base64 import b32encode

import requests
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc import views as oidc_views

from . import policy
from .forms import LoginForm, TokenForm
from .security_log import log_event

logger = logging.getLogger(__name__)

SESSION_EXPIRED_KEY = "zs_session_expired"


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = "sso" in self.request.GET
        context["session_expired"] = self.request.session.pop(
            SESSION_EXPIRED_KEY, False
        )
        return context


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked user name or address: the login page
    with a German explanation (HTTP 429)."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out": True,
            "lockout_minutes": minutes,
            "oidc_enabled": settings.OIDC_ENABLED,
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


# --- Second factor ---------------------------------------------------------------


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@never_cache
def second_factor_verify(request):
    """After the password: the six-digit code from the authenticator app."""
    user = request.user
    device = _confirmed_device(user)
    if device is None:
        return redirect(_with_next("second_factor_setup", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_code(device, form.cleaned_data["token"])
        if error is None:
            otp_login(request, device)
            log_event("second_factor_ok", request=request, user=user)
            return redirect(_next_url(request))
        log_event("second_factor_failed", request=request, user=user)
        form.add_error("token", error)
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


def _check_code(device, token):
    """None if ``token`` is the device's current code; else why not, in German.

    django-otp slows down guessing: after each wrong code the next try must
    wait longer (1 s, 2 s, 4 s …).
    """
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return _(
            "Zu viele falsche Codes. Bitte warten Sie einen Moment und geben Sie "
            "dann den aktuellen Code ein."
        )
    if device.verify_token(token):
        return None
    return _(
        "Der Code stimmt nicht. Bitte geben Sie den aktuellen sechsstelligen "
        "Code aus Ihrer Authenticator-App ein."
    )


@never_cache
def second_factor_setup(request):
    """Pair an authenticator app: QR code (SVG, rendered here) and one code.

    A user who already has a confirmed app must first sign in with it; only
    then may they pair a new one (which replaces the old one).
    """
    user = request.user
    verified = user.is_verified()
    if _confirmed_device(user) is not None and not verified:
        return redirect(_with_next("second_factor_verify", request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Authenticator-App"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_code(device, form.cleaned_data["token"])
        if error is None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            log_event("second_factor_setup", request=request, user=user)
            return redirect(_next_url(request))
        log_event("second_factor_failed", request=request, user=user)
        form.add_error("token", error)
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped_secret(device),
            "required": policy.needs_second_factor(user),
            "replaces": verified,
        },
    )


def _with_next(view_name, request):
    url = reverse(view_name)
    next_url = request.GET.get("next") or request.POST.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return url


def _qr_svg(data):
    """The QR code as inline SVG markup: no image service, no script, no CDN."""
    # imported here: only pairing an app draws a code (qrcode: 20 ms at start-up)
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    svg = image.to_string(encoding="unicode")
    # The markup comes from qrcode, not from user input.
    return mark_safe(svg)  # noqa: S308


def _grouped_secret(device):
    """The key in base32 for typing it in by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- Single sign-on (OpenID Connect) ---------------------------------------------


def _oidc_enabled():
    if not settings.OIDC_ENABLED:
        raise Http404


class OIDCAuthenticateView(oidc_views.OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider (404 while SSO is off)."""

    def get(self, request):
        _oidc_enabled()
        return super().get(request)


@method_decorator(never_cache, name="dispatch")
class OIDCCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """Back from the identity provider: sign in the user with that e-mail."""

    def get(self, request):
        _oidc_enabled()
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            logger.warning("Single sign-on failed: %s", error)
            log_event("login_failed", request=request, username="", method="oidc")
            return self.login_failure()
