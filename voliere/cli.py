"""The `voliere` command: demo, serve, worker, manage, createadmin.

    voliere demo [--host 127.0.0.1] [--port 8000] [--data DIR] [--no-worker] [--scale 1]
    voliere serve [--host] [--port] [--workers N] [--no-worker]
    voliere worker [--queues timelines,notifications,listening,default] [--processes N]
    voliere manage <django command> ...
    voliere createadmin --email E --handle H [--password P]
    voliere token create --user HANDLE --scopes "read write follow" [--app NAME]
    voliere listen import FILE --format tweets-js|twarc2|4cat|csv --organisation HANDLE [...]
    voliere listen poll [--once]
    voliere nlp train-sentiment [--data DIR] [--out DIR] [--docs FILE]
    voliere nlp classify --in FILE.jsonl --out FILE.jsonl

Exit status: 0 done, 1 failed (the reason is printed), 2 bad arguments, 130 interrupted.
`serve`, `worker`, `manage` and `createadmin` read the production settings from the
environment (VOLIERE_*; DJANGO_SETTINGS_MODULE, when set, wins); `demo` uses the
development settings with its own data directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voliere.server import commands
from voliere.server.errors import CommandFailed
from voliere.server.worker import DEFAULT_QUEUES


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.01 <= value <= 10:
        raise argparse.ArgumentTypeError(f"must be between 0.01 and 10, got {value}")
    return value


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"a port is at most 65535, got {value}")
    return value


def _web_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on")
    parser.add_argument("--no-worker", dest="with_worker", action="store_false",
                        help="do not start a task worker alongside the web server")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voliere", description="Volière, a self-hosted social platform for companies."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="run a demo company on this machine, seeded on first run")
    _web_arguments(demo)
    demo.add_argument("--data", type=Path, default=Path("voliere-data"),
                      help="data directory (default: ./voliere-data)")
    demo.add_argument("--scale", type=_scale, default=1.0,
                      help="size of the company seeded on the first run (1: ~300 employees, "
                      "~10,000 posts; the default)")

    serve = sub.add_parser("serve", help="serve in production (settings from VOLIERE_*)")
    _web_arguments(serve)
    serve.add_argument("--workers", type=_positive, default=1, help="web server processes")

    worker = sub.add_parser("worker", help="run background task workers")
    worker.add_argument("--queues", default=DEFAULT_QUEUES, help="comma-separated queue names")
    worker.add_argument("--processes", type=_positive, default=1, help="worker processes")

    manage = sub.add_parser("manage", help="run a Django management command (migrate, shell…)")
    manage.add_argument("args", nargs=argparse.REMAINDER, help="the command and its arguments")

    admin = sub.add_parser("createadmin", help="create an administrator")
    admin.add_argument("--email", required=True)
    admin.add_argument("--handle", required=True)
    admin.add_argument("--password", help="asked for when omitted (interactive only)")

    token = sub.add_parser("token", help="API access tokens for scripts")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_sub.add_parser("create", help="create a token and print it (shown once)")
    create.add_argument("--user", required=True, help="handle or e-mail of the member")
    create.add_argument("--scopes", default="read", help='e.g. "read write follow"')
    create.add_argument("--app", default="Command line", help="application name")
    _listen_arguments(sub)
    _nlp_arguments(sub)
    return parser


def _listen_arguments(sub: argparse._SubParsersAction) -> None:
    listen = sub.add_parser("listen", help="listening: import collected posts, poll sources")
    listen_sub = listen.add_subparsers(dest="listen_command", required=True, metavar="ACTION")
    imp = listen_sub.add_parser("import", help="import a file of posts (tweets.js, twarc2, "
                                "4CAT, CSV); importing it again adds nothing")
    imp.add_argument("file", type=Path, help="the file to import")
    imp.add_argument("--format", required=True, choices=["tweets-js", "twarc2", "4cat", "csv"])
    imp.add_argument("--organisation", required=True,
                     help="handle of the organisation whose listening receives the posts")
    imp.add_argument("--source", help="name of the import source (default: the file name)")
    imp.add_argument("--map", dest="mapping", default="",
                     help='CSV only: column mapping, e.g. "id=tweet_id,text=body,'
                     'published_at=date,author_handle=user"')
    imp.add_argument("--network", help="CSV only: network of the rows' ids (default: csv)")
    imp.add_argument("--topic-report", action="store_true",
                     help="print matches and sentiment shares per topic after the import")
    imp.add_argument("--errors", type=Path,
                     help="write the per-record error report to this file (default: stderr)")
    poll = listen_sub.add_parser("poll", help="poll the listening sources that are due")
    poll.add_argument("--once", action="store_true", help="one round, then exit")


def _nlp_arguments(sub: argparse._SubParsersAction) -> None:
    nlp = sub.add_parser("nlp", help="language and sentiment models")
    nlp_sub = nlp.add_subparsers(dest="nlp_command", required=True, metavar="ACTION")
    train = nlp_sub.add_parser("train-sentiment",
                               help="train the shipped sentiment model from labelled tweets")
    train.add_argument("--data", type=Path, help="folder with fr/ and en/ (train_text.txt, "
                       "train_labels.txt, val_text.txt, val_labels.txt)")
    train.add_argument("--out", type=Path, help="where to write the model (default: the "
                       "package's own model folder)")
    train.add_argument("--docs", type=Path, help="Markdown file whose metrics section is "
                       "rewritten with the validation figures (e.g. docs/nlp.md)")
    classify = nlp_sub.add_parser("classify", help="language and sentiment of JSONL records")
    classify.add_argument("--in", dest="input", type=Path, required=True,
                          help='JSONL file of {"id", "text"} records ("-" for stdin)')
    classify.add_argument("--out", dest="output", type=Path, required=True,
                          help='JSONL file of {"id", "lang", "sentiment", "score"} ("-": stdout)')


def run(options: argparse.Namespace) -> int:
    if options.command == "demo":
        return commands.demo(host=options.host, port=options.port, data=options.data,
                             scale=options.scale, with_worker=options.with_worker)
    if options.command == "serve":
        return commands.serve(host=options.host, port=options.port, workers=options.workers,
                              with_worker=options.with_worker)
    if options.command == "worker":
        return commands.worker(queues=options.queues, processes=options.processes)
    if options.command == "manage":
        return commands.manage(options.args)
    if options.command == "token":
        from voliere.oauth.cli import create_token_command

        return create_token_command(handle=options.user, scopes=options.scopes,
                                    app_name=options.app)
    if options.command == "listen":
        from voliere.listening.commands import listen_command

        return listen_command(options)
    if options.command == "nlp":
        from voliere.listening.pipeline.commands import nlp_command

        return nlp_command(options)
    return commands.createadmin(email=options.email, handle=options.handle,
                                password=options.password)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.command == "manage" and not options.args:
        parser.error("manage: name a Django management command, e.g. `voliere manage migrate`")
    try:
        return run(options)
    except CommandFailed as error:
        print(f"voliere {options.command}: error: {error.message}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
