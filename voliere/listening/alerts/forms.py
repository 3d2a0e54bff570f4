"""The alert channel form: an e-mail address or a webhook URL, checked before it is saved."""

from __future__ import annotations

import secrets

import httpx
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voliere.accounts.models import Account
from voliere.listening.models import AlertChannel
from voliere.listening.sources.fetch import FetchFailed, FetchRefused, vet_url

MAX_CHANNELS = 20


class AlertChannelForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AlertChannel.Kind.choices)
    target = forms.CharField(
        label=gettext_lazy("E-mail address or webhook URL"), max_length=500,
        help_text=gettext_lazy("Webhooks receive a signed JSON POST (see the documentation)."),
    )

    def __init__(self, *args: object, organisation: Account, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self) -> dict:
        data = super().clean()
        kind, target = data.get("kind"), (data.get("target") or "").strip()
        if not kind or not target:
            return data
        if kind == AlertChannel.Kind.EMAIL:
            try:
                EmailValidator()(target)
            except ValidationError:
                self.add_error("target", _("Enter a valid e-mail address."))
        else:
            try:
                URLValidator(schemes=["http", "https"])(target)
                vet_url(httpx.URL(target))  # refuses private addresses now, not at the alert
            except (ValidationError, httpx.InvalidURL):
                self.add_error("target", _("Enter a valid http or https URL."))
            except (FetchRefused, FetchFailed) as error:
                self.add_error("target", error.message)
        channels = AlertChannel.objects.filter(organisation=self.organisation)
        if channels.filter(kind=kind, target=target).exists():
            self.add_error("target", _("This channel exists already."))
        elif channels.count() >= MAX_CHANNELS:
            self.add_error(None, _("At most %(count)d channels.") % {"count": MAX_CHANNELS})
        data["target"] = target
        return data

    def save(self) -> AlertChannel:
        kind = self.cleaned_data["kind"]
        return AlertChannel.objects.create(
            organisation=self.organisation, kind=kind, target=self.cleaned_data["target"],
            secret=secrets.token_urlsafe(32) if kind == AlertChannel.Kind.WEBHOOK else "",
        )
