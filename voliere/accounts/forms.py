"""Forms for the accounts pages. They check shape only; the actions enforce the rules
(handles, duplicates, sign-up policy, password strength) and their InvalidInput errors are
attached to the field they name with `add_action_error`."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from voliere.accounts.actions import ProfileLink
from voliere.accounts.models import Account
from voliere.core.exceptions import VoliereError

MAX_LINKS = 5


def add_action_error(
    form: forms.Form, error: VoliereError, aliases: dict[str, str] | None = None
) -> None:
    """Show an action's error next to the field it names (or above the form)."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


class Form(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignupForm(Form):
    handle = forms.CharField(
        label=_("Handle"),
        max_length=31,
        help_text=_("Letters, digits and underscores; up to 30 characters."),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password_again = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput
    )
    invite_code = forms.CharField(label=_("Invitation code"), max_length=32, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if settings.SIGNUP_MODE != "invite":
            del self.fields["invite_code"]
        self.fields["handle"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        for name in ("password", "password_again"):
            self.fields[name].widget.attrs.update(autocomplete="new-password")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class LoginForm(Form):
    identifier = forms.CharField(label=_("E-mail address or handle"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identifier"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class ProfileForm(Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    bio = forms.CharField(label=_("Bio"), max_length=1000, required=False, widget=forms.Textarea)
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=100,
        required=False,
        help_text=_("Comma-separated, e.g. fr, en"),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=3000,
        required=False,
        help_text=_("Comma-separated, e.g. Python, public speaking"),
    )
    avatar = forms.FileField(label=_("Avatar"), required=False)
    header = forms.FileField(label=_("Header image"), required=False)

    TEXT_FIELDS = ("display_name", "bio", "job_title", "department", "location", "languages")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for index in range(MAX_LINKS):
            self.fields[f"link_label_{index}"] = forms.CharField(
                label=_("Link %(n)s label") % {"n": index + 1}, max_length=40, required=False
            )
            self.fields[f"link_url_{index}"] = forms.URLField(
                label=_("Link %(n)s address") % {"n": index + 1},
                max_length=500,
                required=False,
                assume_scheme="https",
            )
        for name in ("avatar", "header"):
            self.fields[name].widget.attrs["accept"] = "image/png,image/jpeg,image/gif,image/webp"

    @classmethod
    def initial_for(cls, account: Account, skill_names: list[str]) -> dict[str, str]:
        initial = {name: getattr(account, name) for name in cls.TEXT_FIELDS}
        initial["skills"] = ", ".join(skill_names)
        for index, link in enumerate(account.links[:MAX_LINKS]):
            initial[f"link_label_{index}"] = link.get("label", "")
            initial[f"link_url_{index}"] = link.get("url", "")
        return initial

    def clean(self) -> dict:
        data = super().clean()
        for index in range(MAX_LINKS):
            if data.get(f"link_label_{index}") and not data.get(f"link_url_{index}"):
                self.add_error(f"link_url_{index}", _("A link needs an address."))
        return data

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.TEXT_FIELDS]

    def link_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"link_label_{i}"], self[f"link_url_{i}"]) for i in range(MAX_LINKS)]

    def profile_links(self) -> list[ProfileLink]:
        return [
            ProfileLink(label=self.cleaned_data[f"link_label_{i}"], url=url)
            for i in range(MAX_LINKS)
            if (url := self.cleaned_data.get(f"link_url_{i}"))
        ]

    def skill_names(self) -> list[str]:
        return [name for name in self.cleaned_data["skills"].split(",") if name.strip()]


class DirectorySearchForm(Form):
    q = forms.CharField(label=_("Search people"), max_length=100, required=False)
    organisation = forms.CharField(max_length=31, required=False, widget=forms.HiddenInput)
