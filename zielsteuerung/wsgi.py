"""WSGI entry point, e.g. for ``gunicorn zielsteuerung.wsgi``; runserver uses it too."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielsteuerung.settings")

try:
    settings.SECRET_KEY  # noqa: B018 - Django refuses an empty key on access
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off: export SECRET_KEY=… "
        "(or DEBUG=true for development)."
    ) from exc

if (
    not settings.DEBUG
    and not settings.ALLOW_SQLITE
    and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
):
    raise ImproperlyConfigured(
        "With DEBUG off the app runs on PostgreSQL: set DATABASE_URL=postgres://… "
        "(or ALLOW_SQLITE=true to run on SQLite all the same, e.g. for a trial)."
    )

application = get_wsgi_application()
