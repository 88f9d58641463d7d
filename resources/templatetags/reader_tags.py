"""Template tags of the readers' library: the bookmark button and the notes on a resource."""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token

from resources.models import Annotation, Resource
from resources.reader_forms import AnnotationForm

register = template.Library()


@register.inclusion_tag("resources/includes/_bookmark_button.html", takes_context=True)
def bookmark_button(context, resource: Resource) -> dict:
    """The reader's full bookmark form for `resource` (status and rating), or a log-in link,
    with its reader count: on the resource page. (List rows get theirs from `resource_row`.)"""
    from resources.reader_views import bookmark_button_context

    request = context.get("request")
    if request is None:
        return {"resource": resource, "bookmark_count": getattr(resource, "bookmark_count", None)}
    return bookmark_button_context(request, resource, next_url=request.get_full_path())


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
