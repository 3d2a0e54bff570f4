"""Forms for writing posts. They only shape and display input: the rules (empty, too long,
allowed visibility, who may reply or quote) live in `voliere.posts.actions`, whose
InvalidInput messages are attached back to the field at fault with `attach_error`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from voliere.core.exceptions import VoliereError
from voliere.media.forms import MediaUploadsMixin
from voliere.posts.models import Visibility


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("Not specified")), *settings.LANGUAGES]


class PostForm(MediaUploadsMixin, forms.Form):
    # Not `required`: an empty post gets the action's own message, like every other surface.
    text = forms.CharField(
        label=_("What's new?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A plain field with a select widget, so an unknown value reaches the action's check.
    visibility = forms.CharField(
        label=_("Visibility"),
        required=False,
        initial=Visibility.PUBLIC,
        widget=forms.Select(choices=Visibility.choices),
    )
    spoiler_text = forms.CharField(label=_("Content warning"), required=False)
    language = forms.CharField(
        label=_("Language"), required=False, widget=forms.Select(choices=_language_choices)
    )
    in_reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quote_of = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: object, prefix_id: str = "compose", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Unique ids when several forms share a page (a thread has one reply box).
        self.auto_id = f"{prefix_id}-%s"
        self.counter_id = f"{prefix_id}-counter"
        self.fields["text"].widget.attrs.update(
            {"data-char-limit": settings.POST_MAX_CHARS, "data-counter": self.counter_id}
        )


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    spoiler_text = forms.CharField(label=_("Content warning"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "edit-%s"
        self.counter_id = "edit-counter"
        self.fields["text"].widget.attrs.update(
            {"data-char-limit": settings.POST_MAX_CHARS, "data-counter": self.counter_id}
        )


def attach_error(form: forms.Form, error: VoliereError) -> None:
    """Show a domain error next to the field it names (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
