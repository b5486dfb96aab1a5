"""Fusion settings: one module, driven by environment variables only.

With no environment set, the embedded default runs: SQLite (WAL) and a filesystem
Celery broker under ``var/``, a file cache, and sandbox delivery. ``DATABASE_URL``
and ``REDIS_URL`` switch to PostgreSQL and Redis; nothing else changes.
Every variable is listed in the README's configuration table.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("FUSION_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean env var: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    """The key from SECRET_KEY, else one generated once and kept under var/ (never in the repo)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "apps.core",
    "apps.accounts",
    "apps.providers",
    "apps.content",
    "apps.contacts",
    "apps.delivery",
    "apps.jobs",
    "apps.programs",
    "apps.transmissions",
    "apps.campaigns",
    "apps.cases",
    "apps.callbacks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Every API path answers with and without a trailing slash (see apps.core.routing), so
# Django must never redirect to add one: a redirected POST loses its body.
APPEND_SLASH = False

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


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    # Embedded default: SQLite in WAL mode; IMMEDIATE transactions avoid the
    # "database is locked" upgrade deadlock when web, worker and beat write at once.
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("FUSION_SQLITE_PATH", str(VAR_DIR / "fusion.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = os.environ.get("REDIS_URL", "")


def _caches() -> dict:
    if REDIS_URL:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fusion"),
            }
        }
    # A file cache is shared by web, worker and beat processes (LocMem would not be).
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }


CACHES = _caches()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Request bodies over this many bytes answer 413 (apps.core.middleware).
FUSION_MAX_BODY_BYTES = env_int("FUSION_MAX_BODY_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FUSION_MAX_BODY_BYTES
# CSV contact uploads (POST /api/groups/{id}/csv) have their own, bigger cap (100k rows ≈ 8 MB).
FUSION_CSV_MAX_BYTES = env_int("FUSION_CSV_MAX_BYTES", 50 * 1024 * 1024)
# One uploaded media file (fax PDF, WAV recording, template attachment: PUT/POST …/media).
FUSION_MEDIA_MAX_BYTES = env_int("FUSION_MEDIA_MAX_BYTES", 20 * 1024 * 1024)
# Region (ISO 3166 code) for phone numbers written without "+", unless the client's settings
# name a "default_region" (apps.contacts.phones).
FUSION_DEFAULT_REGION = os.environ.get("FUSION_DEFAULT_REGION", "US")
# Failed logins allowed per username and per client address in a minute before 429.
FUSION_LOGIN_FAILURES_PER_MINUTE = env_int("FUSION_LOGIN_FAILURES_PER_MINUTE", 10)

# SSRF guard (apps.core.http): private networks that user-supplied URLs may reach anyway.
FUSION_SSRF_ALLOWED_NETWORKS = env_list("FUSION_SSRF_ALLOWED_NETWORKS", [])
# Provider passwords are encrypted with these keys (newest first); default: from SECRET_KEY.
FUSION_ENCRYPTION_KEYS = env_list("FUSION_ENCRYPTION_KEYS", [])
# Largest attachment an email job may fetch from a URL.
FUSION_ATTACHMENT_MAX_BYTES = env_int("FUSION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Where vendors reach this server (e.g. https://fusion.example.com): SMS jobs then ask their
# gateway for delivery receipts at {FUSION_PUBLIC_URL}/api/receipts/…, and providers show an
# absolute inbound URL. Empty: no delivery receipts are requested.
FUSION_PUBLIC_URL = os.environ.get("FUSION_PUBLIC_URL", "").rstrip("/")
# Signed media URLs ({FUSION_PUBLIC_URL}/api/media/{token}/{name}) that fax and voice vendors
# fetch a stored document or recording from stay valid this many seconds.
FUSION_MEDIA_URL_SECONDS = env_int("FUSION_MEDIA_URL_SECONDS", 24 * 3600)
# Telnyx signs its webhooks with the account's Ed25519 key; with a public key (base64, from
# the Telnyx portal) the receipts endpoint refuses unsigned, forged or stale ones. A Telnyx
# provider's settings["public_key"] wins over this default. Empty: the URL token only.
FUSION_TELNYX_PUBLIC_KEY = os.environ.get("FUSION_TELNYX_PUBLIC_KEY", "").strip()
# Largest difference between telnyx-timestamp and now, either way, before a webhook is stale.
FUSION_TELNYX_WEBHOOK_TOLERANCE_SECONDS = env_int("FUSION_TELNYX_WEBHOOK_TOLERANCE_SECONDS", 300)
# Video cases (apps.cases): each member's join link; {token} (required), {task_num} and {role}
# are filled in. Codes from POST /video/getAuthCode live this many seconds.
FUSION_VIDEO_JOIN_URL = os.environ.get(
    "FUSION_VIDEO_JOIN_URL", "https://video.example.invalid/join/{token}"
)
FUSION_VIDEO_AUTH_CODE_SECONDS = env_int("FUSION_VIDEO_AUTH_CODE_SECONDS", 600)
# Who makes join links: "template" (FUSION_VIDEO_JOIN_URL) or "jitsi" (Jitsi Meet rooms with
# JWT authentication; needs the domain, app id and secret of Prosody's token auth).
FUSION_VIDEO_ROOM_PROVIDER = os.environ.get("FUSION_VIDEO_ROOM_PROVIDER", "template")
FUSION_JITSI_DOMAIN = os.environ.get("FUSION_JITSI_DOMAIN", "")
FUSION_JITSI_APP_ID = os.environ.get("FUSION_JITSI_APP_ID", "")
FUSION_JITSI_APP_SECRET = os.environ.get("FUSION_JITSI_APP_SECRET", "")  # env only, never here
FUSION_JITSI_AUDIENCE = os.environ.get("FUSION_JITSI_AUDIENCE", "jitsi")
# A scheduled room's tokens are valid from this long before task_time until this long after
# it (realtime rooms: from when the link is made until MINUTES_AFTER later).
FUSION_JITSI_MINUTES_BEFORE = env_int("FUSION_JITSI_MINUTES_BEFORE", 60)
FUSION_JITSI_MINUTES_AFTER = env_int("FUSION_JITSI_MINUTES_AFTER", 120)
# Customers of cases with task_notify are reminded this long before task_time (0: never).
FUSION_VIDEO_REMINDER_MINUTES = env_int("FUSION_VIDEO_REMINDER_MINUTES", 30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.core.authentication.BearerJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.HeaderLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
    "USER_ID_CLAIM": "user_id",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fusion API",
    "DESCRIPTION": (
        "Fusion's four API faces: Queue (/queue/, /schedule/, job management), "
        "Comms (/api/, ICTCore compatible), Callbacks (/client/{id}/task_scheduler/) "
        "and Video cases (/video/). Authenticate at POST /api/authenticate and send "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: no CDN needed on closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["apps.core.schema.paths_as_specs_write_them"],
}

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    for _folder in ("broker", "broker-control"):
        (VAR_DIR / _folder).mkdir(exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    # Consume "high" before "default" before "low" instead of round-robin.
    {"queue_order_strategy": "priority", "visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
        # kombu polls a folder; its default (1 s) between a finished task and the next
        # message would leave the dispatcher's worker idle half the time, behind beat.
        "polling_interval": float(os.environ.get("FUSION_BROKER_POLL_SECONDS", "0.1")),
    }
)
CELERY_BEAT_SCHEDULER = "apps.core.beat:HeartbeatDatabaseScheduler"
# Fixed-cadence system tasks; django-celery-beat's DatabaseScheduler syncs these rows.
# They run on the "system" queue, which a worker of its own consumes (Procfile: dispatcher),
# so a busy delivery worker never delays the dispatcher.
CELERY_BEAT_SCHEDULE = {
    "dispatch-due": {
        "task": "system.dispatch_due",
        "schedule": 1.0,
        "options": {"queue": "system", "expires": 5},
    },
    "rescue-leases": {
        "task": "system.leases_rescue",
        "schedule": float(env_int("FUSION_RESCUE_EVERY_SECONDS", 10)),
        "options": {"queue": "system", "expires": 30},
    },
    "republish-queued": {
        "task": "system.queued_republish",
        "schedule": float(env_int("FUSION_REPUBLISH_EVERY_SECONDS", 30)),
        "options": {"queue": "system", "expires": 60},
    },
    # Due campaign schedules, then each running campaign's next minute of paced jobs.
    "campaigns-pump": {
        "task": "system.campaigns_pump",
        "schedule": 5.0,
        "options": {"queue": "system", "expires": 10},
    },
    # Due callback tasks, within each task scheduler's concurrency, interval and ASR limits.
    "callbacks-pump": {
        "task": "system.callbacks_pump",
        "schedule": 1.0,
        "options": {"queue": "system", "expires": 5},
    },
    # Joined fax PDFs whose signed URLs have all expired (apps.delivery.services.media).
    "fax-merged-prune": {
        "task": "system.fax_merged_prune",
        "schedule": 3600.0,
        "options": {"queue": "system", "expires": 1800},
    },
    # Queue-face Idempotency-Key records older than FUSION_IDEMPOTENCY_KEEP_HOURS.
    "idempotent-requests-prune": {
        "task": "system.idempotent_requests_prune",
        "schedule": 3600.0,
        "options": {"queue": "system", "expires": 1800},
    },
}

# --- The engine (apps.delivery) ---------------------------------------------------
FUSION_DISPATCH_BATCH = env_int("FUSION_DISPATCH_BATCH", 500)  # rows per claim
# Seconds each dispatcher run keeps claiming (and waiting for the next due job): just under
# beat's one-second tick, so due jobs fire within milliseconds, not at the next tick. Less on
# the folder broker, whose polls cost the system worker time between messages, so that it
# keeps up with beat's other once-a-second task (callbacks-pump).
FUSION_DISPATCH_BUDGET = float(
    os.environ.get("FUSION_DISPATCH_BUDGET", "0.95" if REDIS_URL else "0.8")
)
FUSION_DISPATCH_MAX_QUEUED = env_int("FUSION_DISPATCH_MAX_QUEUED", 2000)  # per priority
# Jobs per Celery message, by priority (high runs alone so it never waits behind others).
FUSION_EXECUTE_BATCH = {
    2: 1,
    1: env_int("FUSION_EXECUTE_BATCH_DEFAULT", 20),
    0: env_int("FUSION_EXECUTE_BATCH_LOW", 50),
}
# A batch that runs longer than this (slow vendors) records what has finished so far and
# extends the leases of the rest, so outcomes are never held back for long.
FUSION_EXECUTE_FLUSH_SECONDS = float(os.environ.get("FUSION_EXECUTE_FLUSH_SECONDS", "0.5"))
FUSION_LEASE_SECONDS = env_int("FUSION_LEASE_SECONDS", 45)
FUSION_QUEUED_STALE_SECONDS = env_int("FUSION_QUEUED_STALE_SECONDS", 120)
FUSION_MAX_RESCUES = env_int("FUSION_MAX_RESCUES", 3)
FUSION_RETRY_BASE_SECONDS = env_int("FUSION_RETRY_BASE_SECONDS", 10)
FUSION_RETRY_MAX_SECONDS = env_int("FUSION_RETRY_MAX_SECONDS", 3600)
FUSION_HOOK_ATTEMPTS = env_int("FUSION_HOOK_ATTEMPTS", 8)
# Seconds a worker process keeps a client's active providers before reading them again.
FUSION_PROVIDER_CACHE_SECONDS = env_int("FUSION_PROVIDER_CACHE_SECONDS", 5)
# Hours an Idempotency-Key of POST /queue/ and /schedule/ is remembered; a key reused after
# that is a new request (new jobs). Pruned hourly by the beat entry above.
FUSION_IDEMPOTENCY_KEEP_HOURS = env_int("FUSION_IDEMPOTENCY_KEEP_HOURS", 24)
# Seconds after which a worker or beat heartbeat counts as stale in /health/.
FUSION_HEARTBEAT_STALE_SECONDS = env_int("FUSION_HEARTBEAT_STALE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
