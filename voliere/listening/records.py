"""What every source and importer hands to the ingestion: one `IncomingPost` per post.

Sources and importers only translate their format into this; enrichment (language,
sentiment, entities), dedup, topic matching, statistics, inbox routing and alerts are the
ingestion's job (`voliere.listening.ingest`), the same for every origin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class IncomingPost:
    """`network` + `external_id` is the dedup key (see `Mention`). `published_at` is
    timezone-aware. `lang` is the language the source declares ("" if none): detection
    runs anyway, the declared one is kept when detection is unsure. `hashtags` empty means
    "extract them from the text"."""

    network: str
    external_id: str
    text: str
    published_at: datetime
    url: str = ""
    author_handle: str = ""
    author_name: str = ""
    author_followers: int = 0
    author_url: str = ""
    lang: str = ""
    is_reply: bool = False
    hashtags: tuple[str, ...] = field(default_factory=tuple)


class RecordRejected(ValueError):  # noqa: N818 — reads as the outcome it is
    """A record that cannot become an `IncomingPost`; the message says what is wrong
    (importers prefix it with the line or record number)."""
