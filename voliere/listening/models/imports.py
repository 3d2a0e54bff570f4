"""One run of `voliere listen import`: progress kept so a crashed import can resume."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """`file_sha256` + `format` identify the file; `records_done` is how many records were
    committed, so a resumed run skips them (dedup keys make a re-read harmless anyway)."""

    source = models.ForeignKey("listening.Source", on_delete=models.CASCADE,
                               related_name="imports")
    path = models.CharField(max_length=1000)
    file_sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=16)
    records_done = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    duplicate = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
