"""Settings for Zielsteuerung, driven by environment variables.

DEBUG defaults to off. With DEBUG off, SECRET_KEY must be set or start-up stops.
DATABASE_URL selects PostgreSQL (or any dj-database-url URL); without it the
embedded SQLite database in the project folder is used.
"""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DEBUG = envbool("DEBUG", "false")
# Like healthchecks: the test runner is recognised by its command line.
TESTING = envbool("TESTING", "false") or "pytest" in sys.argv[0]

# Without SECRET_KEY and with DEBUG off the servers refuse to start (see wsgi.py);
# management commands such as makemigrations still run.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = "insecure-key-for-development-and-tests-only"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "zielsteuerung.accounts",
    "indicators",
    "agreements",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "csp",
    "health_check",
    "django_tasks",
    "django_tasks_db",
    "zielsteuerung.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zielsteuerung.middleware.SecurityLogMiddleware",
    "zielsteuerung.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zielsteuerung.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "zielsteuerung.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into the German lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zielsteuerung.urls"
WSGI_APPLICATION = "zielsteuerung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zielsteuerung.context_processors.navigation",
            ],
            "libraries": {
                "formatting": "zielsteuerung.templatetags.formatting",
                "formui": "zielsteuerung.templatetags.formui",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: a writing transaction takes the write lock when it begins
    # (IMMEDIATE) and waits up to SQLITE_TIMEOUT seconds for it, instead of
    # failing with "database is locked" when two first saves of a month meet.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": envint("SQLITE_TIMEOUT", "20"),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# /healthz/ reports "fail" when the disk of MEDIA_ROOT is fuller than this.
HEALTH_DISK_MAX_PERCENT = envint("HEALTH_DISK_MAX_PERCENT", "90")

# With DEBUG off the servers refuse SQLite (see wsgi.py) unless this is set:
# production belongs on PostgreSQL.
ALLOW_SQLITE = envbool("ALLOW_SQLITE", "false")

# One cache for every process and machine (the overview and start page are
# cached there): Redis when REDIS_URL is set, else a table in the database
# (created by `migrate`, see AccountsConfig). Never per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "zielsteuerung"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "zielsteuerung_cache",
            # Whole pages are stored per user (README, "Speed"); Django's
            # default of 300 entries would cull the overview's kept tables,
            # which cost most to compute again, among the first (keys sort
            # before "page:").
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", "5000")},
        }
    }

# Background work (README, "Background work"): Django's task API through the
# django-tasks backport. Without Redis the queue is a table in the database
# (django-tasks-db, worker `manage.py db_worker`); with REDIS_URL it is RQ
# (django-tasks-rq, worker `manage.py rqworker --job-class django_tasks_rq.Job`).
# `manage.py run_worker` starts the right one with the periodic ticker.
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", REDIS_URL)
if TASKS_REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {
            "URL": TASKS_REDIS_URL,
            "DEFAULT_TIMEOUT": envint("JOB_TIMEOUT_SECONDS", "3600"),
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job without a sign of life for this long has lost its worker: it
# is tried again up to JOB_MAX_ATTEMPTS times in all, then marked failed.
JOB_STALE_SECONDS = envint("JOB_STALE_SECONDS", "300")
JOB_MAX_ATTEMPTS = envint("JOB_MAX_ATTEMPTS", "2")
# How often the worker's ticker looks for periodic and abandoned jobs, how
# often the database worker looks for new jobs, how often progress is saved.
JOB_TICK_SECONDS = envint("JOB_TICK_SECONDS", "30")
JOB_POLL_SECONDS = float(os.environ.get("JOB_POLL_SECONDS", "1"))
JOB_PROGRESS_SECONDS = float(os.environ.get("JOB_PROGRESS_SECONDS", "0.5"))
# /healthz/ fails when a job has waited longer than this for a worker.
JOB_QUEUE_MAX_WAIT_SECONDS = envint("JOB_QUEUE_MAX_WAIT_SECONDS", "600")
# Imports of more rows than this (and their dry runs) run in the worker.
IMPORT_BACKGROUND_ROWS = envint("IMPORT_BACKGROUND_ROWS", "20000")
# The reminders are e-mailed once a day from this local time on (HH:MM).
REMINDERS_AT = datetime.time.fromisoformat(os.environ.get("REMINDERS_AT", "06:15"))
# Finished warming jobs (one per grid save, see indicators/warming.py) are
# removed once a day from this local time on, when a day old.
JOBS_TIDY_AT = datetime.time.fromisoformat(os.environ.get("JOBS_TIDY_AT", "03:30"))

AUTH_USER_MODEL = "accounts.User"
_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + "UserAttributeSimilarityValidator"},
    {
        "NAME": _VALIDATORS + "MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", "12")},
    },
    {"NAME": _VALIDATORS + "CommonPasswordValidator"},
    {"NAME": _VALIDATORS + "NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (see README, "Sign-in and the security log").
# django-axes: after LOGIN_FAILURE_LIMIT failures a user name and an address
# are each locked for LOGIN_LOCKOUT_MINUTES, or until an administrator deletes
# the access attempts in the admin ("Zugriffsversuche").
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = envlist("LOGIN_LOCKOUT_BY", "username,ip_address")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zielsteuerung.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "zielsteuerung.accounts.security_log.client_address"
AXES_VERBOSE = False
# How many reverse proxies put their address into X-Forwarded-For; 0 means
# REMOTE_ADDR is the client (no proxy, or the proxy passes nothing on).
PROXY_COUNT = envint("PROXY_COUNT", "0")

# Sessions end after SESSION_IDLE_MINUTES without a request and at the latest
# SESSION_MAX_HOURS after sign-in (zielsteuerung.accounts.middleware).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_MINUTES", "30") * 60
SESSION_MAX_SECONDS = envint("SESSION_MAX_HOURS", "10") * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Second factor (TOTP): required for staff and superusers, and for the users
# of an organisation (or of a ministry's providers) that requires it.
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Zielsteuerung")

# Optional single sign-on through OpenID Connect (mozilla-django-oidc): users
# are found by their e-mail address, never created.
OIDC_ENABLED = envbool("OIDC_ENABLED", "false")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "zielsteuerung.accounts.views.OIDCCallbackView"
OIDC_AUTHENTICATE_CLASS = "zielsteuerung.accounts.views.OIDCAuthenticateView"
LOGIN_REDIRECT_URL_FAILURE = "/anmelden/?sso=fehlgeschlagen"
# Whether a sign-in through the identity provider counts as the second factor
# (when the provider itself asks for one).
OIDC_COUNTS_AS_SECOND_FACTOR = envbool("OIDC_COUNTS_AS_SECOND_FACTOR", "false")

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses locked-out user names and addresses.
    "axes.backends.AxesStandaloneBackend",
    "zielsteuerung.accounts.backends.PasswordBackend",
]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("zielsteuerung.accounts.backends.OIDCBackend")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# Off: years would print as "2.014". Figures are formatted by the formatting
# template filters (3.489, 25,4) instead.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["zielsteuerung.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded and archived files live here. They are never served from
# MEDIA_URL: downloads go through views that ask the access policy.
MEDIA_URL = "media/"
MB = 1024 * 1024
# The scanned, signed agreement: a PDF of at most this many megabytes.
SIGNED_COPY_MAX_BYTES = envint("SIGNED_COPY_MAX_MB", "20") * MB
# Annexes of an agreement (e.g. the Lokales Planungsdokument), each a PDF.
ANNEX_MAX_BYTES = envint("ANNEX_MAX_MB", "20") * MB
# A statistics file to import: refused above this size before it is read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_MB", "20") * MB
# An XLSX file is refused when its sheet declares or has more rows or columns
# than these, or when it would unpack to more than XLSX_MAX_UNPACKED_MB or
# one of its parts is compressed more than XLSX_MAX_RATIO : 1 (a zip bomb).
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", "250000")
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", "50")
XLSX_MAX_UNPACKED_BYTES = envint("XLSX_MAX_UNPACKED_MB", "100") * MB
XLSX_MAX_RATIO = envint("XLSX_MAX_RATIO", "100")
# Request bodies without files (forms); files above FILE_UPLOAD_MAX_MEMORY_SIZE
# go to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MB", "2") * MB
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MEMORY_MB", "2") * MB
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# HTTPS: with DEBUG off, HSTS (a year) and the redirect to https are on unless
# switched off; behind a TLS proxy SECURE_PROXY_SSL_HEADER=true trusts its
# X-Forwarded-Proto header (only if the proxy always sets it).
_HTTPS = not DEBUG and not TESTING
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if _HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true" if _HTTPS else "false")
# The load balancer asks for the health endpoint over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if envbool("SECURE_PROXY_SSL_HEADER", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): scripts, styles, fonts and images
# from our own origin only; no inline script or style attribute anywhere.
# Bootstrap's CSS draws some icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The security log: one JSON object per line (sign-ins, failures, lockouts,
# sign-outs, permission denials) on stderr, or appended to SECURITY_LOG_FILE.
SECURITY_LOG_FILE = os.environ.get("SECURITY_LOG_FILE", "")

# E-mail (reminders of reporting deadlines). SMTP when EMAIL_HOST is set,
# otherwise the console; EMAIL_BACKEND overrides both.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zielsteuerung@localhost")
# The address of the app as users reach it: links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "zielsteuerung.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": (
            {
                "class": "logging.handlers.WatchedFileHandler",
                "filename": SECURITY_LOG_FILE,
                "formatter": "json",
            }
            if SECURITY_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "json"}
        ),
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "zielsteuerung.security": {
            "handlers": [] if TESTING else ["security"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

# In development and tests whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

if TESTING:
    # Hashing with PBKDF2 at full strength would make every test login slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
