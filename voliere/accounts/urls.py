from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from voliere.accounts.views import auth, directory, graph, settings

urlpatterns = [
    path("signup/", auth.signup, name="signup"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/password/", auth.password_change, name="password_change"),
    path(
        "password/reset/",
        auth.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/profile/", settings.settings_profile, name="settings_profile"),
    path(
        "settings/relationships/", settings.settings_relationships, name="settings_relationships"
    ),
    path("settings/language/", auth.set_language, name="set_language"),
    path("settings/accounts/", settings.settings_accounts, name="settings_accounts"),
    path("settings/act-as/", settings.act_as_view, name="act_as"),
    path("people/", directory.directory, name="directory"),
    path("@<str:handle>/followers/", graph.followers, name="followers"),
    path("@<str:handle>/following/", graph.following, name="following"),
    *[
        path(f"@<str:handle>/{name}/", graph.relationship_view(name), name=name)
        for name in graph.RELATIONSHIP_ACTIONS
    ],
    path("@<str:handle>/skills/<int:skill_id>/endorse/", graph.endorse, name="endorse"),
    path("@<str:handle>/skills/<int:skill_id>/unendorse/", graph.unendorse, name="unendorse"),
]
