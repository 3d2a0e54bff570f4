"""Task workers: django-tasks-db's `db_worker`, polling every `settings.WORKER_INTERVAL`.

One process runs the worker loop itself; several are children of a supervisor, each a
`python -m voliere worker --processes 1`. The same command is the in-process worker of
`voliere demo` and `voliere serve` (SQLite in WAL mode lets it write beside the server).
"""

from __future__ import annotations

from voliere.server.errors import CommandFailed
from voliere.server.processes import Supervisor, python_module

DEFAULT_QUEUES = "timelines,notifications,listening,default"


def check_queues(queues: str) -> list[str]:
    """The queue names, each one declared in settings.TASKS. Needs Django set up."""
    from django.conf import settings

    names = [q.strip() for q in queues.split(",") if q.strip()]
    known = settings.TASKS["default"].get("QUEUES", ["default"])
    unknown = [q for q in names if q not in known]
    if not names or unknown:
        raise CommandFailed(
            f"--queues: unknown queue(s) {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(known)}",
            status=2,
        )
    return names


def worker_argv(queues: str) -> list[str]:
    return python_module("voliere", "worker", "--queues", queues, "--processes", "1")


def run_worker(queues: list[str]) -> None:
    """Run one worker loop in this process until SIGINT/SIGTERM (finishing the current task).
    A worker serving the "listening" queue also polls external listening sources in a
    thread (see `voliere.listening.sources.background`)."""
    from django.conf import settings
    from django.core.management import call_command

    from voliere.listening.sources.background import start_source_poller

    poller = start_source_poller(queues)
    try:
        call_command(
            "db_worker", "--queue-name", ",".join(queues),
            "--interval", str(settings.WORKER_INTERVAL),
            "--no-startup-delay", "--no-reload", verbosity=0,
        )
    finally:
        if poller is not None:
            poller.stop(timeout=5.0)


def run_workers(queues: list[str], processes: int) -> int:
    if processes == 1:
        run_worker(queues)
        return 0
    supervisor = Supervisor()
    supervisor.install_signal_handlers()
    for number in range(processes):
        supervisor.start(f"task worker {number + 1}", worker_argv(",".join(queues)))
    return supervisor.run()
