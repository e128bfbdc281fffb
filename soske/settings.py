"""Soske settings: one file, every value from the environment, working defaults.

With nothing set it runs on SQLite, eager Celery and mail written to the
console. DATABASE_URL, REDIS_URL and EMAIL_URL (or EMAIL_HOST/EMAIL_PORT)
switch to PostgreSQL, Redis and SMTP. SOSKE_ENV=production refuses to start
with the default secret key and turns on the deployment hardening.
"""

import os
import sysconfig
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


TRUE_VALUES = ("1", "true", "yes", "on")
FALSE_VALUES = ("0", "false", "no", "off", "")


def env_bool(name, default=False):
    """A yes/no setting. A value that is neither (a typo: `ture`) stops the start: read as
    False it could silently turn off what the operator meant to turn on."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_VALUES:
        return True
    if word in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of "
        f"{', '.join(TRUE_VALUES)} or {', '.join(v for v in FALSE_VALUES if v)}."
    )


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("SOSKE_ENV", "development") == "production"
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env("SECRET_KEY", DEFAULT_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SOSKE_ENV=production needs SECRET_KEY set to a random value of 50+ characters."
    )
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The service's name in mail ("Hello from Soske-akatemia!"): a proper name, the same in
# every language.
SITE_NAME = env("SITE_NAME", "Soske-akatemia")
# The header a trusted front proxy stamps arrival in (e.g. X-Request-Start); see
# soske.middleware.RequestArrivalMiddleware. Empty: the app stamps arrival itself.
REQUEST_START_HEADER = env("REQUEST_START_HEADER")
REQUEST_START_MAX_AGE = int(env("REQUEST_START_MAX_AGE", "120"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "soske.users",
    "soske.mail",
    "soske.calendar",
    "soske.activity",
    "soske.privacy",
    "soske.exports",
    "soske",
    "cohorts",
    "applications",
    "workshops",
    "deliverables",
]

MIDDLEWARE = [
    "soske.middleware.RequestArrivalMiddleware",
    "soske.middleware.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "soske.middleware.FinnishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Sessions signed in through the backends used before soske.users.backends (see there).
    "soske.users.middleware.LegacyBackendSessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "soske.users.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # After the session, the user and allauth: staff need a second factor, and their
    # sessions end after a working day of inactivity.
    "soske.users.middleware.StaffAccountMiddleware",
]

# Benchmarks only (bench/pages.py): each response tells its SQL count in a header.
if env_bool("SOSKE_COUNT_QUERIES"):
    MIDDLEWARE.insert(0, "soske.middleware.QueryCountMiddleware")

ROOT_URLCONF = "soske.urls"
WSGI_APPLICATION = "soske.wsgi.application"
ASGI_APPLICATION = "soske.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "soske.context_processors.site",
            ],
            # The `date` filter, the same text faster (soske/templatetags/soske_dates.py).
            "builtins": ["soske.templatetags.soske_dates"],
        },
    },
]

# --- Database --------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: a query a connection has run five times is planned once more and
    # then executed from its plan, which saves PostgreSQL's planning of each of a page's
    # queries (0.1-0.3 ms each on the bench's cohort; bench/README.md, issue 13). psycopg
    # prepares only with server-side binding, and Django turns preparing off by default for
    # transaction-mode poolers such as PgBouncer's: behind one, set DB_PREPARED_STATEMENTS=0.
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # BEGIN IMMEDIATE: a transaction takes the write lock when it begins, so two parallel
    # writers (the two clicks of a double submit) queue for it up to the timeout; with the
    # default (deferred) the second fails at once, "database is locked", when it upgrades
    # its read to a write.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # A file (not memory) so live-server and worker threads share it; one per process so
    # two test runs on one machine never meet.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache (allauth's rate limits), Celery ----------------------------
# Redis being down must cost no request more than a moment, and break none: the cache
# answers "nothing cached" (rate limits degrade, with a warning in the log) and a task
# that cannot be published leaves its outbox row for the sweeper.
REDIS_URL = env("REDIS_URL")
REDIS_CONNECT_TIMEOUT = float(env("REDIS_CONNECT_TIMEOUT", "0.5"))
REDIS_TIMEOUT = float(env("REDIS_TIMEOUT", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "soske.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "soske"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_TIMEOUT,
    # Connecting to publish: one immediate second try, then give up (kombu's default
    # sleeps ~2 s first; the worker's own reconnecting is governed by broker_connection_*).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
# One try to publish, no waiting and retrying inside a request: the outbox row is the
# guarantee, the sweeper publishes again.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Helsinki"
CELERY_BEAT_SCHEDULE = {
    # Every minute: the outbox's retries are due from one minute after a failure.
    "outbox-sweep": {"task": "soske.mail.tasks.sweep_outbox", "schedule": 60.0},
    "interview-reminders": {
        "task": "applications.tasks.send_interview_reminders",
        "schedule": 3600.0,
    },
    "draft-reminders": {
        "task": "applications.tasks.send_draft_reminders",
        "schedule": 3600.0,
    },
    "programme-reminders": {
        "task": "workshops.tasks.send_programme_reminders",
        "schedule": 3600.0,
    },
    # The pilot procurements' follow-up questionnaires (6 and 12 months after closing).
    "followups": {"task": "deliverables.tasks.send_followups", "schedule": 3600.0},
    # Once a day: the spreadsheets built for staff go EXPORT_KEEP_DAYS after they were made.
    "exports-purge": {"task": "soske.exports.tasks.purge_exports", "schedule": 24 * 3600.0},
    # Once a day: the personal data whose retention period has passed goes (soske.privacy).
    "privacy-retention": {
        "task": "soske.privacy.tasks.run_retention",
        "schedule": 24 * 3600.0,
    },
}
# How long the follow-up questionnaire's signed link works (a reminder sends a fresh one).
FOLLOWUP_LINK_DAYS = int(env("FOLLOWUP_LINK_DAYS", "60"))

# --- Personal data ------------------------------------------------------------
# A cohort's own retention period is its `retention_months`; an account nobody signed in
# to for this long, holding nothing else, is deleted by the same job.
PRIVACY_ACCOUNT_RETENTION_MONTHS = int(env("PRIVACY_ACCOUNT_RETENTION_MONTHS", "24"))

# The spreadsheets staff have built (soske.exports) hold personal data; kept this long.
EXPORT_KEEP_DAYS = int(env("EXPORT_KEEP_DAYS", "7"))

# --- Mail --------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Soske-akatemia <soske@soske.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env("EMAIL_URL")
if EMAIL_URL:
    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _mail.scheme == "smtps"
elif env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
elif env("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 20

# --- Accounts (django-allauth) ------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's, reading the signed-in user with their roles in one query (one password
    # backend: a failed sign-in hashes once, see soske.users.backends).
    "soske.users.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Soske: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_ADAPTER = "soske.users.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "soske.users.forms.SignupForm"}
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
# Multi-factor authentication (allauth.mfa): an authenticator app (TOTP) and recovery codes.
# Required of staff (reviewers, coordinators) and of the admin site: see
# soske.users.middleware.StaffAccountMiddleware. WebAuthn keys are left out for now.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "soske.users.adapter.MfaAdapter"
# A code of the previous or the next 30 seconds is accepted too (clocks drift; typing takes time).
MFA_TOTP_TOLERANCE = 1
# Staff sessions end after this long without a request (sliding); others keep Django's
# default (two weeks). "Sign out everywhere": allauth.usersessions (/accounts/sessions/).
STAFF_SESSION_IDLE_SECONDS = int(env("STAFF_SESSION_IDLE_SECONDS", str(9 * 3600)))

# --- Forms -----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets (the <input>, <select> and their attributes inside crispy's field template) render
# from the Jinja2 copies of Django's own widget templates, which Django ships with the same
# markup, and the commonest of them (input, select, textarea) are written in Python with the
# same output (soske.widgets). Issue 13: the team step's 21 fields, the scoring page's 8.
FORM_RENDERER = "soske.widgets.WidgetRenderer"

# --- Languages and time --------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "soske" / "locale"]
LANGUAGE_COOKIE_NAME = "soske_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Helsinki"
# Dates and times as each language writes them: 10.12.2021 klo 16.00 (soske/formats/).
FORMAT_MODULE_PATH = ["soske.formats"]
USE_I18N = True
USE_TZ = True

# --- Files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap's own files come from PyPI (XStatic-Bootstrap); found by path, since
# importing the xstatic namespace package needs pkg_resources.
_XSTATIC_BOOTSTRAP = (
    Path(sysconfig.get_paths()["purelib"]) / "xstatic" / "pkg" / "bootstrap" / "data"
)
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", _XSTATIC_BOOTSTRAP)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FORMS_URLFIELD_ASSUME_HTTPS = True
MEDIA_ROOT = STORAGES["private"]["OPTIONS"]["location"]
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security ---------------------------------------------------------------
# Django's database sessions, read with one plain statement (soske.users.sessions, issue 13).
SESSION_ENGINE = "soske.users.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", "WARNING")},
        # WeasyPrint logs every step and page of a book at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Programme contacts shown in the footer and on the call page -----------------
SOSKE_CONTACTS = [
    {"organisation": "Motiva Oy", "email": "soske@motiva.example", "role": "coordinator"},
    {"organisation": "Hansel Oy", "email": "soske@hansel.example", "role": "coordinator"},
]
