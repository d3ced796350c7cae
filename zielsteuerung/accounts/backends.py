"""Authentication backends: password (with django-axes before it) and OIDC."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


def _user_with_organisation(user_id):
    """The user with organisation and supervisor: every page asks for both."""
    model = get_user_model()
    try:
        user = model._default_manager.select_related("organisation__supervisor").get(
            pk=user_id
        )
    except model.DoesNotExist:
        return None
    return user


class PasswordBackend(ModelBackend):
    """Django's password check; loads the user with their organisation."""

    def get_user(self, user_id):
        user = _user_with_organisation(user_id)
        return user if user and self.user_can_authenticate(user) else None


class OIDCBackend(OIDCAuthenticationBackend):
    """Single sign-on: the identity provider's user is an existing active user
    with the same (verified) e-mail address; nobody is created."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def verify_token(self, token, **kwargs):
        """The signature and nonce (mozilla-django-oidc), then audience and issuer."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is not meant for this client.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token comes from another issuer.")
        return payload

    def get_user(self, user_id):
        user = _user_with_organisation(user_id)
        return user if user and user.is_active else None
