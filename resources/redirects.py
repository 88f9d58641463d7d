"""Where a form may send the reader back to: the `next` it carried, if that is safe.

`next` is user input. Django's `redirect()` reverses a string without "/" or "." as a URL
name (`next=abc` → NoReverseMatch, a 500; `next=logout` → the logout page), so a `next` is
used only when it is a path on this site: no scheme, no other host, and starting with a
single "/". Everything else gets the view's default.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_local_path(candidate: str) -> bool:
    """True for "/library/?page=2"; False for "abc", "//evil.example", "/\\evil", "http://…"."""
    return (
        candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None)
    )


def safe_next_url(request: HttpRequest, candidate: str | None, default: str) -> str:
    """`candidate` if it is a safe local path, else `default` (a path or a URL the view built,
    never user input). Pass the result to `redirect()` or `HttpResponseRedirect` as it is."""
    if candidate and is_safe_local_path(candidate):
        return candidate
    return default


def next_from(request: HttpRequest, default: str) -> str:
    """The `next` of the form (POST) or of the address (GET), made safe; else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    return safe_next_url(request, candidate, default)
