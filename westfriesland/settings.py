"""Settings for the Westfriesland inburgering system.

Every setting that differs between machines is read from the environment here, in one place;
`.env.example` lists each variable with its meaning. With no environment at all the project runs
on an embedded default (a SQLite file, Celery eager, console email) so `make run` needs no services.
`DJANGO_ENV=production` turns on the production checks: it refuses to start without the secrets it
needs and passes `manage.py check --deploy`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    _missing = [
        name
        for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
        if not env(name, default="")
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Production mode needs these environment variables: " + ", ".join(_missing)
        )
    if not env.str("DATABASE_URL").startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured("Production mode needs a PostgreSQL DATABASE_URL.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production mode.")
    if env.str("DEMO_TOTP_SECRET", default=""):
        raise ImproperlyConfigured(
            "DEMO_TOTP_SECRET must not be set in production mode: it is the demo users' "
            "second factor, published in the README."
        )

SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-development-only-key-change-me-0123456789"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "guardian",
    "django_celery_beat",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",
    "csp",
    # our apps: the case at the centre, dependencies one way (README, "Where things are")
    "accounts",
    "audit",
    "municipalities",
    "cases",
    "api",
    "webhooks",
    "intake",
    "pip_plans",
    "letters",
    "documents",
    "deadlines",
    "duo_import",
    "werksaam_bridge",
    "uitvoering",
    "reporting",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every 200 GET of a case's page writes an audit entry (when its view wrote none).
    "cases.middleware.CaseReadAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

# Forms render with our templates (templates/includes/form_fields.html) as well as Django's.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "westfriesland.urls"
WSGI_APPLICATION = "westfriesland.wsgi.application"

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
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, otherwise a SQLite file (the embedded default).
# Two roles on PostgreSQL (issue 11): DATABASE_URL is the app's own role (web, worker, beat), with
# only INSERT and SELECT on the audit trail; MIGRATE_DATABASE_URL is the owner of the tables, used
# only by a process started with DJANGO_DATABASE_ROLE=owner (`migrate`, then `grant_app_role`,
# which gives DATABASE_URL's role its rights). Without MIGRATE_DATABASE_URL there is one role.
APP_DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
MIGRATE_DATABASE_URL = env.str("MIGRATE_DATABASE_URL", default="")
DATABASE_ROLE = env.str("DJANGO_DATABASE_ROLE", default="app")
if DATABASE_ROLE not in ("app", "owner"):
    raise ImproperlyConfigured("DJANGO_DATABASE_ROLE is 'app' (the default) or 'owner'.")
DATABASES = {
    "default": env.db_url_config(
        MIGRATE_DATABASE_URL
        if DATABASE_ROLE == "owner" and MIGRATE_DATABASE_URL
        else APP_DATABASE_URL
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # SQLite in WAL mode so the demo's web server and worker can write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler off, deliberately (issue 15). It starts when a plan's estimated
    # cost passes jit_above_cost, and the access filter's OR of subqueries is overestimated
    # (87,500 rows estimated for 29,967 at 100,000 cases), so the app's short OLTP queries paid
    # the compilation on every run: measured at 42,000 cases, the case list sorted by deadline
    # 198 -> 115 ms of SQL, Stuurinformatie 899 -> 605 ms, the WerkSaam dashboard 513 -> 381 ms.
    # No query of the app runs long enough to win the compile time back. docker-compose.yml sets
    # the same on the server, for every other client (psql, a reporting replica).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First: django-axes refuses a locked-out username or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Per-object grants never go to anonymous users.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Second factor (django-two-factor-auth on django-otp): every login of a person asks for a TOTP
# code from an authenticator app, or one of the recovery codes; a user without a device sets one
# up right after the password (accounts.middleware.SecondFactorRequiredMiddleware). API clients
# authenticate with their Bearer tokens and are not asked.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Inburgering Westfriesland")
TWO_FACTOR_REMEMBER_COOKIE_AGE = None
# The demo users' TOTP secret (base32), documented in the README; refused in production.
DEMO_TOTP_SECRET = env.str(
    "DEMO_TOTP_SECRET", default="" if PRODUCTION else "INBURGERINGWESTFRIESLAND"
)

# Brute-force protection (django-axes). A login is refused for the cool-off after
# AXES_FAILURE_LIMIT failures for one username (from any address: guessing one account from many
# machines) and, separately, after as many failures from one address (one machine trying many
# accounts). Each lockout writes an audit entry; the beheerder lifts one early in the admin
# (Axes: Toegangspogingen, delete the attempt) or waits out the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address for the per-address lockout, through django-ipware. Behind
# TRUSTED_PROXY_COUNT reverse proxies that each append to X-Forwarded-For (production: the TLS
# proxy in front of gunicorn, so 1) it is the address the proxies were asked by; a chain that does
# not match is not trusted. With none, only REMOTE_ADDR counts, so a client cannot dodge the
# lockout with a forged header. Either way one proxy's address never locks everybody out at once.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# ipware counts the proxies listed in X-Forwarded-For: the nearest one is REMOTE_ADDR, not listed.
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_of"
AXES_PASSWORD_FORM_FIELD = "auth-password"
AXES_SENSITIVE_PARAMETERS = ["auth-password", "password"]

# Sessions: the absolute lifetime (SESSION_COOKIE_AGE, below) and an idle timeout: a session
# unused for SESSION_IDLE_TIMEOUT seconds is logged out (accounts.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)

# Language and time: Dutch by default, English available; Europe/Amsterdam.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages from npm (`npm ci`), served as our own static files: nothing from a CDN.
NPM_STATIC = {
    "utrecht": BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist",
    "utrecht-tokens": BASE_DIR / "node_modules" / "@utrecht" / "design-tokens" / "dist",
    "htmx": BASE_DIR / "node_modules" / "htmx.org" / "dist",
}
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *((prefix, path) for prefix, path in NPM_STATIC.items() if path.exists()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves from the finders (no collectstatic needed: make run, tests).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Files a browser asks for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "public"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

# Documents on the case (app documents/): kept outside the web root and served only through the
# audited download. Every upload is scanned by ClamAV's clamd before it is kept: CLAMAV_SOCKET (a
# Unix socket) or CLAMAV_HOST/CLAMAV_PORT. With no scanner configured uploads are refused, unless
# DOCUMENTS_ALLOW_UNSCANNED=1 (the demo only; never in production).
DOCUMENTS_ROOT = Path(env.str("DOCUMENTS_ROOT", default=str(BASE_DIR / "var" / "documents")))
DOCUMENTS_MAX_BYTES = env.int("DOCUMENTS_MAX_BYTES", default=10 * 1024 * 1024)
DOCUMENTS_ALLOW_UNSCANNED = env.bool("DOCUMENTS_ALLOW_UNSCANNED", default=False)
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env.str("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)
if PRODUCTION and DOCUMENTS_ALLOW_UNSCANNED:
    raise ImproperlyConfigured("DOCUMENTS_ALLOW_UNSCANNED is for the demo; not in production.")

# Redis: cache and Celery broker when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER",
    default=not REDIS_URL and not env.str("CELERY_BROKER_URL", default=""),
)
# `make run` (no Redis): CELERY_FILESYSTEM_BROKER=1 queues tasks as files under var/celery/ (kombu's
# filesystem transport), so a worker with embedded beat beside runserver delivers the reminders.
CELERY_FILESYSTEM_BROKER = env.bool("CELERY_FILESYSTEM_BROKER", default=False)
if CELERY_FILESYSTEM_BROKER:
    _celery_queue_dir = Path(
        env.str("CELERY_FILESYSTEM_DIR", default=str(BASE_DIR / "var" / "celery"))
    )
    (_celery_queue_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_celery_queue_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue_dir / "queue"),
        "data_folder_out": str(_celery_queue_dir / "queue"),
        "processed_folder": str(_celery_queue_dir / "processed"),
        "store_processed": False,
        "polling_interval": 0.2,
        # kombu's broadcast (control) files go beside the queue, not into the working directory.
        "control_folder": str(_celery_queue_dir / "control"),
    }
    CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
# A worker that starts before Redis is up keeps trying (and says so, instead of Celery 5's
# deprecation warning about the setting being unset).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# Stuurinformatie is counted by beat every FIGURES_REFRESH_MINUTES; the page counts a scope
# itself when its stored figures are older than FIGURES_MAX_AGE_MINUTES (or of another day).
FIGURES_REFRESH_MINUTES = 5
FIGURES_MAX_AGE_MINUTES = env.int("FIGURES_MAX_AGE_MINUTES", default=15)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat schedule lives in code; django-celery-beat copies it into its tables on start.
CELERY_BEAT_SCHEDULE = {
    "cases.end-transfer-read-only-access": {
        "task": "cases.tasks.end_transfer_read_only_access",
        "schedule": crontab(minute=5),
    },
    "werksaam_bridge.expire-shares": {
        "task": "werksaam_bridge.tasks.expire_shares",
        "schedule": crontab(),  # every minute: access ends at the share's end date
    },
    "webhooks.retry": {
        "task": "webhooks.tasks.retry_webhooks",
        "schedule": crontab(),
    },
    "werksaam_bridge.unburdening-ending": {
        "task": "werksaam_bridge.tasks.unburdening_ending",
        "schedule": crontab(minute=15, hour=6),
    },
    "pip_plans.generate-missing-pip-documents": {
        "task": "pip_plans.tasks.generate_missing_pip_documents",
        "schedule": crontab(minute="*/15"),
    },
    # Stuurinformatie: counted every few minutes, the page reads the stored figures.
    "reporting.refresh-figures": {
        "task": "reporting.tasks.refresh_figures",
        "schedule": crontab(minute=f"*/{FIGURES_REFRESH_MINUTES}"),
    },
    "deadlines.sweep": {
        "task": "deadlines.tasks.sweep",
        "schedule": crontab(minute="*/15"),
    },
    # Retention (AVG): anonymise the cases whose retention period ended; idempotent.
    "privacy.retention-sweep": {
        "task": "privacy.tasks.retention_sweep",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Email: console in development; SMTP settings through EMAIL_URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="inburgering@westfriesland.example")
# The address the system is reached at, for links in reminder emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    # Machine clients first, so that a missing or bad token answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.ApiClientScope",
    ],
    # The API speaks JSON; only the document upload takes multipart/form-data (its own parser).
    # A form encoding has no null, so a nullable field sent as "null" could only be refused.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.ApiFilterBackend"],
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inburgering Westfriesland API",
    "DESCRIPTION": "Read access to inburgeraars, scoped to the caller's organisation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation declares its problem responses (400/401/403/404, application/problem+json).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
    # One name per choice set in openapi.yaml.
    "ENUM_NAME_OVERRIDES": {
        "RouteEnum": "intake.rules.Route.CHOICES",
        "LevelEnum": "pip_plans.models.Level",
        "PipStatusEnum": "pip_plans.models.PipStatus",
        "MapStatusEnum": "werksaam_bridge.models.MapStatus",
        "CaseStatusEnum": "cases.models.CaseStatus",
        "DocumentKindEnum": "documents.models.DocumentKind",
    },
}

# Security. Production sets the strict values that `check --deploy` asks for.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 9)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): our own files only, no inline script or style, no eval.
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
    },
}
# No browser feature that the system does not use (common.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logging: structured JSON on stdout; the audit logger carries every audit entry.
# With LOG_FILE (bin/run-dev sets var/log/westfriesland.log for `make run`) the JSON lines, audit
# entries and task chatter included, go to that file instead, and the console keeps only
# warnings and errors (on stderr) beside the demo's emails.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FILE = env.str("LOG_FILE", default="")
_LOG_HANDLERS = {
    "stdout": {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stdout",
        "filters": ["mask_personal_data"],
    }
}
if LOG_FILE:
    Path(LOG_FILE).parent.mkdir(parents=True, exist_ok=True)
    _LOG_HANDLERS = {
        "file": {
            "class": "logging.FileHandler",
            "formatter": "json",
            "filename": LOG_FILE,
            "encoding": "utf-8",
            "filters": ["mask_personal_data"],
        },
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "console",
            "stream": "ext://sys.stderr",
            "level": "WARNING",
            "filters": ["mask_personal_data"],
        },
    }
    # The worker of `make run` logs through these handlers too, not Celery's own.
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False
    # Django's own console handler (INFO while DEBUG) would print "Watching for file changes"
    # and the like: django.* goes through these handlers as well.
    _DJANGO_LOGGER = {"django": {"handlers": list(_LOG_HANDLERS), "propagate": False}}
else:
    _DJANGO_LOGGER = {}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "console": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    # Every handler masks BSNs and calendar feed tokens (common/logging.py).
    "filters": {"mask_personal_data": {"()": "common.logging.MaskingFilter"}},
    "handlers": _LOG_HANDLERS,
    "root": {"handlers": list(_LOG_HANDLERS), "level": LOG_LEVEL},
    "loggers": {
        **_DJANGO_LOGGER,
        "django.server": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
        "audit": {"handlers": list(_LOG_HANDLERS), "level": "INFO", "propagate": False},
    },
}

# Domain settings.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Inburgering2026!")
TRANSFER_READ_ONLY_DAYS = env.int("TRANSFER_READ_ONLY_DAYS", default=90)
# Whether the Algemene termijnenwet also moves the last day of the inburgeringstermijn off a
# weekend or holiday (DOMAIN.md: for legal review, "verify"). Off: the last day is the first
# PIP's dagtekening three years on, whatever the weekday.
TERMIJN_END_ALGEMENE_TERMIJNENWET = env.bool("TERMIJN_END_ALGEMENE_TERMIJNENWET", default=False)
# Whether the duty of a 16- or 17-year-old starts only when the leerplicht or kwalificatieplicht
# ends (DOMAIN.md "Minors": "verify"). On: no deadline counts from before the day after its end.
DUTY_POSTPONED_WHILE_LEERPLICHTIG = env.bool("DUTY_POSTPONED_WHILE_LEERPLICHTIG", default=True)
