"""`voliere manage reindex [--kind posts ...]`: rebuild the search index from the content.

Needed after bulk imports that bypass model signals (the demo seed, benchmarks, SQL
restores). Each kind's index is emptied, then rebuilt in batches of one transaction each:
while it runs, searches miss what is not rebuilt yet.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from voliere.search import backends
from voliere.search.indexing import reindex_all
from voliere.search.kinds import registered


class Command(BaseCommand):
    help = "Rebuild the full-text search index (all kinds, or those given with --kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", action="append", dest="kinds", help="posts, people, communities, ..."
        )

    def handle(self, *args: Any, kinds: list[str] | None = None, **options: Any) -> None:
        unknown = set(kinds or []) - set(registered())
        if unknown:
            raise CommandError(
                f"unknown kind(s): {', '.join(sorted(unknown))}; known: {', '.join(registered())}"
            )
        for report in reindex_all(kinds):
            self.stdout.write(
                f"{report.kind}: {report.objects} read, {report.documents} indexed "
                f"in {report.seconds:.1f} s"
            )
        size = backends.backend().size_bytes()
        if size >= 0:
            self.stdout.write(f"index size: {size / 1_048_576:.1f} MiB")
