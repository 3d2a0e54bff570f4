"""Settings shared by every environment. Each one read from the environment is documented here."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from voliere.config.database import database_from_env
from voliere.config.env import (
    data_dir,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent

# VOLIERE_DATA: directory holding the SQLite database, uploaded media and the generated secret key.
DATA_DIR = data_dir()
# VOLIERE_SECRET_KEY: Django's signing key; generated into DATA/secret_key when unset.
SECRET_KEY = secret_key(DATA_DIR)
# VOLIERE_DEBUG: Django's debug pages. Never on in production.
DEBUG = env_bool("VOLIERE_DEBUG", False)
# VOLIERE_ALLOWED_HOSTS: comma-separated host names this instance answers to.
ALLOWED_HOSTS = env_list("VOLIERE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# VOLIERE_CSRF_TRUSTED_ORIGINS: origins (scheme://host[:port]) allowed to POST, behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("VOLIERE_CSRF_TRUSTED_ORIGINS", [])
# VOLIERE_DATABASE_URL: empty for SQLite in DATA, or postgres://user:pass@host:port/db.
DATABASES = {"default": database_from_env(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# VOLIERE_INSTANCE_NAME: shown in the header and page titles.
INSTANCE_NAME = env_str("VOLIERE_INSTANCE_NAME", "Volière")
# VOLIERE_SIGNUP: "open" (anyone), "invite" (an invite code is needed) or "domain"
# (only e-mail addresses in VOLIERE_SIGNUP_DOMAINS).
SIGNUP_MODE = env_choice("VOLIERE_SIGNUP", "open", ("open", "invite", "domain"))
# VOLIERE_SIGNUP_DOMAINS: comma-separated e-mail domains accepted when VOLIERE_SIGNUP=domain,
# also used to verify employees of the instance's organisation automatically.
SIGNUP_DOMAINS = [d.lower() for d in env_list("VOLIERE_SIGNUP_DOMAINS", [])]
# VOLIERE_POST_MAX_CHARS: longest post, in characters.
POST_MAX_CHARS = env_int("VOLIERE_POST_MAX_CHARS", 500, minimum=1)
# VOLIERE_LOGIN_ATTEMPTS: failed logins allowed per account and per address in 15 minutes.
LOGIN_ATTEMPTS = env_int("VOLIERE_LOGIN_ATTEMPTS", 10, minimum=1)

# VOLIERE_EMAIL_URL-like settings, split for clarity. Console backend by default: mail
# (password resets, invitations) is printed on the server's output.
EMAIL_BACKEND = env_str("VOLIERE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("VOLIERE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("VOLIERE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("VOLIERE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("VOLIERE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("VOLIERE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("VOLIERE_EMAIL_FROM", "voliere@localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "voliere.core",
    "voliere.accounts",
    "voliere.posts",
    "voliere.timelines",
    "voliere.notifications",
    "voliere.communities",
    "voliere.media",
    "voliere.knowledge",
    "voliere.search",
    "voliere.expertise",
    "voliere.polls",
    "voliere.lists",
    "voliere.oauth",
    "voliere.mastodon",
    "voliere.streaming",
    "voliere.api",
    "voliere.listening",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "voliere.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "voliere.accounts.acting.ActingAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "voliere.config.urls"
ASGI_APPLICATION = "voliere.config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "voliere.core.context.instance",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["voliere.accounts.auth.EmailOrHandleBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "voliere_language"
USE_I18N = True
TIME_ZONE = env_str("VOLIERE_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from finders; an empty root is fine
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Media attachments of posts, articles and threads (voliere/media). They are kept apart from
# MEDIA_ROOT (whose files anyone may fetch) and served only by a view that checks who may
# see what they are attached to.
# VOLIERE_MEDIA_STORAGE: "local" (files under DATA/attachments) or "s3" (an S3-compatible
# bucket through django-storages: `pip install -e ".[s3]"`, and the VOLIERE_S3_* below).
MEDIA_STORAGE = env_choice("VOLIERE_MEDIA_STORAGE", "local", ("local", "s3"))
_ATTACHMENTS_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": DATA_DIR / "attachments", "base_url": None},
}
if MEDIA_STORAGE == "s3":
    # VOLIERE_S3_BUCKET, VOLIERE_S3_ENDPOINT_URL (empty for AWS), VOLIERE_S3_REGION,
    # VOLIERE_S3_ACCESS_KEY_ID, VOLIERE_S3_SECRET_ACCESS_KEY: the bucket and its credentials.
    # Objects are private (no public ACL); Volière reads them back to serve them.
    _ATTACHMENTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("VOLIERE_S3_BUCKET", ""),
            "endpoint_url": env_str("VOLIERE_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("VOLIERE_S3_REGION", "") or None,
            "access_key": env_str("VOLIERE_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("VOLIERE_S3_SECRET_ACCESS_KEY", "") or None,
            "location": "attachments",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": _ATTACHMENTS_STORAGE,
}
# VOLIERE_MEDIA_IMAGE_MAX_MB, VOLIERE_MEDIA_VIDEO_MAX_MB, VOLIERE_MEDIA_FILE_MAX_MB: largest
# upload of each kind, in MiB (1,048,576 bytes). Uploads are counted while they stream in
# and dropped as soon as they pass the largest of the three.
MEDIA_IMAGE_MAX_BYTES = env_int("VOLIERE_MEDIA_IMAGE_MAX_MB", 16, minimum=1) * 1024 * 1024
MEDIA_VIDEO_MAX_BYTES = env_int("VOLIERE_MEDIA_VIDEO_MAX_MB", 100, minimum=1) * 1024 * 1024
MEDIA_FILE_MAX_BYTES = env_int("VOLIERE_MEDIA_FILE_MAX_MB", 50, minimum=1) * 1024 * 1024
# VOLIERE_MEDIA_IMAGE_MAX_PIXELS: largest image (width × height, all frames of an animation
# together) decoded; bigger ones are refused as possible decompression bombs.
MEDIA_IMAGE_MAX_PIXELS = env_int("VOLIERE_MEDIA_IMAGE_MAX_PIXELS", 40_000_000, minimum=1)
# VOLIERE_MEDIA_DESCRIPTION_MAX_CHARS: longest alt text (Mastodon allows 1,500).
MEDIA_DESCRIPTION_MAX_CHARS = env_int("VOLIERE_MEDIA_DESCRIPTION_MAX_CHARS", 1500, minimum=1)
# Uploads are counted as they stream in (voliere.media.uploads), then kept in memory up to
# 2.5 MiB and in a temporary file beyond.
FILE_UPLOAD_HANDLERS = [
    "voliere.media.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "voliere_cache",
    }
}

# Background work: django-tasks with the database backend. Queues split by workload.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "timelines", "notifications", "listening"],
    }
}
# VOLIERE_WORKER_INTERVAL: seconds an idle worker waits before polling the queue again.
WORKER_INTERVAL = float(env_str("VOLIERE_WORKER_INTERVAL", "0.1"))
# VOLIERE_TASK_MAX_ATTEMPTS: how many times a failing task is tried before it is left failed.
TASK_MAX_ATTEMPTS = env_int("VOLIERE_TASK_MAX_ATTEMPTS", 5, minimum=1)

# Streaming (Mastodon streaming API and the web's live updates; voliere/streaming).
# VOLIERE_STREAMING_POLL_INTERVAL: seconds between two reads of the event log by a server
# process, only while it has streaming connections (changes made by other processes arrive
# within about this delay).
STREAMING_POLL_INTERVAL = float(env_str("VOLIERE_STREAMING_POLL_INTERVAL", "0.15"))
# VOLIERE_STREAMING_MAX_CONNECTIONS: open streams allowed per access token (or web session).
STREAMING_MAX_CONNECTIONS = env_int("VOLIERE_STREAMING_MAX_CONNECTIONS", 8, minimum=1)
# Event-log rows are kept this many seconds, then pruned by a background task.
STREAMING_EVENT_RETENTION = 3600

# Mastodon client API and OAuth (voliere/oauth, voliere/mastodon).
# VOLIERE_OAUTH_PASSWORD_GRANT: let apps exchange a member's e-mail/handle and password for
# a token (`grant_type=password`, used by `toot login_cli` and Mastodon.py's log_in);
# throttled like web logins. Off: apps must use the browser consent page.
OAUTH_PASSWORD_GRANT = env_bool("VOLIERE_OAUTH_PASSWORD_GRANT", True)
# VOLIERE_API_RATE_LIMIT: API calls allowed per access token per window (0: no limit).
API_RATE_LIMIT = env_int("VOLIERE_API_RATE_LIMIT", 300)
# VOLIERE_API_RATE_LIMIT_ANONYMOUS: API calls without a token allowed per client address per
# window (0: no limit).
API_RATE_LIMIT_ANONYMOUS = env_int("VOLIERE_API_RATE_LIMIT_ANONYMOUS", 300)
# VOLIERE_API_RATE_WINDOW: length of the rate-limit window, in seconds (Mastodon: 300).
API_RATE_WINDOW = env_int("VOLIERE_API_RATE_WINDOW", 300, minimum=1)
# VOLIERE_API_RATE_STORE: "memory" (counted in each server process; no database write per
# call) or "database" (shared by every process through the cache table).
API_RATE_STORE = env_choice("VOLIERE_API_RATE_STORE", "memory", ("memory", "database"))

# Listening sources (voliere/listening/sources).
# VOLIERE_LISTENING_ALLOWED_HOSTS: comma-separated host names that listening sources and
# webhooks may fetch even though they resolve to private or loopback addresses (an intranet
# feed, a test server). Everything else must resolve to public addresses only.
LISTENING_ALLOWED_PRIVATE_HOSTS = env_list("VOLIERE_LISTENING_ALLOWED_HOSTS", [])
# VOLIERE_LISTENING_POLL_INTERVAL: seconds between two rounds of the source poller that runs
# inside each task worker (0: no poller in workers; `voliere listen poll` still works).
LISTENING_POLL_INTERVAL = env_int("VOLIERE_LISTENING_POLL_INTERVAL", 30)
# Listening alerts (voliere/listening/alerts; rules in docs/listening-alerts.md).
# VOLIERE_LISTENING_HIGH_REACH_FOLLOWERS: followers from which a matched author raises a
# high-reach alert.
LISTENING_HIGH_REACH_FOLLOWERS = env_int("VOLIERE_LISTENING_HIGH_REACH_FOLLOWERS", 10_000,
                                         minimum=1)
# VOLIERE_LISTENING_ALERT_ATTEMPTS: tries of one alert e-mail or webhook before it is failed.
LISTENING_ALERT_ATTEMPTS = env_int("VOLIERE_LISTENING_ALERT_ATTEMPTS", 6, minimum=1)
# VOLIERE_SITE_URL: this instance's public address, for links in alert e-mails and webhooks.
SITE_URL = env_str("VOLIERE_SITE_URL", "http://localhost:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VOLIERE_LOG_LEVEL", "WARNING")},
    "loggers": {"voliere": {"level": env_str("VOLIERE_LOG_LEVEL", "INFO")}},
}

# User.email is unique case-insensitively (a functional unique constraint on Lower(email)),
# which Django's check does not recognise; EmailOrHandleBackend looks e-mails up with iexact.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
