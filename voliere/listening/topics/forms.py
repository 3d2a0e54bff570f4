"""The topic form: shapes the input; the rules (unique name, valid query) are the actions'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from voliere.listening.models import TopicKind
from voliere.listening.query import MAX_LENGTH
from voliere.listening.topics.actions import MAX_NAME


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME)
    kind = forms.ChoiceField(label=_("Kind"), choices=TopicKind.choices,
                             help_text=_("Competitors are the other side of share of voice."))
    query = forms.CharField(
        label=_("Query"), max_length=MAX_LENGTH, strip=False,  # error positions as typed
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_('Words, "exact phrases", #hashtags, @handles, AND, OR, NOT or -word, '
                    "(parentheses), lang:fr, from:handle, source:x|bluesky|mastodon|rss|"
                    "internal|csv. Case and accents are ignored; word* matches a prefix."),
    )
