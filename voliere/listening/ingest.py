"""Ingestion: the one way collected posts become mentions, matches, inbox items and alerts.

Every source, importer and the internal network hand `IncomingPost`s to `ingest()`. Per
batch of `BATCH_SIZE` posts:

1. posts that cannot be stored are rejected (counted, logged), duplicates inside the batch
   collapse to their first occurrence;
2. one query finds the posts already stored (dedup is global on `(network, external_id)`:
   a mention is shared by every organisation);
3. only the new posts are enriched (language, sentiment, entities: `pipeline.enrich`);
4. in ONE transaction: the new mentions are inserted, every post of the batch (new or
   already stored) is matched against the source organisation's active topics, matches and
   hour counters are saved, new matches are routed to the inbox, and — with the last
   batch — the source's cursor is saved. A crash therefore never moves the cursor past
   rows that are not committed, and a re-run only finds duplicates;
5. after commit, alert detection is enqueued for the topics that got new matches.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Q
from django.utils import timezone

from voliere.core.exceptions import InvalidInput
from voliere.listening import enrich_worker
from voliere.listening.matches import rows_clause, save_matches
from voliere.listening.models import Mention, Source, Topic, TopicMatch
from voliere.listening.records import IncomingPost

if TYPE_CHECKING:
    from voliere.listening.pipeline.matching import TopicMatcher

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
INTERNAL_NETWORK = "internal"
_MAX = {"network": 80, "external_id": 255, "url": 500, "author_handle": 255,
        "author_name": 255, "author_url": 500}
_MAX_COUNT = 2_147_483_647  # PositiveIntegerField's upper bound on every database
# A hashtag starts after a non-word character and holds at least one letter ("#1" is not
# one, "page#anchor" neither).
_HASHTAG = re.compile(r"(?<![\w&/#])#(\w*[^\W\d_]\w*)")


@dataclass
class IngestResult:
    """Counts over all posts given. `mentions`: the stored mention (new or already there)
    of every accepted post of the last batch, in input order: of all the posts when at
    most `BATCH_SIZE` were given (callers that need them pass no more). `errors`: why each
    rejected post was rejected. `enrichment_cpu`: CPU seconds the enrichment took in the
    worker processes of `ingest_pipelined` (0 otherwise)."""

    new: int = 0
    duplicate: int = 0
    rejected: int = 0
    mentions: list[Mention] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    enrichment_cpu: float = 0.0

    def add(self, other: IngestResult) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.rejected += other.rejected
        self.mentions = other.mentions
        self.errors.extend(other.errors)
        self.enrichment_cpu += other.enrichment_cpu


def extract_hashtags(text: str) -> tuple[str, ...]:
    """Lower-cased hashtags of `text`, without "#", each once, in order of appearance."""
    return tuple(dict.fromkeys(tag.lower() for tag in _HASHTAG.findall(text)))


def ingest(posts: Iterable[IncomingPost], *, source: Source,
           cursor: dict | None = None) -> IngestResult:
    """Store, enrich, match and route `posts` for `source.organisation` (see the module
    docstring). `cursor`, if given, is saved on `source` with the last batch, in the same
    transaction as the rows it covers. Reads `posts` lazily, `BATCH_SIZE` at a time."""
    result = IngestResult()
    iterator = iter(posts)
    batch = list(islice(iterator, BATCH_SIZE))
    while True:
        following = list(islice(iterator, BATCH_SIZE)) if batch else []
        last = not following
        result.add(_ingest_batch(batch, source=source, cursor=cursor if last else None))
        if last:
            return result
        batch = following


def ingest_pipelined(posts: Iterable[IncomingPost], *, source: Source,
                     cursor: dict | None = None, workers: int = 1,
                     batch_size: int = 4 * BATCH_SIZE) -> IngestResult:
    """`ingest()` with the enrichment of the next batches running in `workers` other
    processes while this one writes: for bulk loads (imports, benchmarks) on a machine with
    a core to spare. Same results; one transaction per `batch_size` posts (2,000: fewer
    commits and per-batch queries than `ingest()`'s 500, ~7% less CPU for the writer, and
    still a fraction of a second of write lock), with the garbage collector quieted
    (`bulk_gc`). The workers enrich every post of a batch (duplicates included, which
    they cannot know), so it pays when most are new."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    result = IngestResult()
    pending: deque[tuple[list[IncomingPost], Future]] = deque()
    context = multiprocessing.get_context("spawn")  # never fork open database connections
    with bulk_gc(), ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=enrich_worker.setup) as pool:
        def write_oldest(last: bool) -> None:
            batch, future = pending.popleft()
            values, spent = future.result()
            ready = dict(zip(((p.network, p.external_id) for p in batch), values, strict=True))
            result.add(_ingest_batch(batch, source=source, cursor=cursor if last else None,
                                     enriched=ready))
            result.enrichment_cpu += spent

        for batch in batched(posts, batch_size):
            pending.append((batch, pool.submit(enrich_worker.enrich_batch, [p.text for p in batch],
                                               [p.lang for p in batch])))
            if len(pending) > workers + 1:
                write_oldest(last=False)
        while pending:
            write_oldest(last=len(pending) == 1)
    if cursor is not None and not result.new + result.duplicate + result.rejected:
        result.add(_ingest_batch([], source=source, cursor=cursor))
    return result


@contextmanager
def bulk_gc() -> Iterator[None]:
    """Keep Python's cyclic garbage collector out of a bulk load's way.

    A batch allocates ~50 objects per post (mentions, matches, their states and values),
    none of them in reference cycles: reference counting frees them. Yet every 700
    allocations the collector runs, and its full collections traverse the whole heap
    (Django, the loaded models, the caller's posts): measured at 25% of the writer's CPU
    on 30,000 posts. Inside this block what already exists is frozen (never traversed)
    and the collector runs 30x less often; both are restored on exit. Process-wide
    state: for bulk loads (`ingest_pipelined`, imports), not for request handlers.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 20_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _ingest_batch(posts: Sequence[IncomingPost], *, source: Source, cursor: dict | None,
                  enriched: dict | None = None) -> IngestResult:
    result = IngestResult()
    accepted: dict[tuple[str, str], IncomingPost] = {}
    for post in posts:
        problem = problem_of(post)
        if problem:
            result.rejected += 1
            result.errors.append(f"{post.network}:{post.external_id}: {problem}")
            continue
        key = (post.network, post.external_id)
        if key in accepted:
            result.duplicate += 1
        else:
            accepted[key] = post
    if result.errors:
        logger.info("ingest: %s rejected posts (first: %s)", len(result.errors), result.errors[0])
    existing = _existing(accepted)
    fresh = [post for key, post in accepted.items() if key not in existing]
    rows = _enriched_mentions(fresh, source, enriched)
    with transaction.atomic():
        stored, inserted = _insert(rows, existing)
        mentions = [stored[key] for key in accepted]
        new_matches = match_mentions(mentions, organisation_id=source.organisation_id)
        topic_ids = {match.topic_id for match in new_matches}
        if cursor is not None:
            source.cursor = cursor
            Source.objects.filter(pk=source.pk).update(cursor=cursor)
        if topic_ids:
            transaction.on_commit(lambda: _detect_alerts(sorted(topic_ids)))
    result.new = inserted
    result.duplicate += len(accepted) - inserted
    result.mentions = mentions
    return result


def problem_of(post: IncomingPost) -> str:
    """What makes `post` unstorable ("" if nothing)."""
    if not post.network or not post.external_id:
        return "no network or id"
    for name, limit in _MAX.items():
        if len(getattr(post, name)) > limit:
            return f"{name} longer than {limit} characters"
    if not post.text.strip():
        return "empty text"
    if post.published_at.tzinfo is None or post.published_at.utcoffset() is None:
        return "published_at has no time zone"
    if post.network == INTERNAL_NETWORK and not post.external_id.isdigit():
        return "internal ids are post ids"
    for name in ("text", *_MAX):
        if "\x00" in getattr(post, name):  # PostgreSQL refuses NUL in text
            return f"{name} contains a NUL character"
    return ""


def _existing(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Mention]:
    """The stored mentions among these `(network, external_id)` keys: one query."""
    condition = _keys_condition(keys)
    if condition is None:
        return {}
    return {(m.network, m.external_id): m for m in Mention.objects.filter(condition)}


def _keys_condition(keys: Iterable[tuple[str, str]]) -> Q | None:
    ids_by_network: dict[str, list[str]] = {}
    for network, external_id in keys:
        ids_by_network.setdefault(network, []).append(external_id)
    if not ids_by_network:
        return None
    condition = Q()
    for network, ids in ids_by_network.items():
        condition |= Q(network=network, external_id__in=ids)
    return condition


# What `_mention_values` produces for each new mention, in this order ("id" excepted).
_PRODUCED = ("network", "external_id", "source_id", "post_id", "url", "author_handle",
             "author_name", "author_followers", "author_url", "text", "hashtags", "lang",
             "sentiment", "sentiment_score", "sentiment_model", "entities", "is_question",
             "is_reply", "published_at", "collected_at")
# Field types whose database value is the Python value we already hold (str, int, float,
# bool, None): everything else (dates, JSON) goes through the field's own preparation.
_PASSTHROUGH = frozenset({"CharField", "TextField", "IntegerField", "PositiveIntegerField",
                          "BigIntegerField", "FloatField", "BooleanField", "ForeignKey",
                          "OneToOneField"})


def enrichment_values(found: object) -> tuple:
    """An `Enrichment` as the plain tuple the ingestion stores (lang, sentiment, score,
    model, entities, is_question): what the pipelined workers send back, cheaper to pickle
    than the dataclass."""
    return (found.lang, found.sentiment, found.score, found.model, found.entities,  # type: ignore[attr-defined]
            found.is_question)  # type: ignore[attr-defined]


def _enriched_mentions(posts: list[IncomingPost], source: Source,
                       enriched: dict | None = None) -> list[Mention]:
    """Unsaved `Mention`s for `posts`, enriched in one call (no database access) unless
    `enriched` already holds their `enrichment_values` by key."""
    if not posts:
        return []
    if enriched is not None:
        enrichments = [enriched[(post.network, post.external_id)] for post in posts]
    else:
        from voliere.listening.pipeline.enrich import enrich

        enrichments = [enrichment_values(found) for found in
                       enrich([post.text for post in posts], [post.lang for post in posts])]
    collected_at = timezone.now()
    values = [_mention_values(post, found, source.pk, collected_at)
              for post, found in zip(posts, enrichments, strict=True)]
    return _new_mentions(values, source)


def _mention_values(post: IncomingPost, found: tuple, source_id: int,
                    collected_at: datetime) -> tuple:
    """The values of a new mention's fields, in `_PRODUCED` order."""
    lang, sentiment, score, model, entities, question = found
    return (
        post.network, post.external_id, source_id,
        int(post.external_id) if post.network == INTERNAL_NETWORK else None,
        post.url, post.author_handle, post.author_name,
        min(max(0, int(post.author_followers or 0)), _MAX_COUNT), post.author_url, post.text,
        list(dict.fromkeys(tag.lower().lstrip("#") for tag in post.hashtags))
        or list(extract_hashtags(post.text)),
        (lang or post.lang)[:8], sentiment, score, model[:40], entities, question,
        post.is_reply, post.published_at, collected_at,
    )


@cache
def _mention_layout() -> tuple[list, object | None]:
    """The concrete fields to insert (no "id") and a getter putting `_PRODUCED` values in
    their order — None if the model gained a field this module does not fill (then
    instances are built by keyword, slower but right)."""
    fields = [f for f in Mention._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    if sorted(names) != sorted(_PRODUCED):
        return fields, None
    return fields, itemgetter(*(_PRODUCED.index(name) for name in names))


def _new_mentions(values: list[tuple], source: Source) -> list[Mention]:
    """Unsaved mentions from `_PRODUCED`-ordered values. Positional construction is the
    ORM's own fast path (the one `from_db` takes): keyword construction with defaults and
    related objects cost ~4x more, per mention."""
    _fields, order = _mention_layout()
    if order is None:
        mentions = [Mention(**dict(zip(_PRODUCED, row, strict=True))) for row in values]
    else:
        mentions = [Mention(None, *order(row)) for row in values]
    cache_source = Mention.source.field.set_cached_value
    for mention in mentions:
        cache_source(mention, source)
    return mentions


def _insert(rows: list[Mention], existing: dict[tuple[str, str], Mention],
            ) -> tuple[dict[tuple[str, str], Mention], int]:
    """Insert `rows`; returns every mention by key and how many were inserted. If a
    concurrent writer stored some of them meanwhile, those are read back instead (the
    unique key decides, never Python)."""
    stored = dict(existing)
    try:
        with transaction.atomic():
            _insert_many(rows)
    except IntegrityError:
        raced = _existing((m.network, m.external_id) for m in rows)
        rows = [m for m in rows if (m.network, m.external_id) not in raced]
        _insert_many(rows)
        stored.update(raced)
    stored.update({(m.network, m.external_id): m for m in rows})
    return stored, len(rows)


_PARAMETERS_PER_STATEMENT = 30_000  # below SQLite's default 32,766 and PostgreSQL's 65,535


def _insert_many(rows: list[Mention]) -> None:
    """Insert `rows` and give each its id, without reading the rows back: one
    `INSERT … RETURNING id, network, external_id` per ~1,400 rows (`matches.rows_clause`:
    multi-row VALUES on SQLite, one array per column on PostgreSQL). Earlier versions used
    `bulk_create` (a multi-row statement compiled in Python per 49 rows: ~3x the CPU), then
    `executemany` plus a SELECT of the ids. Values go through each field's own
    `get_db_prep_save` except where the value we hold is already the database value (str,
    int, float, bool, None), so JSON and dates are stored exactly as the ORM would."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]  # the real wrapper: the proxy costs a lookup per use
    fields, _order = _mention_layout()
    prepare = [(field.attname, _preparer(field, db)) for field in fields]

    def values_of(row: Mention) -> list[object]:
        values = row.__dict__
        return [values[name] if convert is None else convert(values[name])
                for name, convert in prepare]

    table, quote = Mention._meta.db_table, db.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    returned = []
    per_statement = max(1, _PARAMETERS_PER_STATEMENT // len(fields))
    with db.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            values, params = rows_clause(db, Mention, [field.attname for field in fields],
                                         [values_of(row) for row in chunk])
            cursor.execute(f"INSERT INTO {quote(table)} ({columns}) {values} "  # noqa: S608
                           f"RETURNING {quote('id')}, {quote('network')}, "
                           f"{quote('external_id')}", params)
            returned += cursor.fetchall()
    by_key = {(network, external_id): pk for pk, network, external_id in returned}
    for row in rows:
        row.pk = by_key[(row.network, row.external_id)]
        row._state.adding, row._state.db = False, db.alias


def _preparer(field: Field, db: BaseDatabaseWrapper) -> Callable[[object], object] | None:
    """How to turn `field`'s values into database values: None when the value we hold is
    already it, else the field's `get_db_prep_save`, reusing the last result when it is
    given the same object again (`collected_at`, one per batch)."""
    if field.get_internal_type() in _PASSTHROUGH:
        return None
    prepare = field.get_db_prep_save
    last: list = [object(), None]

    def convert(value: object) -> object:
        if value is not last[0]:
            last[0], last[1] = value, prepare(value, db)
        return last[1]

    return convert


def match_mentions(mentions: Sequence[Mention], *, organisation_id: int) -> list[TopicMatch]:
    """Match `mentions` against the organisation's active topics, save the matches and
    their hour counters, route the new matches to the inbox; returns the new matches.
    Run inside the caller's transaction."""
    matcher = topic_matcher(organisation_id)
    if matcher is None or not mentions:
        return []
    new_matches = save_matches(match_pairs(matcher, mentions))
    if new_matches:
        _route(new_matches)
    return new_matches


def match_pairs(matcher: TopicMatcher, mentions: Sequence[Mention]) -> list[tuple[int, Mention]]:
    """(topic id, mention) for every topic of `matcher` that matches each mention."""
    from voliere.listening.pipeline.matching import MatchDoc

    return [(topic_id, mention) for mention in mentions
            for topic_id in matcher.match(MatchDoc.from_mention(mention))]


# organisation id → (the topics' (id, query_version, query) key, compiled matcher)
_matchers: dict[int, tuple[tuple, object]] = {}


def topic_matcher(organisation_id: int) -> object | None:
    """The compiled matcher of the organisation's active topics, or None if it has none.

    Compiled once and reused while the topics' ids, versions and queries stay the same
    (one small query per batch checks that), so an edit applies from the next batch. A
    stored query that no longer compiles is skipped with a warning, not the whole batch.
    """
    from voliere.listening.pipeline.matching import compile_topics

    topics = tuple(Topic.objects.filter(organisation_id=organisation_id, is_active=True)
                   .order_by("pk").values_list("pk", "query_version", "query"))
    if not topics:
        _matchers.pop(organisation_id, None)
        return None
    cached = _matchers.get(organisation_id)
    if cached is not None and cached[0] == topics:
        return cached[1]
    try:
        matcher = compile_topics([(pk, query) for pk, _version, query in topics])
    except (InvalidInput, ValueError):
        valid = []
        for pk, _version, query in topics:
            try:
                compile_topics([(pk, query)])
            except (InvalidInput, ValueError) as error:
                logger.warning("listening: topic %s has an invalid query: %s", pk, error)
            else:
                valid.append((pk, query))
        matcher = compile_topics(valid)
    _matchers[organisation_id] = (topics, matcher)
    return matcher


def _route(new_matches: list[TopicMatch]) -> None:
    try:
        from voliere.listening.inbox.routing import route_matches
    except ImportError as error:  # part G of issue 5 not merged yet
        raise ImportError("voliere.listening.inbox.routing.route_matches is missing: the "
                          "response inbox must exist before ingestion can run") from error
    route_matches(new_matches)


def _detect_alerts(topic_ids: list[int]) -> None:
    try:
        from voliere.listening.alerts.tasks import detect_alerts_task
    except ImportError as error:  # part E of issue 5 not merged yet
        raise ImportError("voliere.listening.alerts.tasks.detect_alerts_task is missing: "
                          "alerts must exist before ingestion can run") from error
    detect_alerts_task.enqueue(topic_ids)


def batched(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
