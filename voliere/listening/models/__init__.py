"""Listening: what is said about an organisation, its products and its competitors.

`Topic` (a watch query of an organisation) · `Source` (where posts come from, with its
cursor) · `Mention` (one collected post, enriched once, shared by every organisation) ·
`TopicMatch` (a mention matched by a topic) · `TopicHourStat` (pre-aggregated counts per
topic and hour, for charts and alert baselines) · `Alert`, `AlertChannel`, `AlertDelivery` ·
`InboxItem` (the response inbox) · `ImportRun` (one `voliere listen import`).
"""

from voliere.listening.models.alerts import Alert, AlertChannel, AlertDelivery, AlertKind
from voliere.listening.models.imports import ImportRun
from voliere.listening.models.inbox import InboxItem, InboxReason, InboxState
from voliere.listening.models.mentions import Mention, Sentiment, TopicHourStat, TopicMatch
from voliere.listening.models.sources import Source, SourceKind, SourceState
from voliere.listening.models.topics import BackfillState, Topic, TopicKind

__all__ = [
    "Alert", "AlertChannel", "AlertDelivery", "AlertKind", "BackfillState", "ImportRun",
    "InboxItem", "InboxReason", "InboxState", "Mention", "Sentiment", "Source", "SourceKind",
    "SourceState", "Topic", "TopicHourStat", "TopicKind", "TopicMatch",
]
