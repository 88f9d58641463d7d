"""Readers' accounts: sign-up and the profile page with the API token.

Log-in, log-out (POST only), password change and reset are Django's own views (see
resources/accounts_urls.py); their templates live in templates/registration/.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from rest_framework.authtoken.models import Token

from resources.models import Bookmark
from resources.reader_forms import SignUpForm
from resources.redirects import next_from, safe_next_url


def signup(request: HttpRequest) -> HttpResponse:
    """Create a reader account and log in. Anyone not logged in; readers go to their profile."""
    if request.user.is_authenticated:
        return redirect("profile")
    next_url = next_from(request, "")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your library is ready."))
            return redirect(next_url or reverse("resources:my-library"))
    else:
        form = SignUpForm()
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class SafeNextMixin:
    """Django's log-in and log-out keep a relative `next` such as "logout"; ours keep only a
    path on this site (resources/redirects.py)."""

    def get_redirect_url(self) -> str:
        return safe_next_url(self.request, super().get_redirect_url(), "")


class LoginForm(AuthenticationForm):
    """Django's log-in form, with its username's length enforced: Django only sets it on the
    widget, and a longer name reached the login-attempt log (a DataError on PostgreSQL)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginView(SafeNextMixin, auth_views.LoginView):
    """Django's log-in page. Anyone."""

    authentication_form = LoginForm


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    """Django's log-out (POST). Anyone."""


@require_safe
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The reader's account: e-mail, shelf summary and API token. The reader only."""
    return render(
        request,
        "accounts/profile.html",
        {
            "token": Token.objects.filter(user=request.user).first(),
            "bookmark_total": Bookmark.objects.of(request.user).count(),
            "note_total": request.user.annotations.count(),
        },
    )


@require_POST
@login_required
@transaction.atomic
def regenerate_token(request: HttpRequest) -> HttpResponse:
    """Create the reader's API token, or replace it (the old one stops working). The reader."""
    had_token = Token.objects.filter(user=request.user).delete()[0] > 0
    Token.objects.create(user=request.user)
    messages.success(
        request,
        _("A new API token was made; the old one no longer works.")
        if had_token
        else _("Your API token was made."),
    )
    return redirect("profile")
