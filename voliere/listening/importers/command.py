"""`voliere listen import FILE --format tweets-js|twarc2|4cat|csv --organisation HANDLE`.

Standard output ends with exactly `imported: N new, N duplicate, N rejected` (after the
topic report with `--topic-report`); progress and the per-record error report go to
standard error (or the error report to `--errors FILE`). Bad arguments (unknown
organisation, missing file, bad `--map`, a file that is not in the format) exit 2 with a
message and write nothing. Interrupted imports resume where they stopped when run again.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from voliere.server import bootstrap
from voliere.server.errors import CommandFailed

if TYPE_CHECKING:
    from voliere.listening.models import Source

MAX_SOURCE_NAME = 80


def import_command(options: argparse.Namespace) -> int:
    path: Path = options.file
    if not path.is_file():
        raise CommandFailed(f"{path}: no such file", status=2)
    if options.mapping and options.format != "csv":
        raise CommandFailed("--map applies to --format csv only", status=2)
    from voliere.listening.importers.csv_import import parse_mapping

    try:
        mapping = parse_mapping(options.mapping or "")
    except ValueError as error:
        raise CommandFailed(f"--map: {error}", status=2) from None
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    bootstrap.require_migrated()

    from voliere.listening.importers.base import ReaderOptions, UnreadableFile
    from voliere.listening.importers.runner import (
        Progress,
        print_topic_report,
        run_import,
        topic_report,
    )

    source = _import_source(options.organisation, options.source or path.name)
    with ExitStack() as stack:
        errors: TextIO = sys.stderr
        if options.errors:
            try:
                errors = stack.enter_context(options.errors.open("w", encoding="utf-8"))
            except OSError as error:
                raise CommandFailed(f"--errors: cannot write {options.errors}: "
                                    f"{error.strerror}", status=2) from None
        progress = Progress(sys.stderr, path.stat().st_size)

        def report(line: str) -> None:
            if errors is sys.stderr:
                progress.clear()
            errors.write(line + "\n")

        try:
            outcome = run_import(
                path=path, fmt=options.format, source=source,
                options=ReaderOptions(path=path, network=options.network or "",
                                      mapping=mapping),
                report=report, progress=progress, keep_mention_ids=options.topic_report,
            )
        except UnreadableFile as error:
            raise CommandFailed(str(error), status=2) from None
    if outcome.resumed_from:
        print(f"resumed after {outcome.resumed_from:,} records committed by an interrupted "
              "run", file=sys.stderr)
    if options.topic_report:
        print_topic_report(topic_report(source, outcome.mention_ids))
    print(f"imported: {outcome.new} new, {outcome.duplicate} duplicate, "
          f"{outcome.rejected} rejected", flush=True)
    return 0


def _import_source(handle: str, name: str) -> Source:
    """The organisation's import source called `name`, created on first use."""
    from voliere.accounts.models import Account, AccountKind
    from voliere.listening.models import Source, SourceKind

    organisation = Account.objects.filter(
        handle_lower=handle.lower().lstrip("@"), kind=AccountKind.ORGANISATION,
        is_suspended=False,
    ).first()
    if organisation is None:
        raise CommandFailed(f"--organisation: no organisation with the handle {handle!r}",
                            status=2)
    name = name[:MAX_SOURCE_NAME]
    source = Source.objects.filter(organisation=organisation, name=name).first()
    if source is None:
        return Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT,
                                     name=name)
    if source.kind != SourceKind.IMPORT:
        raise CommandFailed(f"--source: {name!r} is already a {source.get_kind_display()} "
                            f"source of @{organisation.handle}; choose another name",
                            status=2)
    return source
