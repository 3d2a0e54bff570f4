"""Starting Django from the `voliere` command, with errors a person can act on."""

from __future__ import annotations

import os

from voliere.server.errors import CommandFailed

DEMO_SETTINGS = "voliere.config.settings.dev"
PRODUCTION_SETTINGS = "voliere.config.settings.prod"


def use_settings(module: str, *, force: bool = False) -> None:
    """Choose the settings module; without `force` an explicit DJANGO_SETTINGS_MODULE wins."""
    if force:
        os.environ["DJANGO_SETTINGS_MODULE"] = module
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", module)


def setup_django() -> None:
    """`django.setup()`, turning configuration mistakes (a bad VOLIERE_* value) into a message."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise CommandFailed(f"configuration error: {error}") from None
    except OSError as error:  # the data directory cannot be created or read
        raise CommandFailed(f"cannot use the data directory: {error}") from None


def ensure_directories() -> None:
    """Media and static roots exist (WhiteNoise warns at every start about a missing one)."""
    from pathlib import Path

    from django.conf import settings

    for directory in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        Path(directory).mkdir(parents=True, exist_ok=True)


def unapplied_migrations() -> list[str]:
    """Migrations the database still lacks ("app.name"). Raises CommandFailed if unreachable."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise CommandFailed(f"cannot use the database: {error}") from None
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_migrated() -> None:
    pending = unapplied_migrations()
    if pending:
        shown = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
        raise CommandFailed(
            f"the database has {len(pending)} unapplied migration(s) ({shown}).\n"
            "Run `voliere manage migrate` first, then start again."
        )
