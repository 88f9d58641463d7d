"""Template tags of the readers' library: the bookmark control and the notes on a resource."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString

from resources.listing import control_context, draw_control
from resources.models import Annotation, Resource
from resources.reader_forms import AnnotationForm
from resources.reversing import reverse_with
from resources.shelf import mark_bookmarks

register = template.Library()


@register.simple_tag(takes_context=True)
def bookmark_button(context, resource: Resource) -> SafeString:
    """The reader's full bookmark form for `resource` (status and rating), or a log-in link,
    with its reader count: on the resource page. List rows draw the same template (Jinja2,
    `listing.draw_control`)."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    mark_bookmarks(user, [resource])
    reader = control_context(
        user,
        request.get_full_path() if request is not None else "",
        full_forms=True,
        # Lazy: read only by a signed-in reader's form. Reading it marks the response as
        # setting the CSRF cookie, which would keep a visitor's page out of the page cache.
        csrf_token=context.get("csrf_token", ""),
    )
    return draw_control(resource, reader)


@register.filter
def bookmark_url(resource: Resource) -> str:
    """Where `resource`'s bookmark form posts."""
    return reverse_with("resources:bookmark", resource.pk)


@register.inclusion_tag("resources/includes/_annotations.html", takes_context=True)
def notes_panel(context, resource: Resource) -> dict:
    """The reader's own notes on `resource`, everyone else's public ones, and a form to add one.

    One query for the notes, whoever is reading.
    """
    request = context["request"]
    user = request.user
    notes = list(
        Annotation.objects.visible_to(user)
        .filter(resource=resource)
        .select_related("user")
        .order_by("created", "pk")
    )
    own = [note for note in notes if note.user_id == user.pk]
    public = [note for note in notes if note.user_id != user.pk]
    return {
        "resource": resource,
        "own_notes": own,
        "public_notes": public,
        "form": AnnotationForm() if user.is_authenticated else None,
        "user": user,
        "request": request,
        # Only signed-in readers get forms; an anonymous page must not set a CSRF cookie, so
        # that it can be cached whole (resources/caching.py).
        "csrf_token": get_token(request) if request.user.is_authenticated else "",
    }
