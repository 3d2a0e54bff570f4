"""The ask-an-expert form: the knowledge app's question form, plus the subject the experts
are chosen on, how many to ask, and a key that makes a double submission harmless. Rules
live in the actions; their InvalidInput messages are attached to the field at fault."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from voliere.expertise.actions import MAX_EXPERTS
from voliere.knowledge.forms import QuestionForm


class AskExpertsForm(QuestionForm):
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
    experts = forms.CharField(
        label=_lazy("Number of experts to ask"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_EXPERTS}),
    )
    request_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
