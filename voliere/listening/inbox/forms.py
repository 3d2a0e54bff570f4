"""The inbox's two forms: a reply, and the colleague to assign. Rules live in the actions;
their InvalidInput messages are attached to the field at fault (`attach_error`)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _lazy

from voliere.accounts.models import Account, User


class ReplyForm(forms.Form):
    """The length limit is the network's post limit; the action checks it again with the
    "@author " it prepends counted."""

    text = forms.CharField(label=_lazy("Reply as the organisation"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"] = forms.CharField(
            label=_lazy("Reply as the organisation"), max_length=settings.POST_MAX_CHARS,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": _lazy("Write the reply first.")},
        )


class AssignForm(forms.Form):
    """`assignee`: a manager's user id, or "" for nobody."""

    assignee = forms.TypedChoiceField(label=_lazy("Assign to"), required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args: object, managers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.managers = {user.pk: user for user in managers}
        self.fields["assignee"].choices = [("", _lazy("Nobody"))] + [
            (user.pk, f"{user.account.name} (@{user.account.handle})") for user in managers
        ]

    def chosen(self) -> User | None:
        return self.managers.get(self.cleaned_data.get("assignee"))


def managers_of(organisation: Account) -> list[User]:
    """The people who may be assigned an item: the organisation's managers, by name."""
    return list(
        User.objects.filter(organisation_roles__organisation=organisation)
        .select_related("account").order_by("account__handle_lower")
    )
