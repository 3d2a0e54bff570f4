"""The storage and limits come from the environment, read when settings load."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "storage": settings.STORAGES["attachments"],
    "image": settings.MEDIA_IMAGE_MAX_BYTES,
    "pixels": settings.MEDIA_IMAGE_MAX_PIXELS,
    "handlers": settings.FILE_UPLOAD_HANDLERS[0],
}, default=str))
"""


def load_settings(tmp_path, **env: str) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "voliere.config.settings.base",
        "VOLIERE_DATA": str(tmp_path),
        **env,
    }
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=environment, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def test_local_storage_by_default_outside_the_public_media_root(tmp_path):
    loaded = load_settings(tmp_path)
    assert loaded["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["storage"]["OPTIONS"]["location"] == str(tmp_path / "attachments")
    assert loaded["image"] == 16 * 1024 * 1024
    assert loaded["handlers"] == "voliere.media.uploads.SizeLimitUploadHandler"


def test_s3_storage_from_the_environment(tmp_path):
    loaded = load_settings(
        tmp_path,
        VOLIERE_MEDIA_STORAGE="s3",
        VOLIERE_S3_BUCKET="voliere-media",
        VOLIERE_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        VOLIERE_MEDIA_IMAGE_MAX_MB="4",
        VOLIERE_MEDIA_IMAGE_MAX_PIXELS="1000000",
    )
    storage = loaded["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "voliere-media"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert (loaded["image"], loaded["pixels"]) == (4 * 1024 * 1024, 1_000_000)


def test_a_wrong_value_names_the_variable(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "voliere.config.settings.base",
        "VOLIERE_DATA": str(tmp_path),
        "VOLIERE_MEDIA_STORAGE": "ftp",
    }
    failed = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=environment, capture_output=True, text=True
    )
    assert failed.returncode != 0 and "VOLIERE_MEDIA_STORAGE" in failed.stderr
