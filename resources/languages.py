"""The interface language: chosen with the switcher on every page, kept in the language cookie
and, for signed-in readers, in their profile, so it follows them to every device they sign in on.

LocaleMiddleware picks the language of each request (cookie, then Accept-Language, then Chinese).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import check_for_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from resources.models import ReaderProfile


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language (Django's `set_language`), and remember it. Anyone.

    Anonymous pages carry no CSRF token so they can be cached whole; switching an anonymous
    visitor's language changes nothing of theirs, so only signed-in readers, whose profile
    this writes, must send the token.
    """
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
        if refused is not None:
            return refused
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language and check_for_language(language):
        ReaderProfile.remember_language(request.user, language)
    return response


@receiver(user_logged_in, dispatch_uid="reader-language-on-login")
def _restore_language(sender, request, user, **kwargs) -> None:
    """On sign-in, the profile's language wins; a first choice made before signing in is kept."""
    if request is None:
        return
    profile = ReaderProfile.objects.filter(user=user).first()
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if profile is not None and profile.language:
        request.reader_language = profile.language
    elif chosen and check_for_language(chosen):
        ReaderProfile.remember_language(user, chosen)


class ReaderLanguageMiddleware:
    """Sets the language cookie to the profile's choice on the response that signs a reader in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "reader_language", "")
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
