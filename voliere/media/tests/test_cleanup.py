"""Uploads never attached are deleted after a day, files and rows; files without a row
(a crash between writing and committing) too. Attached media stays."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from voliere.media.actions import CLEAN_UP_KEY, upload_media
from voliere.media.models import MediaAttachment
from voliere.media.tasks import clean_unattached_media_task
from voliere.media.tests import files
from voliere.media.tests.conftest import stored_files
from voliere.posts.actions import publish_post


def age(media: MediaAttachment, root, *, hours: int) -> None:
    """Make the row and its files `hours` old."""
    when = timezone.now() - timedelta(hours=hours)
    MediaAttachment.objects.filter(pk=media.pk).update(created_at=when)
    for name in (media.file_name, media.thumbnail_name):
        if name:
            os.utime(root / name, (when.timestamp(), when.timestamp()))


def test_task_deletes_stale_unattached_uploads_only(alice, attachments_dir, run_on_commit):
    stale = upload_media(alice.account, files.upload("old.png", files.image_bytes()))
    fresh = upload_media(alice.account, files.upload("new.png", files.image_bytes()))
    used = upload_media(alice.account, files.upload("used.pdf", files.pdf()))
    publish_post(alice.account, "kept", media_ids=[used.id])
    age(stale, attachments_dir, hours=25)
    age(fresh, attachments_dir, hours=23)
    age(used, attachments_dir, hours=48)
    orphan_old = attachments_dir / "2020" / "01" / "orphan.png"
    orphan_old.parent.mkdir(parents=True)
    orphan_old.write_bytes(b"left by a crash")
    os.utime(orphan_old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    orphan_young = attachments_dir / "2020" / "01" / "young.png"
    orphan_young.write_bytes(b"its row may not be committed yet")

    with run_on_commit():
        result = clean_unattached_media_task.enqueue()
    assert result.return_value == 1

    assert set(MediaAttachment.objects.values_list("id", flat=True)) == {fresh.id, used.id}
    left = stored_files(attachments_dir)
    assert stale.file_name not in left and stale.thumbnail_name not in left
    assert fresh.file_name in left and used.file_name in left
    assert "2020/01/orphan.png" not in left and "2020/01/young.png" in left

    # Running it again changes nothing.
    with run_on_commit():
        assert clean_unattached_media_task.enqueue().return_value == 0
    assert stored_files(attachments_dir) == left


def test_uploads_schedule_the_clean_up_at_most_hourly(alice, attachments_dir, run_on_commit):
    from django.core.cache import cache

    cache.delete(CLEAN_UP_KEY)
    stale = upload_media(alice.account, files.upload("old.png", files.image_bytes()))
    age(stale, attachments_dir, hours=30)
    with run_on_commit():  # this upload's commit enqueues the task (run at once in tests)
        upload_media(alice.account, files.upload("new.png", files.image_bytes()))
    assert not MediaAttachment.objects.filter(pk=stale.pk).exists()
    assert cache.get(CLEAN_UP_KEY) is True
    again = upload_media(alice.account, files.upload("x.png", files.image_bytes()))
    age(again, attachments_dir, hours=30)
    with run_on_commit():  # within the hour: not enqueued again
        upload_media(alice.account, files.upload("y.png", files.image_bytes()))
    assert MediaAttachment.objects.filter(pk=again.pk).exists()


def test_management_command(alice, attachments_dir, capsys):
    stale = upload_media(alice.account, files.upload("old.png", files.image_bytes()))
    age(stale, attachments_dir, hours=25)
    call_command("clean_media")
    assert "deleted 1 unattached uploads" in capsys.readouterr().out
    assert stored_files(attachments_dir) == []
