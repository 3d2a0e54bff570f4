"""Where attachment files live: the `attachments` storage of `STORAGES` (a directory
under `VOLIERE_DATA` by default, an S3-compatible bucket with `VOLIERE_MEDIA_STORAGE=s3`).

Names are random (`<yyyy>/<mm>/<32 hex>.<ext>`), never derived from the uploaded name,
so they can neither collide nor be guessed, and they carry the extension of the *sniffed*
type. `StoredFiles` deletes what it wrote when the surrounding block fails, so a refused
or rolled-back upload leaves nothing behind; `sweep_orphan_files` removes files that a
crash between writing and committing left without a row.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.utils import timezone

logger = logging.getLogger(__name__)


def attachment_storage() -> Storage:
    """The configured storage, looked up each time (tests and settings may change it)."""
    return storages["attachments"]


def new_name(extension: str) -> str:
    now = timezone.now()
    return f"{now:%Y}/{now:%m}/{secrets.token_hex(16)}.{extension}"


class StoredFiles:
    """Writes files and, used as a context manager, deletes them all if the block raises.

    Callers write inside the same `transaction.atomic` block as the rows naming the files:
    if the rows are rolled back by an exception passing through, the files go too.
    """

    def __init__(self) -> None:
        self.names: list[str] = []

    def save(self, content: File | bytes, extension: str) -> str:
        if isinstance(content, bytes):
            content = ContentFile(content)
        content.seek(0)
        name = attachment_storage().save(new_name(extension), content)
        self.names.append(name)
        return name

    def __enter__(self) -> StoredFiles:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            delete_files(self.names)


def delete_files(names: Iterable[str]) -> None:
    """Delete stored files, ignoring the ones already gone (safe to run twice)."""
    storage = attachment_storage()
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete attachment file %s", name, exc_info=True)


def _walk(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def sweep_orphan_files(
    known: Callable[[list[str]], set[str]], *, older_than: timedelta, batch: int = 500
) -> list[str]:
    """Delete stored files older than `older_than` that no row names; `known(names)` says
    which of a batch of names rows still use. Returns the deleted names. Young files are
    left alone: their row may not be committed yet."""
    storage = attachment_storage()
    limit = timezone.now() - older_than
    removed: list[str] = []

    def flush(names: list[str]) -> None:
        used = known(names)
        for name in names:
            if name in used:
                continue
            try:
                modified: datetime = storage.get_modified_time(name)
            except (OSError, NotImplementedError):
                continue
            if modified < limit:
                delete_files([name])
                removed.append(name)

    pending: list[str] = []
    for name in _walk(storage):
        pending.append(name)
        if len(pending) >= batch:
            flush(pending)
            pending = []
    if pending:
        flush(pending)
    return removed
