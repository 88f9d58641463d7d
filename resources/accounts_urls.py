"""URLs under /accounts/: Django's auth views, sign-up and the profile page."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from resources.views import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/token/", accounts.regenerate_token, name="profile-token"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    # The admin renders registration/password_change_*.html for its own password page, so the
    # site's versions have other names rather than overriding the admin's.
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("", include("django.contrib.auth.urls")),
]
