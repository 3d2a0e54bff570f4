"""Django admin for accounts, users and invitations, for users with role=admin only.

Every change goes through `voliere.accounts.actions`: the forms here only collect input.
Accounts and users are never deleted from the admin (suspend or deactivate instead), and
password hashes are never shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from voliere.accounts import actions as account_actions
from voliere.accounts.models import Account, AccountKind, Invite, User
from voliere.core.exceptions import InvalidInput


class AdminRoleOnly:
    """Access follows the Volière role (`is_staff` ⇔ role=admin), not Django permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(AdminRoleOnly, admin.ModelAdmin):
    list_display = (
        "handle",
        "display_name",
        "kind",
        "organisation",
        "employment_verified",
        "is_suspended",
        "followers_count",
        "created_at",
    )
    list_filter = ("kind", "employment_verified", "is_suspended")
    search_fields = ("handle", "display_name")
    ordering = ("-id",)
    list_select_related = ("organisation",)
    fields = (
        "handle",
        "kind",
        *account_actions.PROFILE_FIELDS,
        "organisation",
        "employment_verified",
        "is_suspended",
        "created_at",
        "posts_count",
        "followers_count",
        "following_count",
    )
    readonly_fields = tuple(f for f in fields if f not in account_actions.PROFILE_FIELDS)
    actions = ("verify_employment", "suspend", "unsuspend")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are created by sign-up, the CLI or the user admin

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        account_actions.update_profile(obj, **changed)

    @admin.action(description=_("Verify employment at their organisation"))
    def verify_employment(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        default = account_actions.instance_organisation()
        done = 0
        for account in queryset.filter(kind=AccountKind.PERSON).select_related("organisation"):
            employer = account.organisation or default
            if employer is None:
                continue
            account_actions.set_employer(account, employer, verified=True)
            done += 1
        self.message_user(
            request,
            ngettext("%(n)d person verified.", "%(n)d people verified.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Suspend"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        for account in queryset:
            account_actions.suspend_account(account)
        self.message_user(request, gettext("Accounts suspended."), messages.SUCCESS)

    @admin.action(description=_("Lift suspension"))
    def unsuspend(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        for account in queryset:
            account_actions.unsuspend_account(account)
        self.message_user(request, gettext("Suspensions lifted."), messages.SUCCESS)


class UserAddForm(forms.ModelForm):
    """Creates the user and its person account with `register_person` during validation,
    inside the admin's transaction, so its errors show on the form."""

    handle = forms.CharField(label=_("Handle"), max_length=31)
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ("email", "role")

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            with transaction.atomic():
                user = account_actions.register_person(
                    handle=data["handle"],
                    email=data["email"],
                    password=data["password"],
                    display_name=data.get("display_name", ""),
                    role=data["role"],
                    enforce_signup_policy=False,
                )
                account_actions.set_role(user, data["role"])
        except InvalidInput as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        else:
            self.created_user = user
        return data

    def _post_clean(self) -> None:
        # Skip the model's uniqueness checks: the user already exists by now.
        pass


@admin.register(User)
class UserAdmin(AdminRoleOnly, admin.ModelAdmin):
    list_display = ("email", "account", "role", "is_active", "date_joined", "last_seen_at")
    list_filter = ("role", "is_active")
    search_fields = ("email", "account__handle")
    list_select_related = ("account",)
    ordering = ("-id",)
    fields = (
        "email",
        "account",
        "role",
        "language",
        "is_active",
        "date_joined",
        "last_login",
        "last_seen_at",
    )
    readonly_fields = ("email", "account", "date_joined", "last_login", "last_seen_at")

    def get_form(self, request: HttpRequest, obj: User | None = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        if obj is None:
            return ("handle", "display_name", "email", "password", "role")
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            created = form.created_user
            obj.pk, obj.account_id = created.pk, created.account_id
            return
        current = User.objects.get(pk=obj.pk)
        if "role" in form.changed_data:
            account_actions.set_role(current, form.cleaned_data["role"])
        if "is_active" in form.changed_data:
            account_actions.set_user_active(current, form.cleaned_data["is_active"])
        if "language" in form.changed_data and form.cleaned_data["language"]:
            account_actions.set_language(current, form.cleaned_data["language"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # no relations are edited here


@admin.register(Invite)
class InviteAdmin(AdminRoleOnly, admin.ModelAdmin):
    list_display = ("code", "uses", "max_uses", "expires_at", "created_by", "created_at")
    ordering = ("-id",)
    list_select_related = ("created_by",)
    actions = ("expire",)

    def get_fields(self, request: HttpRequest, obj: Invite | None = None) -> Any:
        if obj is None:
            return ("max_uses", "expires_at")
        return ("code", "uses", "max_uses", "expires_at", "created_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Invite | None = None) -> Any:
        return self.get_fields(request, obj) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Invite, form: Any, change: bool) -> None:
        if change:
            return
        invite = account_actions.create_invite(
            created_by=request.user,
            max_uses=form.cleaned_data["max_uses"],
            expires_at=form.cleaned_data["expires_at"],
        )
        obj.pk, obj.code = invite.pk, invite.code

    @admin.action(description=_("Expire now"))
    def expire(self, request: HttpRequest, queryset: QuerySet[Invite]) -> None:
        for invite in queryset:
            account_actions.expire_invite(invite)
        self.message_user(request, gettext("Invitations expired."), messages.SUCCESS)
