"""Writes about organisations and users, each with the acting user."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from zielsteuerung import versioning

from . import policy
from .models import Organisation, OrganisationKind, User
from .security_log import log_event


def organisation_version(organisation):
    history = Organisation.history.filter(id=organisation.pk)
    return str(versioning.history_version(history))


@transaction.atomic
def organisation_names_update(*, organisation, form, version, acting_user):
    """Save the names and grammar of ``organisation`` unless changed meanwhile."""
    if not policy.can_edit_organisation_names(acting_user, organisation):
        raise PermissionDenied(
            _("Sie dürfen die Namen dieser Organisation nicht ändern.")
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    versioning.check_version(version, organisation_version(organisation))
    form.instance._history_user = acting_user
    return form.save()


# --- The ministry's administration of people (policy.can_manage_people) ------


def user_version(user):
    return str(versioning.history_version(User.history.filter(id=user.pk)))


def _require_manager(acting_user):
    if not policy.can_manage_people(acting_user):
        raise PermissionDenied(_("Sie verwalten keine Benutzer."))


def _require_in_scope(acting_user, user):
    _require_manager(acting_user)
    if not policy.people_visible_to(acting_user).filter(pk=user.pk).exists():
        raise PermissionDenied(_("Diesen Benutzer verwalten Sie nicht."))


def _record(instance, acting_user, reason=None):
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save()


@transaction.atomic
def user_create(*, form, acting_user, request=None):
    """Create the user of ``form`` (valid) without a password, and send them
    a one-time link to set one (Django's password reset token)."""
    _require_manager(acting_user)
    user = form.save(commit=False)
    if (
        not policy.organisations_managed_by(acting_user)
        .filter(pk=user.organisation_id)
        .exists()
    ):
        raise PermissionDenied(_("Diese Organisation verwalten Sie nicht."))
    user.set_unusable_password()
    _record(user, acting_user, _("Angelegt"))
    transaction.on_commit(lambda: password_link_send(user=user, request=request))
    log_event("user_created", request=request, user=acting_user, target=user.username)
    return user


@transaction.atomic
def user_update(*, user, form, version, acting_user, request=None):
    """Save the ``form`` (valid) over ``user`` unless changed meanwhile."""
    _require_in_scope(acting_user, user)
    User.objects.select_for_update().filter(pk=user.pk).exists()
    versioning.check_version(version, user_version(user))
    if user.pk == acting_user.pk and not form.cleaned_data.get("manages_users"):
        raise PermissionDenied(
            _("Die eigene Benutzerverwaltung kann niemand sich selbst entziehen.")
        )
    form.instance._history_user = acting_user
    saved = form.save()
    log_event("user_changed", request=request, user=acting_user, target=user.username)
    return saved


@transaction.atomic
def user_active_set(*, user, active, acting_user, request=None):
    """Deactivate (or reactivate) ``user``; users are never deleted."""
    _require_in_scope(acting_user, user)
    if user.pk == acting_user.pk:
        raise PermissionDenied(_("Sie können sich nicht selbst deaktivieren."))
    user.is_active = active
    reason = _("Reaktiviert") if active else _("Deaktiviert")
    _record(user, acting_user, reason)
    event = "user_reactivated" if active else "user_deactivated"
    log_event(event, request=request, user=acting_user, target=user.username)
    return user


@transaction.atomic
def user_second_factor_reset(*, user, acting_user, request=None):
    """Remove ``user``'s authenticator apps: they pair a new one at sign-in."""
    _require_in_scope(acting_user, user)
    TOTPDevice.objects.filter(user=user).delete()
    _record(user, acting_user, _("Zweiter Faktor zurückgesetzt"))
    log_event(
        "second_factor_reset", request=request, user=acting_user, target=user.username
    )
    return user


def password_link(user, request=None):
    """The one-time link that lets ``user`` set a password (valid for
    PASSWORD_RESET_TIMEOUT; void once a password is set)."""
    path = reverse(
        "password_set",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return f"{settings.SITE_URL}{path}"


def password_link_send(*, user, request=None, acting_user=None):
    """E-mail ``user`` the link to set their password."""
    if acting_user is not None:
        _require_in_scope(acting_user, user)
    days = max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1)
    body = render_to_string(
        "accounts/email/password_link.txt",
        {"user": user, "link": password_link(user, request), "days": days},
    )
    send_mail(
        _("Zielsteuerung: Passwort festlegen"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    if acting_user is not None:
        log_event(
            "password_link_sent",
            request=request,
            user=acting_user,
            target=user.username,
        )


@transaction.atomic
def provider_create(*, form, acting_user, request=None):
    """A new provider (Träger) of the acting administrator's ministry."""
    _require_manager(acting_user)
    provider = form.save(commit=False)
    provider.kind = OrganisationKind.PROVIDER
    provider.supervisor = acting_user.organisation
    provider.fill_grammar()
    _record(provider, acting_user, _("Angelegt"))
    log_event(
        "provider_created", request=request, user=acting_user, target=provider.name
    )
    return provider


@transaction.atomic
def provider_update(*, provider, form, version, acting_user):
    """Save the basic data of ``provider`` unless changed meanwhile."""
    _require_manager(acting_user)
    if not policy.providers_managed_by(acting_user).filter(pk=provider.pk).exists():
        raise PermissionDenied(_("Diesen Träger verwalten Sie nicht."))
    Organisation.objects.select_for_update().filter(pk=provider.pk).exists()
    versioning.check_version(version, organisation_version(provider))
    form.instance._history_user = acting_user
    return form.save()
