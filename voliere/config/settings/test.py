"""Settings for the test suite: fast hashing, tasks run immediately unless a test asks otherwise."""

from voliere.config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "timelines", "notifications", "listening"],
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The live server of a test session takes thousands of API calls from one loopback address:
# tests of the limits themselves lower these with the `settings` fixture.
API_RATE_LIMIT = 100_000
API_RATE_LIMIT_ANONYMOUS = 100_000
# Listening connectors are tested against servers on loopback (see sources/fetch.py).
LISTENING_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
