"""Single sign-on through OpenID Connect against a small provider the test runs.

The provider (http.server in a thread on 127.0.0.1) serves discovery,
authorize, token (checking PKCE and the client secret), JWKS and userinfo, and
signs its ID tokens with an RSA key made for the test. The Django test client
walks the real authorization-code flow; mozilla-django-oidc fetches token,
keys and user info over HTTP from the provider.
"""

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from zielsteuerung.accounts.models import User

pytestmark = pytest.mark.django_db

CLIENT_ID = "zielsteuerung"
CLIENT_SECRET = "geheimnis-des-clients"


class Provider:
    """State of the test provider: key, issued codes, the user it signs in."""

    def __init__(self):
        self.key = _signing_key()
        self.codes = {}
        self.tokens = {}
        self.claims = {"sub": "u-1", "email": "Alice@Example.org"}
        self.audience = CLIENT_ID
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.provider = self
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def jwk(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}

    def id_token(self, nonce):
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.audience,
            "sub": self.claims["sub"],
            "nonce": nonce,
            "iat": now,
            "exp": now + 300,
        }
        return jwt.encode(
            claims, self.key, algorithm="RS256", headers={"kid": "test-key"}
        )

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        }


class Handler(BaseHTTPRequestHandler):
    """The provider's endpoints; its state is ``self.server.provider``."""

    def log_message(self, *args):
        pass

    def _json(self, data, status=200):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/.well-known/openid-configuration":
            return self._json(self.server.provider.discovery())
        if url.path == "/authorize":
            return self._authorize(query)
        if url.path == "/jwks":
            return self._json({"keys": [self.server.provider.jwk()]})
        if url.path == "/userinfo":
            token = self.headers.get("Authorization", "")[len("Bearer ") :]
            if token not in self.server.provider.tokens:
                return self._json({"error": "invalid_token"}, 401)
            return self._json(self.server.provider.claims)
        return self._json({"error": "not_found"}, 404)

    def _authorize(self, query):
        assert query["client_id"] == CLIENT_ID
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.server.provider.codes[code] = query
        target = (
            query["redirect_uri"]
            + "?"
            + urllib.parse.urlencode({"code": code, "state": query["state"]})
        )
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path != "/token":
            return self._json({"error": "not_found"}, 404)
        request = self.server.provider.codes.pop(form.get("code"), None)
        if (
            request is None
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != request["redirect_uri"]
            or _challenge(form.get("code_verifier", "")) != request["code_challenge"]
        ):
            return self._json({"error": "invalid_grant"}, 400)
        access = secrets.token_urlsafe(16)
        self.server.provider.tokens[access] = True
        return self._json(
            {
                "access_token": access,
                "token_type": "Bearer",
                "id_token": self.server.provider.id_token(request["nonce"]),
            }
        )


@functools.cache
def _signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@pytest.fixture
def provider(settings):
    provider = Provider()
    thread = threading.Thread(
        target=provider.server.serve_forever, args=(0.05,), daemon=True
    )
    thread.start()
    # The operator copies these from the provider's discovery document.
    with urllib.request.urlopen(  # noqa: S310 - our own test server
        f"{provider.url}/.well-known/openid-configuration"
    ) as response:
        discovery = json.load(response)
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "zielsteuerung.accounts.backends.OIDCBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def _sign_in(client, provider, next_url="/"):
    """Walk the flow: our start page → provider's authorize → our callback."""
    start = client.get("/anmelden/sso/", {"next": next_url})
    assert start.status_code == 302
    assert start.url.startswith(provider.url + "/authorize?")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(start.url)
    except urllib.error.HTTPError as redirect:
        callback = redirect.headers["Location"]
    parts = urllib.parse.urlsplit(callback)
    assert parts.path == "/anmelden/sso/zurueck/"
    return client.get(parts.path, dict(urllib.parse.parse_qsl(parts.query)))


def test_single_sign_on_finds_the_user_by_email(
    client, provider, coesfeld_user, security_events
):
    coesfeld_user.email = "alice@example.org"
    coesfeld_user.save()
    response = _sign_in(client, provider, next_url="/monatswerte/")
    assert response.status_code == 302
    assert response.url == "/monatswerte/"
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(coesfeld_user.pk)
    (login,) = [e for e in security_events.refresh() if e["event"] == "login"]
    assert login["method"] == "oidc"
    assert login["user"] == "bob"


def test_single_sign_on_creates_nobody(client, provider, coesfeld_user):
    users = User.objects.count()
    response = _sign_in(client, provider)
    assert response.url == "/anmelden/?sso=fehlgeschlagen"
    assert User.objects.count() == users
    page = client.get(response.url).content.decode()
    assert "zentralen Anmeldedienst ist fehlgeschlagen" in page
    assert client.get("/").status_code == 302


def test_single_sign_on_refuses_inactive_users(client, provider, coesfeld_user):
    coesfeld_user.email = "alice@example.org"
    coesfeld_user.is_active = False
    coesfeld_user.save()
    assert _sign_in(client, provider).url == "/anmelden/?sso=fehlgeschlagen"


def test_single_sign_on_refuses_unverified_email(client, provider, coesfeld_user):
    coesfeld_user.email = "alice@example.org"
    coesfeld_user.save()
    provider.claims["email_verified"] = False
    assert _sign_in(client, provider).url == "/anmelden/?sso=fehlgeschlagen"


def test_single_sign_on_refuses_a_token_for_another_client(
    client, provider, coesfeld_user
):
    coesfeld_user.email = "alice@example.org"
    coesfeld_user.save()
    provider.audience = "another-app"
    assert _sign_in(client, provider).url == "/anmelden/?sso=fehlgeschlagen"
    assert "_auth_user_id" not in client.session


def test_second_factor_still_applies_after_single_sign_on(
    client, provider, ministry, coesfeld_user, settings
):
    coesfeld_user.email = "alice@example.org"
    coesfeld_user.save()
    ministry.requires_second_factor = True
    ministry.save()
    _sign_in(client, provider)
    assert client.get("/").url.startswith("/anmelden/code/")
    settings.OIDC_COUNTS_AS_SECOND_FACTOR = True
    assert client.get("/").status_code == 200


def test_single_sign_on_is_off_by_default(client):
    assert client.get("/anmelden/sso/").status_code == 404
    assert client.get("/anmelden/sso/zurueck/").status_code == 404
    assert (
        "zentralen Anmeldedienst anmelden"
        not in client.get("/anmelden/").content.decode()
    )


def test_login_page_offers_single_sign_on_when_configured(client, provider):
    assert (
        "zentralen Anmeldedienst anmelden" in client.get("/anmelden/").content.decode()
    )
