"""Template context every page gets."""

from django.http import HttpRequest
from django.urls import reverse


def login_path(request: HttpRequest) -> dict:
    """`login_path`: the sign-in page's address, reversed once per page rather than once per
    row (each list row's bookmark control links to it for visitors)."""
    return {"login_path": reverse("login")}
