"""Every change a manager makes to an external source: add, edit, pause, resume, delete.

The poller's own changes (success, errors, backoff) are in `polling.py`; both go through
the same transition table (`polling.move`). Configuration is validated by the source's
connector before anything is written. Credentials are write-only: an edit that leaves a
credential blank keeps the stored one (the form never shows it back).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Source
from voliere.listening.sources.polling import POLLABLE, move
from voliere.listening.sources.registry import connector_for

MIN_POLL_INTERVAL = 60
MAX_POLL_INTERVAL = 7 * 24 * 3600
# Every source is polled by the instance's workers, at most once a minute each: a cap keeps
# one organisation from filling them (or from hammering a third-party server through us).
MAX_SOURCES = 50
# The configuration keys that say where a source's requests (and credentials) go.
ADDRESS_KEYS = ("url", "instance", "base_url")


def _check_common(name: str, poll_interval: int) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A source needs a name."), field="name")
    if len(name) > 80:
        raise InvalidInput(_("The name is longer than 80 characters."), field="name")
    if not MIN_POLL_INTERVAL <= poll_interval <= MAX_POLL_INTERVAL:
        raise InvalidInput(_("Poll between every %(min)d seconds and once a week.")
                           % {"min": MIN_POLL_INTERVAL}, field="poll_interval")
    return name


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()
            if v not in (None, "")}


def create_source(organisation: Account, *, kind: str, name: str, config: dict[str, Any],
                  credentials: dict[str, Any] | None = None,
                  poll_interval: int = 300) -> Source:
    connector = connector_for(kind)
    if Source.objects.filter(organisation=organisation).count() >= MAX_SOURCES:
        raise InvalidInput(_("An organisation has at most %(count)d sources: delete one "
                             "first.") % {"count": MAX_SOURCES})
    name = _check_common(name, poll_interval)
    config, credentials = _clean(config), _clean(credentials or {})
    connector.validate_config(config, credentials)
    return Source.objects.create(
        organisation=organisation, kind=kind, name=name, config=config,
        credentials=credentials, poll_interval=poll_interval, next_poll_at=timezone.now(),
    )


@transaction.atomic
def update_source(source: Source, *, name: str, config: dict[str, Any],
                  credentials: dict[str, Any] | None = None,
                  poll_interval: int | None = None) -> Source:
    """Change settings; blank credentials keep the stored ones, unless the address they
    are sent to changed (`ADDRESS_KEYS`): credentials are write-only, so keeping them
    would let whoever edits the source send them to a server of their choosing and read
    them there. A changed configuration (another feed, instance or query) starts from a
    fresh cursor: the old resume point belongs to the old stream."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    poll_interval = source.poll_interval if poll_interval is None else poll_interval
    name = _check_common(name, poll_interval)
    config = _clean(config)
    kept = source.credentials if all(
        config.get(key) == source.config.get(key) for key in ADDRESS_KEYS) else {}
    credentials = {**kept, **_clean(credentials or {})}
    connector_for(source.kind).validate_config(config, credentials)
    fields = ["name", "config", "credentials", "poll_interval"]
    if config != source.config:
        source.cursor = {}
        fields.append("cursor")
    source.name, source.config, source.credentials = name, config, credentials
    source.poll_interval = poll_interval
    source.save(update_fields=fields)
    return source


@transaction.atomic
def pause_source(source: Source) -> Source:
    return _change_state(source, "pause")


@transaction.atomic
def resume_source(source: Source) -> Source:
    """Back to active, failures forgotten, polled at the next round."""
    return _change_state(source, "resume", failures=0, next_poll_at=timezone.now())


def _change_state(source: Source, event: str, **fields: Any) -> Source:
    locked = Source.objects.select_for_update().get(pk=source.pk)
    state = move(locked.state, event)
    Source.objects.filter(pk=locked.pk).update(state=state, **fields)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def request_poll(source: Source) -> Source:
    """Poll at the poller's next round (active or backing-off sources; others must be
    resumed first, which polls them anyway)."""
    locked = Source.objects.select_for_update().get(pk=source.pk)
    if locked.state not in POLLABLE:
        raise InvalidInput(_("“%(name)s” is %(state)s: resume it first.")
                           % {"name": locked.name, "state": locked.get_state_display()})
    Source.objects.filter(pk=locked.pk).update(next_poll_at=timezone.now())
    return locked


def delete_source(source: Source) -> None:
    """The source goes; its mentions stay (other organisations may share them, and the
    topics' history must not change), detached from it."""
    Source.objects.filter(pk=source.pk).delete()


def masked(value: str) -> str:
    """How a stored secret is shown: its last 4 characters at most."""
    if not value:
        return ""
    return "•" * 8 + (value[-4:] if len(value) >= 12 else "")

