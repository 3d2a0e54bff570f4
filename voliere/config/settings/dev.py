"""Settings for `voliere demo` and local development."""

from voliere.config.settings.base import *  # noqa: F403

DEBUG = False
