"""A reusable set of upload slots for any form (posts, articles, forum threads).

`MediaUploadsMixin` adds `MEDIA_SLOTS` optional slots to a form, each a file input
(`media_<n>`) and its alt text (`media_<n>_description`); the template
`media/_upload_fields.html` draws them (plain multipart form, no JavaScript needed).
The form only shapes input: `prepared_media(request)` runs the real checks of
`voliere.media.validation` and raises InvalidInput naming the slot at fault.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from voliere.media.attach import MAX_ATTACHMENTS, check_composition
from voliere.media.uploads import oversized_fields
from voliere.media.validation import PreparedMedia, prepare_media, too_large_message

MEDIA_SLOTS = MAX_ATTACHMENTS
# What the file picker proposes; the server decides from the bytes, not from this list.
ACCEPT = ",".join(
    [
        "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm",
        ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".stl", ".glb", ".obj",
    ]
)  # fmt: skip


class MediaUploadsMixin:
    """Mix into a `forms.Form` built with `(request.POST, request.FILES)`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(1, MEDIA_SLOTS + 1):
            self.fields[f"media_{slot}"] = forms.FileField(
                label=_("Attachment %(number)s") % {"number": slot},
                required=False,
                # Emptiness is checked by prepare_media, with a message naming the file.
                allow_empty_file=True,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
            self.fields[f"media_{slot}_description"] = forms.CharField(
                label=_("Description (alt text)"),
                required=False,
                strip=True,
                widget=forms.TextInput(attrs={"maxlength": settings.MEDIA_DESCRIPTION_MAX_CHARS}),
            )

    def media_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """`(file, description)` bound fields, for the template."""
        return [
            (self[f"media_{slot}"], self[f"media_{slot}_description"])
            for slot in range(1, MEDIA_SLOTS + 1)
        ]

    def prepared_media(self, request: HttpRequest) -> list[PreparedMedia]:
        """Every file sent, validated and processed (nothing stored), in slot order.

        Call after `is_valid()`. A file dropped while streaming because it was too big
        is reported here too, rather than silently ignored.
        """
        dropped = oversized_fields(request)
        prepared: list[PreparedMedia] = []
        for slot in range(1, MEDIA_SLOTS + 1):
            field = f"media_{slot}"
            if field in dropped:
                raise too_large_message(dropped[field], field=field)
            upload = self.cleaned_data.get(field)
            if not upload:
                continue
            prepared.append(
                prepare_media(
                    upload,
                    description=self.cleaned_data.get(f"{field}_description", ""),
                    field=field,
                )
            )
            check_composition([p.kind for p in prepared], field=field)
        return prepared
