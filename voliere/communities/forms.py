"""Forms for communities. They only shape and display input: the rules (empty name, taken
address, who may do what) live in `voliere.communities.actions`, whose InvalidInput
messages are attached back to the field at fault with `attach_error`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from voliere.communities.models import Kind, Role
from voliere.communities.models.community import (
    DESCRIPTION_MAX,
    NAME_MAX,
    RULES_MAX,
    SLUG_MAX,
)
from voliere.posts.forms import attach_error

__all__ = ["BanForm", "CommunityForm", "EditCommunityForm", "HandleForm", "attach_error"]


def _text(label: str, limit: int, *, rows: int = 0, help_text: str = "") -> forms.CharField:
    """Not `required` and no `max_length` of its own: the action's message applies, the
    same on every surface. The browser limit leaves room to show the error."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs["maxlength"] = limit + 100
    return forms.CharField(
        label=label, required=False, strip=False, widget=widget, help_text=help_text
    )


class EditCommunityForm(forms.Form):
    name = _text(_("Name"), NAME_MAX)
    description = _text(_("About"), DESCRIPTION_MAX, rows=4)
    rules = _text(_("Rules"), RULES_MAX, rows=6, help_text=_("One rule per line."))
    # A plain field with a select widget, so an unknown value reaches the action's check.
    kind = forms.CharField(
        label=_("Who can join"),
        required=False,
        initial=Kind.OPEN,
        widget=forms.Select(choices=Kind.choices),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "community-%s"


class CommunityForm(EditCommunityForm):
    slug = _text(
        _("Address"),
        SLUG_MAX,
        help_text=_("Lower-case letters, digits and dashes; made from the name if empty."),
    )
    field_order = ["name", "slug", "description", "rules", "kind"]


class HandleForm(forms.Form):
    """Someone to invite or ban, by handle."""

    handle = forms.CharField(label=_("Handle"), max_length=31, required=False)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


def role_choices() -> list[tuple[str, str]]:
    return list(Role.choices)
