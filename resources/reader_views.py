"""The readers' own library: bookmarks with a reading status, "My library", and notes.

Reading public notes is open to anyone (on the resource page); everything here that writes, or
shows a reader's own shelf, needs a logged-in reader and touches only that reader's rows.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from resources.citations.views import export_list, requested_format
from resources.models import Annotation, Bookmark, ReadingStatus, Resource
from resources.reader_forms import AnnotationForm, BookmarkForm, LibraryStatusForm
from resources.rendering import render_markdown
from resources.shelf import forget_shelf, shelf_for, shelve, unshelve
from resources.views import _catalogue_page


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the form carried if it points back into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


STATUS_CHOICES = tuple(ReadingStatus.choices)  # read-only, shared by every request


def bookmark_button_context(
    request: HttpRequest, resource: Resource, *, next_url: str, error: str = ""
) -> dict:
    """What `_bookmark_button.html` shows; shared by the page tag and the htmx response."""
    return {
        "resource": resource,
        "bookmark": shelf_for(request).get(resource.pk),
        # Counted by with_related() / with_bookmark_count(); a row from another queryset shows
        # no count rather than costing a query of its own.
        "bookmark_count": getattr(resource, "bookmark_count", None),
        "statuses": STATUS_CHOICES,
        "ratings": BookmarkForm.base_fields["rating"].choices,
        "user": request.user,
        "next": next_url,
        "error": error,
        "csrf_token": _page_csrf_token(request),
    }


def row_bookmark_html(
    request: HttpRequest | None, resource: Resource, *, next_url: str | None = None, error: str = ""
) -> SafeString:
    """A catalogue row's bookmark control: one "Bookmark" button, or the reader's status (a
    link to the resource page, where the full form is) and "Remove"; a log-in link for
    visitors. The reader count comes first when the row was counted (with_bookmark_count()).

    Built in Python rather than in a template: every signed-in list page has 50 of them, and
    through the template engine they cost about half of the page (measured with pyinstrument;
    docs/benchmarks.md). What is the same for every row (labels, token, URLs) is escaped once
    per request (`_RowBookmarkParts`). The markup matches `_bookmark_button.html`, so the
    styles and the htmx swap apply to both. `next_url` is where the form returns to: the
    current page unless given.
    """
    parts = _RowBookmarkParts.of(request, next_url)
    count = getattr(resource, "bookmark_count", None)
    html = parts.count_label(count) if count is not None else ""
    if not parts.signed_in:
        return mark_safe(
            f'<div class="bookmark" data-resource="{resource.pk}">{html}{parts.login}</div>'
        )
    bookmark = shelf_for(request).get(resource.pk)
    if bookmark is None:
        controls = parts.add_button
    else:
        status = parts.status_label.get(bookmark.status) or escape(
            _("In your library: %(status)s") % {"status": bookmark.get_status_display()}
        )  # a status no longer among the choices still shows, as stored
        controls = (
            f'<a class="bookmarked" href="{parts.url("resources:resource-detail", resource.pk)}"'
            f' title="{parts.change_hint}">{status}</a>{parts.remove_button}'
        )
    if error:
        controls += f'<p class="form-errors" role="alert">{escape(error)}</p>'
    url = parts.url("resources:bookmark", resource.pk)
    return mark_safe(
        f'<div class="bookmark" data-resource="{resource.pk}">{html}'
        f'<form class="bookmark-form" method="post" action="{url}" hx-post="{url}"'
        ' hx-target="closest .bookmark" hx-swap="outerHTML">'
        f"{parts.hidden_inputs}{controls}</form></div>"
    )


class _RowBookmarkParts:
    """The escaped pieces every row control of one response shares, built once per request."""

    URL_SENTINEL = 2_147_483_647  # reversed once, then replaced by each row's id

    @classmethod
    def of(cls, request: HttpRequest | None, next_url: str | None) -> _RowBookmarkParts:
        """The request's pieces, made on its first row; `next_url` None: the current page."""
        kept = getattr(request, "_row_bookmark_parts", None)
        if kept is None or (next_url is not None and kept.next_url != next_url):
            if next_url is None:
                next_url = request.get_full_path() if request is not None else ""
            kept = cls(request, next_url)
            if request is not None:
                request._row_bookmark_parts = kept
        return kept

    def __init__(self, request: HttpRequest | None, next_url: str) -> None:
        self.next_url = next_url
        user = getattr(request, "user", None)
        self.signed_in = bool(user is not None and user.is_authenticated)
        self._urls: dict[str, str] = {}
        self._count_labels: dict[int, str] = {}
        self.login = format_html(
            '<a class="bookmark-login" href="{}?next={}">{}</a>',
            reverse("login"),
            quote(next_url, safe="/"),
            _("Log in to bookmark"),
        )
        if not self.signed_in:
            return
        self.hidden_inputs = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<input type="hidden" name="control" value="row">',
            _page_csrf_token(request),
            next_url,
        )
        self.add_button = format_html(
            '<button type="submit" name="action" value="add">{}</button>', _("Bookmark")
        )
        self.remove_button = format_html(
            '<button type="submit" class="secondary" name="action" value="remove">{}</button>',
            _("Remove"),
        )
        self.change_hint = escape(_("Change the status or rating on the resource page"))
        self.status_label = {
            value: escape(_("In your library: %(status)s") % {"status": label})
            for value, label in ReadingStatus.choices
        }

    def url(self, name: str, pk: int) -> str:
        """`reverse(name, args=[pk])` for a view taking one integer, reversed once a request
        (a reverse costs ~50 µs here, 5 ms for a page of rows)."""
        pattern = self._urls.get(name)
        if pattern is None:
            pattern = self._urls[name] = reverse(name, args=[self.URL_SENTINEL])
        return pattern.replace(str(self.URL_SENTINEL), str(int(pk)))

    def count_label(self, count: int) -> str:
        label = self._count_labels.get(count)
        if label is None:
            text = ngettext("%(counter)s reader", "%(counter)s readers", count) % {"counter": count}
            label = self._count_labels[count] = format_html(
                '<span class="bookmark-count">{}</span>', text
            )
        return label


def _page_csrf_token(request: HttpRequest) -> str:
    """One masked CSRF token per response, shared by all its forms (masking costs ~0.15 ms).

    Only signed-in readers get forms; an anonymous page must not set a CSRF cookie, so that
    it can be cached whole (resources/caching.py).
    """
    if not request.user.is_authenticated:
        return ""
    if not hasattr(request, "_page_csrf_token"):
        request._page_csrf_token = get_token(request)
    return request._page_csrf_token


@require_POST
def bookmark(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Add, save or remove the reader's bookmark of a resource. Logged-in readers, their own
    only. `action=add` (a catalogue row's button) keeps an existing bookmark as it is; a save
    sets the status and rating the form sent.

    htmx gets the button fragment back to swap in place; a plain form post is redirected back
    to the page it came from.
    """
    resource = get_object_or_404(Resource, pk=resource_id)
    next_url = _safe_next(request, resource.get_absolute_url())
    is_htmx = bool(request.headers.get("HX-Request"))
    if not request.user.is_authenticated:
        login = redirect_to_login(next_url)
        if is_htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login["Location"]
            return response
        return login
    error = ""
    action = request.POST.get("action")
    if action == "add":
        # A catalogue row's one button: bookmark it, or leave a bookmark the reader already has
        # (made in another tab, say) exactly as it is.
        _bookmark, created = shelve(user=request.user, resource=resource, changes={})
        message = _("Added to your library.") if created else _("It is already in your library.")
    elif action == "remove":
        if unshelve(user=request.user, resource=resource):
            message = _("Removed from your library.")
        else:
            message = _("It was not in your library.")
    else:
        form = BookmarkForm(request.POST)
        if form.is_valid():
            _bookmark, created = shelve(
                user=request.user, resource=resource, changes=form.cleaned_data
            )
            message = _("Added to your library.") if created else _("Bookmark saved.")
        else:
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
            message = ""
    if is_htmx:
        forget_shelf(request)
        context = bookmark_button_context(
            request,
            Resource.objects.with_bookmark_count().get(pk=resource.pk),
            next_url=next_url,
            error=error,
        )
        if request.POST.get("control") == "row":
            return HttpResponse(
                row_bookmark_html(request, context["resource"], next_url=next_url, error=error)
            )
        return HttpResponse(
            render_to_string("resources/includes/_bookmark_button.html", context, request)
        )
    if error:
        messages.error(request, _("The bookmark was not saved: %(error)s") % {"error": error})
    else:
        messages.success(request, message)
    return redirect(next_url)


@require_safe
@login_required
def my_library(request: HttpRequest) -> HttpResponse:
    """The reader's bookmarks, with the catalogue's filters and a status. The reader only.

    `format=bibtex|ris|csljson` downloads the shelf's citations (private, never cached).
    """
    status_form = LibraryStatusForm(request.GET or None)
    status = status_form.cleaned_data["status"] if status_form.is_valid() else ""
    shelf = Resource.objects.filter(bookmarks__user=request.user)
    if status:
        # One filter() call, so the status applies to this reader's bookmark, not anyone's.
        shelf = Resource.objects.filter(bookmarks__user=request.user, bookmarks__status=status)
    if requested_format(request):  # citations of this shelf, with the reader's status as note
        return export_list(request, shelf, filename="my-library", reader=request.user)
    context = _catalogue_page(request, shelf)
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
    context.update(
        {
            "status_tabs": tabs,
            "status": status,
            # Here, where readers sort their shelf, each row has the status and rating form.
            "full_bookmark_forms": True,
            "filter_hidden": [("status", status)] if status else [],
        }
    )
    return render(request, "resources/my_library.html", context)


@require_POST
@login_required
def annotation_create(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Add a note to a resource. Logged-in readers; the note is theirs and private by default."""
    resource = get_object_or_404(Resource, pk=resource_id)
    form = AnnotationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "resources/annotation_form.html",
            {"form": form, "resource": resource, "annotation": None},
            status=400,
        )
    note = form.save(commit=False)
    note.user = request.user
    note.resource = resource
    note.save()
    messages.success(request, _("Your note was saved."))
    return redirect(f"{resource.get_absolute_url()}#note-{note.pk}")


@login_required
def annotation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one of your own notes. Its author only: anyone else's note is a 404."""
    note = get_object_or_404(
        Annotation.objects.select_related("resource"), pk=pk, user=request.user
    )
    if request.method == "POST":
        form = AnnotationForm(request.POST, instance=note)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your note was saved."))
            return redirect(f"{note.resource.get_absolute_url()}#note-{note.pk}")
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = AnnotationForm(instance=note)
        status = 200
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return render(
        request,
        "resources/annotation_form.html",
        {"form": form, "resource": note.resource, "annotation": note},
        status=status,
    )


@require_POST
@login_required
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of your own notes. Its author only: anyone else's note is a 404."""
    note = get_object_or_404(
        Annotation.objects.select_related("resource"), pk=pk, user=request.user
    )
    resource = note.resource
    note.delete()
    messages.success(request, _("Your note was deleted."))
    return redirect(f"{resource.get_absolute_url()}#notes")


@require_POST
@login_required
def annotation_preview(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Show a note's Markdown as it will look, saving nothing. Logged-in readers.

    htmx swaps in just the preview; without JavaScript the note form page comes back with the
    preview above it (for an edit, only of the reader's own note: anyone else's is a 404).
    """
    resource = get_object_or_404(Resource, pk=resource_id)
    form = AnnotationForm(request.POST)
    preview = render_markdown(request.POST.get("body", "")[:20000])
    if request.headers.get("HX-Request"):
        return render(request, "resources/includes/_note_preview.html", {"preview": preview})
    note = None
    if request.POST.get("note"):
        note = get_object_or_404(
            Annotation, pk=request.POST["note"], user=request.user, resource=resource
        )
    return render(
        request,
        "resources/annotation_form.html",
        {"form": form, "resource": resource, "annotation": note, "preview": preview},
    )
