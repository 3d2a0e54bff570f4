"""The Development settings form: a new application and its scopes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from voliere.oauth import scopes as scope_rules
from voliere.oauth.models.application import OOB_REDIRECT_URI


def scope_choices(*, staff: bool) -> list[tuple[str, str]]:
    """Top-level scopes first, then the granular ones, admin scopes for moderators only."""
    ordered = [*scope_rules.TOP_LEVEL, *sorted(scope_rules.ALL_SCOPES - set(scope_rules.TOP_LEVEL))]
    return [(s, s) for s in ordered if staff or not s.startswith(scope_rules.ADMIN_PREFIX)]


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Application name"), max_length=100)
    website = forms.URLField(label=_("Website"), required=False, max_length=500,
                             assume_scheme="https")
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"), widget=forms.Textarea(attrs={"rows": 2}),
        initial=OOB_REDIRECT_URI,
        help_text=_("One per line. Use urn:ietf:wg:oauth:2.0:oob for local tests and scripts."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), widget=forms.CheckboxSelectMultiple,
        initial=["read", "write", "follow"],
    )

    def __init__(self, *args: object, staff: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices(staff=staff)


class TokenForm(forms.Form):
    scopes = forms.MultipleChoiceField(label=_("Scopes"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, allowed: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s, s) for s in allowed]
        self.fields["scopes"].initial = allowed
