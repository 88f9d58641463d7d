"""URLs under /accounts/: Django's auth views, sign-up and the profile page."""

from django.urls import include, path

from resources import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/token/", accounts.regenerate_token, name="profile-token"),
    path("", include("django.contrib.auth.urls")),
]
