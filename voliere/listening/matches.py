"""Saving topic matches and the hourly counts that go with them.

`save_matches` is the only writer of new `TopicMatch` rows, used by live ingestion and by
topic backfills alike. It is on the ingestion's hot path (tens of thousands of matches a
second), so it writes with two set-based statements per chunk instead of model instances:

- `INSERT … ON CONFLICT (topic, mention) DO NOTHING RETURNING …` stores the pairs not yet
  matched and tells exactly which ones were new (a pair matched before, or meanwhile by a
  concurrent backfill, is skipped and counted nowhere);
- `INSERT … ON CONFLICT (topic, hour, sentiment) DO UPDATE SET count = count + excluded`
  adds the new matches to their topic's hourly counters.

Both statements are atomic in SQLite (3.35+) and PostgreSQL, so concurrent writers keep
the counters exact. Removing matches (a deleted post, a topic whose query changed) goes
through `refresh_hour_stats`, which recounts the affected hours from the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Model
from django.db.models.functions import TruncHour

from voliere.listening.models import Mention, TopicHourStat, TopicMatch

CHUNK = 500  # rows per statement: 7 parameters each, far below SQLite's variable limit


def param_marker(db: BaseDatabaseWrapper) -> str:
    """The placeholder for a parameter in raw SQL on `db`. Django's SQLite cursor rewrites
    every `%s` into `?` with a regular expression at each execute, which costs more than
    the insert itself for statements of thousands of parameters; SQLite's own `?` (its
    DB-API "qmark" style) goes through untouched. Not while queries are logged (DEBUG,
    tests capturing queries): the log formats the SQL with `%` and needs `%s`."""
    return "?" if db.vendor == "sqlite" and not db.queries_logged else "%s"


def rows_clause(db: BaseDatabaseWrapper, model: type[Model], attnames: Sequence[str],
                rows: Sequence[Sequence[object]]) -> tuple[str, list[object]]:
    """What follows `INSERT INTO <table> (<columns>)` to insert `rows` (database values in
    `attnames` order), and its parameters. SQLite: a multi-row `VALUES` (callers keep
    rows × columns under its 32,766-parameter limit). PostgreSQL: `SELECT * FROM unnest(…)`
    with one typed array per column, so the statement has as many parameters as columns:
    psycopg re-parses, in Python, any statement longer than 4 kB at every execute, which
    cost more than the insert for a `VALUES` list of thousands of parameters."""
    if db.vendor == "postgresql":
        types = [model._meta.get_field(name).db_type(db) for name in attnames]
        arrays = ", ".join(f"%s::{db_type}[]" for db_type in types)
        return (f"SELECT * FROM unnest({arrays})",  # noqa: S608 — column types only
                [list(column) for column in zip(*rows, strict=True)])
    marker = param_marker(db)
    one = "(" + ", ".join([marker] * len(attnames)) + ")"
    return "VALUES " + ", ".join([one] * len(rows)), [value for row in rows for value in row]


def hour_of(moment: datetime) -> datetime:
    """The UTC hour `moment` falls in (stats are kept per UTC hour)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def save_matches(pairs: Iterable[tuple[int, Mention]]) -> list[TopicMatch]:
    """Record `(topic_id, mention)` pairs (mentions already saved); returns the matches
    that are new, as saved `TopicMatch` instances carrying their mention."""
    wanted = {(topic_id, mention.id): mention for topic_id, mention in pairs}
    keys = list(wanted)
    new: list[TopicMatch] = []
    for start in range(0, len(keys), CHUNK):
        new += _insert_matches([(topic_id, wanted[(topic_id, mention_id)])
                                for topic_id, mention_id in keys[start:start + CHUNK]])
    _add_to_hour_stats(new)
    return new


_MATCH_FIELDS = ("id", "topic_id", "mention_id", "published_at", "sentiment", "lang",
                 "network", "author_followers")


def _insert_matches(pairs: list[tuple[int, Mention]]) -> list[TopicMatch]:
    db = connections[DEFAULT_DB_ALIAS]  # the real wrapper: the proxy costs a lookup per use
    adapt = db.ops.adapt_datetimefield_value
    table = db.ops.quote_name(TopicMatch._meta.db_table)
    columns = ("topic_id", "mention_id", "published_at", "sentiment", "lang", "network",
               "author_followers")
    # A mention matched by several topics is adapted once.
    mentions = {mention.id: mention for _, mention in pairs}
    published = {mention_id: adapt(mention.published_at) for mention_id, mention in
                 mentions.items()}
    rows, params = rows_clause(db, TopicMatch, columns, [
        (topic_id, mention.id, published[mention.id], mention.sentiment, mention.lang,
         mention.network, mention.author_followers) for topic_id, mention in pairs])
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) {rows} "  # noqa: S608
           "ON CONFLICT (topic_id, mention_id) DO NOTHING RETURNING id, topic_id, mention_id")
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = cursor.fetchall()
    # Built as `from_db` does (positional, the ORM's fast path), with the mention cached
    # as `match.mention` like the keyword `mention=` would.
    cache_mention = TopicMatch.mention.field.set_cached_value
    matches = []
    for match_id, topic_id, mention_id in inserted:
        mention = mentions[mention_id]
        match = TopicMatch.from_db(db.alias, _MATCH_FIELDS, (
            match_id, topic_id, mention_id, mention.published_at, mention.sentiment,
            mention.lang, mention.network, mention.author_followers))
        cache_mention(match, mention)
        matches.append(match)
    return matches


def _add_to_hour_stats(matches: list[TopicMatch]) -> None:
    db = connections[DEFAULT_DB_ALIAS]
    hours = {moment: hour_of(moment) for moment in {m.published_at for m in matches}}
    counts = Counter((m.topic_id, hours[m.published_at], m.sentiment) for m in matches)
    keys = list(counts)
    table = db.ops.quote_name(TopicHourStat._meta.db_table)
    count = db.ops.quote_name("count")
    adapt = db.ops.adapt_datetimefield_value
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        rows, params = rows_clause(db, TopicHourStat, ("topic_id", "hour", "sentiment", "count"), [
            (topic_id, adapt(hour), sentiment, counts[(topic_id, hour, sentiment)])
            for topic_id, hour, sentiment in chunk])
        sql = (f"INSERT INTO {table} (topic_id, hour, sentiment, {count}) "  # noqa: S608
               f"{rows} ON CONFLICT (topic_id, hour, sentiment) "
               f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}")
        with db.cursor() as cursor:
            cursor.execute(sql, params)


@transaction.atomic
def refresh_hour_stats(keys: set[tuple[int, datetime]]) -> None:
    """Recount `TopicHourStat` for these (topic id, UTC hour) pairs from `TopicMatch`,
    after matches were removed: exact whatever ran before (an hour left without matches
    loses its counters), so safe to repeat."""
    if not keys:
        return
    hours_by_topic: dict[int, set[datetime]] = {}
    for topic_id, hour in keys:
        hours_by_topic.setdefault(topic_id, set()).add(hour)
    for topic_id, hours in hours_by_topic.items():
        TopicHourStat.objects.filter(topic_id=topic_id, hour__in=hours).delete()
    hours = [hour for _, hour in keys]
    rows = (
        TopicMatch.objects.filter(
            topic_id__in=hours_by_topic,
            published_at__gte=min(hours), published_at__lt=max(hours) + timedelta(hours=1),
        )
        .annotate(hour=TruncHour("published_at", tzinfo=UTC))
        .values("topic_id", "hour", "sentiment")
        .annotate(n=Count("id"))
    )
    TopicHourStat.objects.bulk_create(
        [TopicHourStat(topic_id=row["topic_id"], hour=row["hour"], sentiment=row["sentiment"],
                       count=row["n"])
         for row in rows if (row["topic_id"], row["hour"]) in keys],
        batch_size=CHUNK,
    )
