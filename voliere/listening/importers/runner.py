"""Running one import: read records, hand them to `ingest()` in batches, keep progress.

Resumable: an `ImportRun` (source + file SHA-256 + format) counts the records committed.
Each batch's mentions, matches, the run's counters and the source cursor are committed in
one transaction, so after a crash (even a SIGKILL) the next run of the same file skips
exactly the records already committed and goes on; a record read twice anyway would only
be a duplicate (dedup keys). A finished run is not resumed: importing the file again
starts a new run, which finds only duplicates.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TextIO

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from voliere.listening.importers import csv_import, fourcat, twarc2, tweets_js
from voliere.listening.importers.base import Parsed, Reader, ReaderOptions, UnreadableFile
from voliere.listening.ingest import BATCH_SIZE, INTERNAL_NETWORK, ingest, problem_of
from voliere.listening.models import ImportRun, Source, Topic, TopicMatch
from voliere.listening.records import IncomingPost

READERS: dict[str, Reader] = {
    "tweets-js": tweets_js.read,
    "twarc2": twarc2.read,
    "4cat": fourcat.read,
    "csv": csv_import.read,
}


@dataclass
class ImportOutcome:
    """Totals of the run over the whole file (a resumed run includes what the interrupted
    one committed); `resumed_from` is how many records that was."""

    run: ImportRun
    new: int
    duplicate: int
    rejected: int
    resumed_from: int
    mention_ids: set[int] = field(default_factory=set)


class Progress:
    """Progress on a stream: a bar redrawn in place on a terminal, otherwise a line after
    the first committed batch and then every `interval` seconds."""

    def __init__(self, stream: TextIO, total_bytes: int, *, interval: float = 2.0) -> None:
        self.stream, self.total = stream, max(total_bytes, 1)
        self.tty = stream.isatty()
        self.interval = 0.1 if self.tty else interval
        self.last = 0.0
        self.started = time.monotonic()

    def update(self, *, position: int, records: int, new: int, duplicate: int,
               rejected: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self.last and now - self.last < self.interval:
            return
        self.last = now
        rate = records / max(now - self.started, 1e-6)
        counts = f"{records:,} records ({new:,} new, {duplicate:,} duplicate, " \
                 f"{rejected:,} rejected) {rate:,.0f}/s"
        if self.tty:
            share = min(position / self.total, 1.0)
            bar = "#" * int(share * 30)
            self.stream.write(f"\r\033[K[{bar:<30}] {share:4.0%} {counts}")
        else:
            self.stream.write(f"progress: {counts}\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.tty and self.last:
            self.stream.write("\r\033[K")
            self.stream.flush()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as binary:
        while chunk := binary.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# Internal mentions are shared by every organisation and linked to the post of their id:
# a file must not plant one (a fake text on a real, maybe private, post; a poisoned dedup key).
RESERVED_NETWORK = (f'the network "{INTERNAL_NETWORK}" is reserved for the posts of this '
                    "instance, collected from the posts themselves")


def imported_problem(post: IncomingPost) -> str:
    """What makes an imported record unstorable ("" if nothing)."""
    if post.network == INTERNAL_NETWORK:
        return RESERVED_NETWORK
    return problem_of(post)


def run_import(*, path: Path, fmt: str, source: Source, options: ReaderOptions,
               report: Callable[[str], None], progress: Progress | None = None,
               keep_mention_ids: bool = False) -> ImportOutcome:
    """Import `path` into `source` (see the module docstring). `report` receives one line
    per rejected record ("line 12: missing "created_at""). Raises `UnreadableFile` before
    anything is written when the file as a whole cannot be read."""
    if options.network == INTERNAL_NETWORK:
        raise UnreadableFile(RESERVED_NETWORK)
    sha = file_sha256(path)
    with path.open("rb") as binary:
        records = READERS[fmt](binary, options)
        first = next(records, None)  # raises UnreadableFile for a wrong file, before writing
        run = (ImportRun.objects.filter(source=source, file_sha256=sha, format=fmt,
                                        finished_at__isnull=True).order_by("-pk").first()
               or ImportRun.objects.create(source=source, path=str(path)[:1000],
                                           file_sha256=sha, format=fmt))
        outcome = ImportOutcome(run=run, new=run.new, duplicate=run.duplicate,
                                rejected=run.rejected, resumed_from=run.records_done)
        stream = _chain(first, records) if first is not None else iter(())
        _consume(stream, binary=binary, run=run, source=source, outcome=outcome,
                 report=report, progress=progress, keep_mention_ids=keep_mention_ids)
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    if progress is not None:
        progress.clear()
    return outcome


def _chain(first: Parsed, rest: Iterator[Parsed]) -> Iterator[Parsed]:
    yield first
    yield from rest


def _consume(records: Iterator[Parsed], *, binary: IO[bytes], run: ImportRun, source: Source,
             outcome: ImportOutcome, report: Callable[[str], None],
             progress: Progress | None, keep_mention_ids: bool) -> None:
    skip = run.records_done
    posts: list[IncomingPost] = []
    rejected = 0
    for index, record in enumerate(records):
        if index < skip:
            continue  # committed by an interrupted run of this file
        problem = record.error or imported_problem(record.post)  # type: ignore[arg-type]
        if problem:
            report(f"{record.label}: {problem}")
            rejected += 1
        else:
            posts.append(record.post)  # type: ignore[arg-type]
        if len(posts) >= BATCH_SIZE or rejected >= BATCH_SIZE:
            _commit(posts, rejected, done=index + 1, run=run, source=source, outcome=outcome,
                    keep_mention_ids=keep_mention_ids)
            posts, rejected = [], 0
            _show(progress, binary, outcome, index + 1)
    _commit(posts, rejected, done=None, run=run, source=source, outcome=outcome,
            keep_mention_ids=keep_mention_ids)
    _show(progress, binary, outcome, outcome.run.records_done, force=True)


def _commit(posts: list[IncomingPost], rejected: int, *, done: int | None, run: ImportRun,
            source: Source, outcome: ImportOutcome, keep_mention_ids: bool) -> None:
    """One batch: rows, matches, run counters and cursor in one transaction. `done`=None
    means "up to the end of the file"."""
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        records_done = done if done is not None else locked.records_done + len(posts) + rejected
        cursor = {"import_run": run.pk, "records_done": records_done}
        result = ingest(posts, source=source, cursor=cursor)
        ImportRun.objects.filter(pk=run.pk).update(
            records_done=records_done, new=F("new") + result.new,
            duplicate=F("duplicate") + result.duplicate,
            rejected=F("rejected") + rejected + result.rejected,
        )
    run.records_done = records_done
    outcome.new += result.new
    outcome.duplicate += result.duplicate
    outcome.rejected += rejected + result.rejected
    if keep_mention_ids:
        outcome.mention_ids.update(mention.pk for mention in result.mentions)


def _show(progress: Progress | None, binary: IO[bytes], outcome: ImportOutcome, done: int,
          *, force: bool = False) -> None:
    if progress is None:
        return
    try:
        position = binary.tell()
    except (OSError, ValueError):
        position = 0
    progress.update(position=position, records=done, new=outcome.new,
                    duplicate=outcome.duplicate, rejected=outcome.rejected, force=force)


@dataclass(frozen=True)
class TopicLine:
    name: str
    matches: int
    shares: dict[str, float]  # sentiment → share of the matches, 0..1


def topic_report(source: Source, mention_ids: set[int]) -> list[TopicLine]:
    """Per topic of the source's organisation: matches among `mention_ids` and their
    sentiment shares (queries in chunks, so the id list never makes one huge statement)."""
    topics = list(Topic.objects.filter(organisation_id=source.organisation_id).order_by("name"))
    counts: dict[tuple[int, str], int] = {}
    ordered = sorted(mention_ids)
    for start in range(0, len(ordered), 5000):
        rows = (TopicMatch.objects
                .filter(topic__in=topics, mention_id__in=ordered[start:start + 5000])
                .values("topic_id", "sentiment").annotate(n=Count("id")))
        for row in rows:
            key = (row["topic_id"], row["sentiment"])
            counts[key] = counts.get(key, 0) + row["n"]
    lines = []
    for topic in topics:
        per = {s: counts.get((topic.pk, s), 0) for s in ("negative", "neutral", "positive")}
        total = sum(per.values())
        lines.append(TopicLine(topic.name, total,
                               {s: (n / total if total else 0.0) for s, n in per.items()}))
    return lines


def print_topic_report(lines: list[TopicLine], out: TextIO = sys.stdout) -> None:
    out.write("topic report:\n")
    if not lines:
        out.write("  (the organisation has no topics)\n")
    for line in lines:
        shares = ", ".join(f"{name} {share:.0%}" for name, share in line.shares.items())
        out.write(f"  {line.name}: {line.matches} matches ({shares})\n")
