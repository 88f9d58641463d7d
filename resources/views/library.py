"""The readers' own library: bookmarks with a reading status, and "My library".

Everything here needs a logged-in reader and touches only that reader's rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from resources.citations.views import export_list, requested_format
from resources.listing import control_context, draw_control, list_page
from resources.models import Bookmark, ReadingStatus, Resource
from resources.reader_forms import BookmarkForm, LibraryStatusForm
from resources.redirects import next_from
from resources.shelf import mark_bookmarks, shelve, unshelve, withdrawn_shelf


def _apply(request: HttpRequest, resource: Resource) -> tuple[str, str]:
    """Carry out the bookmark form's action for the reader; (message, error)."""
    action = request.POST.get("action")
    if action == "add":
        # A catalogue row's one button: bookmark it, or leave a bookmark the reader already has
        # (made in another tab, say) exactly as it is.
        _bookmark, created = shelve(user=request.user, resource=resource, changes={})
        return (_("Added to your library.") if created else _("It is already in your library.")), ""
    if action == "remove":
        if unshelve(user=request.user, resource=resource):
            return _("Removed from your library."), ""
        return _("It was not in your library."), ""
    if action not in (None, "", "save"):
        return "", _('unknown action "%(action)s".') % {"action": action[:40]}
    form = BookmarkForm(request.POST)
    if not form.is_valid():
        return "", " ".join(str(e) for errors in form.errors.values() for e in errors)
    _bookmark, created = shelve(user=request.user, resource=resource, changes=form.cleaned_data)
    return (_("Added to your library.") if created else _("Bookmark saved.")), ""


@require_POST
def bookmark(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Add, save or remove the reader's bookmark of a resource. Logged-in readers, their own
    only. `action=add` (a catalogue row's button) keeps an existing bookmark as it is; a save
    sets the status and rating the form sent.

    htmx gets the bookmark control back to swap in place (the Jinja2 template the page drew it
    with); a plain form post is redirected back to the page it came from.
    """
    resource = get_object_or_404(Resource, pk=resource_id)
    next_url = next_from(request, resource.get_absolute_url())
    is_htmx = bool(request.headers.get("HX-Request"))
    if not request.user.is_authenticated:
        login = redirect_to_login(next_url)
        if is_htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login["Location"]
            return response
        return login
    message, error = _apply(request, resource)
    if is_htmx:
        resource = Resource.objects.with_bookmark_count().get(pk=resource.pk)
        mark_bookmarks(request.user, [resource])
        full_form = request.POST.get("control") != "row"
        reader = control_context(
            request.user,
            next_url,
            full_forms=full_form,
            csrf_token=get_token(request) if full_form else "",
            error=error,
        )
        return HttpResponse(draw_control(resource, reader))
    if error:
        messages.error(request, _("The bookmark was not saved: %(error)s") % {"error": error})
    else:
        messages.success(request, message)
    return redirect(next_url)


def _status_tabs(request: HttpRequest, status: str) -> list[dict]:
    """One tab per reading status with the reader's count, keeping the other filters."""
    counts = dict(
        Bookmark.objects.of(request.user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    base_query = request.GET.copy()
    for key in ("status", "page"):
        base_query.pop(key, None)
    tabs = []
    for value, label in [("", _("All")), *ReadingStatus.choices]:
        query = base_query.copy()
        if value:
            query["status"] = value
        tabs.append(
            {
                "label": label,
                "count": counts.get(value, 0) if value else sum(counts.values()),
                "query": query.urlencode(),
                "active": value == status,
            }
        )
    return tabs


@require_safe
@login_required
@cache_control(private=True, no_store=True)  # the reader's own shelf: no shared cache keeps it
def my_library(request: HttpRequest) -> HttpResponse:
    """The reader's bookmarks, with the catalogue's filters and a status. The reader only;
    never cached.

    `format=bibtex|ris|csljson` downloads the shelf's citations, with the reader's status and
    rating as each entry's note (private, never stored by a cache).
    """
    status_form = LibraryStatusForm(request.GET or None)
    status = status_form.cleaned_data["status"] if status_form.is_valid() else ""
    shelf = Resource.objects.filter(bookmarks__user=request.user)
    if status:
        # One filter() call, so the status applies to this reader's bookmark, not anyone's.
        shelf = Resource.objects.filter(bookmarks__user=request.user, bookmarks__status=status)
    if requested_format(request):
        return export_list(request, shelf, filename="my-library", reader=request.user)
    # Here, where readers sort their shelf, each row has the status and rating form.
    context = list_page(request, shelf, full_bookmark_forms=True)
    context.update(
        {
            "status_tabs": _status_tabs(request, status),
            "status": status,
            "filter_hidden": [("status", status)] if status else [],
            "withdrawn": withdrawn_shelf(request.user),
        }
    )
    return render(request, "resources/my_library.html", context)
