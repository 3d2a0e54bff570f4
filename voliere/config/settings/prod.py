"""Settings for `voliere serve`: everything from the environment, secure cookies when behind TLS."""

from voliere.config.env import env_bool
from voliere.config.settings.base import *  # noqa: F403

# VOLIERE_HTTPS: set when the instance is served over HTTPS (behind a TLS proxy).
if env_bool("VOLIERE_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
