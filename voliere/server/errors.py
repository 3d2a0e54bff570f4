from __future__ import annotations


class CommandFailed(Exception):  # noqa: N818 — reads as "the command failed"
    """A `voliere` command cannot go on: the message is printed, without a traceback.

    Exit status 2 for bad arguments (as argparse does), 1 for everything else.
    """

    def __init__(self, message: str, *, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
