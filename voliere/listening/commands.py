"""`voliere listen …`: dispatch to the importer and the source poller."""

from __future__ import annotations

import argparse


def listen_command(options: argparse.Namespace) -> int:
    if options.listen_command == "import":
        from voliere.listening.importers.command import import_command

        return import_command(options)
    from voliere.listening.sources.command import poll_command

    return poll_command(options)
