"""The source form: common settings plus the fields of the chosen kind's connector.

The form only shapes input; what is valid is decided by the connector's `validate_config`
(called by the actions), whose `InvalidInput.field` puts each error next to its field.
Credentials are write-only: never rendered back (only masked in the help text), and a
blank credential on edit keeps the stored one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from voliere.listening.models import Source, SourceKind
from voliere.listening.sources.actions import MAX_POLL_INTERVAL, MIN_POLL_INTERVAL, masked
from voliere.listening.sources.mastodon import TIMELINES


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: Promise
    help_text: Promise | str = ""
    choices: tuple[tuple[str, Promise], ...] = ()
    credential: bool = False


KIND_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    SourceKind.RSS: (
        FieldSpec("url", _("Feed address"), _("The RSS or Atom feed's URL.")),
    ),
    SourceKind.MASTODON: (
        FieldSpec("instance", _("Instance address"), _("For example https://mastodon.social")),
        FieldSpec("timeline", pgettext_lazy("Mastodon timeline to read", "Timeline"),
                  choices=tuple(zip(TIMELINES, (
            _("Federated (public)"), _("Local"), _("Hashtag"), _("Search")), strict=True))),
        FieldSpec("hashtag", _("Hashtag"), _("For the hashtag timeline, without #.")),
        FieldSpec("query", _("Search query"), _("For the search timeline.")),
        FieldSpec("access_token", _("Access token"),
                  _("Optional. Needed by some instances to read, and to reply (write:statuses)."),
                  credential=True),
    ),
    SourceKind.BLUESKY: (
        FieldSpec("query", _("Search query"), _("Words, phrases and #hashtags, as on Bluesky.")),
        FieldSpec("lang", _("Language"), _("Optional two-letter code, e.g. fr.")),
        FieldSpec("base_url", _("AppView address"),
                  _("Leave blank for the public AppView (https://public.api.bsky.app).")),
    ),
    SourceKind.X: (
        FieldSpec("query", _("Search query"), _("X API v2 recent search syntax.")),
        FieldSpec("base_url", _("API address"), _("Leave blank for https://api.x.com.")),
        FieldSpec("bearer_token", _("Bearer token"), _("The app's bearer token."),
                  credential=True),
        FieldSpec("user_token", _("User-context token"),
                  _("Optional: lets the inbox reply from the official account."),
                  credential=True),
    ),
}


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    poll_interval = forms.IntegerField(
        label=_("Poll every (seconds)"), min_value=MIN_POLL_INTERVAL,
        max_value=MAX_POLL_INTERVAL, initial=300)

    def __init__(self, *args: Any, kind: str, source: Source | None = None,
                 **kwargs: Any) -> None:
        if source is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": source.name, "poll_interval": source.poll_interval,
                                 **{k: v for k, v in source.config.items()
                                    if isinstance(v, str)}}
        super().__init__(*args, **kwargs)
        self.kind = kind
        stored = source.credentials if source is not None else {}
        for spec in KIND_FIELDS[kind]:
            self.fields[spec.name] = _field(spec, stored.get(spec.name, ""), editing=bool(source))

    def config(self) -> dict[str, Any]:
        return {s.name: self.cleaned_data.get(s.name, "") for s in KIND_FIELDS[self.kind]
                if not s.credential}

    def credentials(self) -> dict[str, Any]:
        return {s.name: self.cleaned_data.get(s.name, "") for s in KIND_FIELDS[self.kind]
                if s.credential}


def _field(spec: FieldSpec, stored: str, *, editing: bool) -> forms.Field:
    if spec.choices:
        return forms.ChoiceField(label=spec.label, choices=spec.choices, required=False,
                                 help_text=spec.help_text)
    if spec.credential:
        help_text = spec.help_text
        if stored:
            help_text = _("Stored: %(masked)s. Leave blank to keep it.") % {
                "masked": masked(stored)}
        return forms.CharField(label=spec.label, required=False, max_length=2000,
                               help_text=help_text,
                               widget=forms.PasswordInput(render_value=False,
                                                          attrs={"autocomplete": "off"}))
    return forms.CharField(label=spec.label, required=False, max_length=500,
                           help_text=spec.help_text)
