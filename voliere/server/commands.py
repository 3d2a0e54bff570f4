"""What each `voliere` sub-command does, once `voliere.cli` has parsed its arguments.

Each function returns the process exit status or raises CommandFailed with a message.
Django is imported only after the settings module and data directory are chosen.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path

from voliere.server import bootstrap
from voliere.server.errors import CommandFailed
from voliere.server.processes import Supervisor
from voliere.server.web import base_url, is_healthy, listening_socket, uvicorn_argv
from voliere.server.worker import DEFAULT_QUEUES, check_queues, run_workers, worker_argv

READY_TIMEOUT = 60.0


def say(text: str = "") -> None:
    print(text, flush=True)


def demo(*, host: str, port: int, data: Path, scale: float, with_worker: bool) -> int:
    """Migrate, seed Acme on the first run, then serve with a task worker."""
    started = time.perf_counter()
    os.environ["VOLIERE_DATA"] = str(data.expanduser().resolve())
    bootstrap.use_settings(bootstrap.DEMO_SETTINGS, force=True)
    bootstrap.setup_django()
    from django.core.management import call_command

    from voliere.demo.seed import demo_logins, seed_demo

    bootstrap.ensure_directories()
    from django.db import DatabaseError

    say(f"Volière demo — data in {os.environ['VOLIERE_DATA']}")
    try:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
    except DatabaseError as error:
        raise CommandFailed(f"cannot use the database: {error}") from None
    say(f"  database ready in {time.perf_counter() - started:.1f} s")
    result = seed_demo(scale=scale)
    if result.created:
        say(f"  seeded the demo company in {result.seconds:.1f} s: {result.accounts} accounts, "
            f"{result.follows} follows, {result.posts} posts, {result.likes} likes, "
            f"{result.timeline_entries} timeline entries, {result.notifications} notifications")
    else:
        say("  reusing the existing demo data (delete the data directory to start afresh)")
    url = base_url(host, port)
    status = _serve(host=host, port=port, workers=1, with_worker=with_worker, access_log=False,
                    url=url, started=started, banner=_demo_banner(demo_logins()))
    return status


def _demo_banner(logins: list) -> list[str]:
    lines = ["  Sign in with (every Acme employee shares this password):"]
    width = max(len(f"{x.email} / {x.password}") for x in logins)
    lines += [f"    {f'{x.email} / {x.password}':<{width}}   {x.description}" for x in logins]
    return lines


def serve(*, host: str, port: int, workers: int, with_worker: bool) -> int:
    started = time.perf_counter()
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    bootstrap.require_migrated()
    bootstrap.ensure_directories()
    return _serve(host=host, port=port, workers=workers, with_worker=with_worker,
                  access_log=True, url=base_url(host, port), started=started, banner=[])


def _serve(*, host: str, port: int, workers: int, with_worker: bool, access_log: bool,
           url: str, started: float, banner: list[str]) -> int:
    try:
        listener = listening_socket(host, port)
    except OSError as error:
        raise CommandFailed(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    supervisor = Supervisor()
    supervisor.install_signal_handlers()
    supervisor.start(
        "web server",
        uvicorn_argv(host=host, port=port, workers=workers, access_log=access_log,
                     fd=listener.fileno()),
        pass_fds=(listener.fileno(),),
    )
    listener.close()  # the server process holds its own copy
    if with_worker:
        supervisor.start("task worker", worker_argv(DEFAULT_QUEUES))
    if not supervisor.wait_until(lambda: is_healthy(url), timeout=READY_TIMEOUT):
        supervisor.stop_all()
        if supervisor.stop_signal is not None:
            return 0
        raise CommandFailed(f"the web server did not answer on {url} (is the port free?)")
    say(f"  serving at {url} (ready {time.perf_counter() - started:.1f} s after start"
        + (", with a task worker)" if with_worker else ", no task worker)"))
    for line in banner:
        say(line)
    say("  Press Ctrl+C to stop.")
    status = supervisor.run()
    say("Stopped.")
    return status


def worker(*, queues: str, processes: int) -> int:
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    names = check_queues(queues)
    bootstrap.require_migrated()
    return run_workers(names, processes)


def manage(args: list[str]) -> int:
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["voliere manage", *args])
    return 0


def createadmin(*, email: str, handle: str, password: str | None) -> int:
    bootstrap.use_settings(bootstrap.PRODUCTION_SETTINGS)
    bootstrap.setup_django()
    bootstrap.require_migrated()
    from voliere.accounts.actions import register_person, set_role
    from voliere.accounts.models import Role
    from voliere.core.exceptions import InvalidInput

    if password is None:
        password = _ask_password()
    try:
        user = register_person(handle=handle, email=email, password=password, display_name=handle,
                               role=Role.ADMIN, enforce_signup_policy=False)
        set_role(user, Role.ADMIN)
    except InvalidInput as error:
        where = f"--{error.field}: " if error.field in ("email", "handle", "password") else ""
        raise CommandFailed(f"{where}{error.message}") from None
    say(f"Created administrator @{user.account.handle} <{user.email}>.")
    return 0


def _ask_password() -> str:
    if not sys.stdin.isatty():
        raise CommandFailed("--password is required when the command is not interactive",
                            status=2)
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandFailed("the two passwords differ")
    return first
