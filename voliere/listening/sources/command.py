"""`voliere listen poll [--once]`: run the source poller in the foreground."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from voliere.server import bootstrap

if TYPE_CHECKING:
    from voliere.listening.sources.polling import PollOutcome

ROUND_PAUSE = 5.0  # seconds between rounds when nothing was due


def describe(outcome: PollOutcome) -> str:
    label = f"{outcome.name or '#' + str(outcome.source_id)}"
    if outcome.skipped:
        return f"{label}: skipped (paused, failed or deleted meanwhile)"
    if outcome.error:
        return f"{label}: error: {outcome.error}"
    line = f"{label}: {outcome.new} new, {outcome.duplicate} duplicate, {outcome.rejected} rejected"
    return line + (" (rate limited: next poll postponed)" if outcome.rate_limited else "")


def poll_command(options: argparse.Namespace) -> int:
    """One round with `--once` (exit status 1 if a source failed), else rounds until ^C.
    Interrupting mid-poll is safe: a cursor only moves with the posts it covers."""
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    bootstrap.require_migrated()
    from voliere.listening.sources.polling import poll_due_sources

    try:
        while True:
            outcomes = poll_due_sources()
            for outcome in outcomes:
                print(describe(outcome), flush=True)
            if options.once:
                if not outcomes:
                    print("no source due", flush=True)
                return 1 if any(o.error for o in outcomes) else 0
            if not outcomes:
                time.sleep(ROUND_PAUSE)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 0
