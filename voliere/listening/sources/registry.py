"""Which connector serves which source kind. Internal and import sources are not polled."""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.listening.sources.base import Connector


@cache
def connectors() -> dict[str, Connector]:
    from voliere.listening.sources.bluesky import BlueskyConnector
    from voliere.listening.sources.mastodon import MastodonConnector
    from voliere.listening.sources.rss import RssConnector
    from voliere.listening.sources.x import XConnector

    return {c.kind: c for c in (RssConnector(), MastodonConnector(), BlueskyConnector(),
                                XConnector())}


POLLED_KINDS = ("rss", "mastodon", "bluesky", "x")


def connector_for(kind: str) -> Connector:
    try:
        return connectors()[kind]
    except KeyError:
        raise InvalidInput(_("“%(kind)s” sources are not polled.") % {"kind": kind},
                           field="kind") from None
