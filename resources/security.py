"""Login throttling: whose attempts count together (`client_address`) and what a locked-out
visitor sees (`lockout_response`); django-axes calls both."""

from __future__ import annotations

import ipaddress
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """A friendly 429 page saying how long sign-in stays locked. Shown to anyone locked out."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = math.ceil(cooloff.total_seconds() / 60) if cooloff else None
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def client_address(request: HttpRequest) -> str | None:
    """The address login attempts are counted under (AXES_CLIENT_IP_CALLABLE).

    Behind a TLS proxy every connection comes from the proxy, so counting by REMOTE_ADDR puts
    every reader under one lock. With TRUSTED_PROXY_COUNT = N, the N proxies in front of the
    server each appended the address they were reached from to X-Forwarded-For, so the
    client is the N-th address from the right; what stands left of it the client wrote
    itself and is ignored. With 0 (the default) the header is not trusted at all.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if len(forwarded) < count:
        return remote  # not through the configured proxies (a health check, say)
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
