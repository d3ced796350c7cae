"""WSGI entry point, e.g. for ``gunicorn zielsteuerung.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielsteuerung.settings")
application = get_wsgi_application()
