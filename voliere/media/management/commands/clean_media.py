"""`voliere manage clean_media`: delete uploads left unattached for a day, now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from voliere.media.actions import clean_unattached_media


class Command(BaseCommand):
    help = "Delete media uploads never attached within a day, and files without a row."

    def handle(self, *args: object, **options: object) -> None:
        count = clean_unattached_media()
        self.stdout.write(f"deleted {count} unattached uploads")
