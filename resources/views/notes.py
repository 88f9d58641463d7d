"""Readers' notes on a resource: write, edit, delete, preview.

Reading public notes is open to anyone (on the resource page); everything here needs a
logged-in reader and touches only that reader's notes: anyone else's note is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resources.models import Annotation, Resource
from resources.reader_forms import AnnotationForm, NotePreviewForm
from resources.rendering import render_markdown


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
            try:
                form.save()
            except Annotation.DoesNotExist as error:  # deleted meanwhile (another tab)
                raise Http404 from error
            messages.success(request, _("Your note was saved."))
            return redirect(note.get_absolute_url())
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
    back = f"{note.resource.get_absolute_url()}#notes" if note.resource else note.get_absolute_url()
    note.delete()
    messages.success(request, _("Your note was deleted."))
    return redirect(back)


@require_POST
@login_required
def annotation_preview(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Show a note's Markdown as it will look, saving nothing. Logged-in readers.

    htmx swaps in just the preview; without JavaScript the note form page comes back with the
    preview above it (for an edit, only of the reader's own note: anyone else's is a 404).
    """
    resource = get_object_or_404(Resource, pk=resource_id)
    form = AnnotationForm(request.POST)
    asked = NotePreviewForm(request.POST)
    if not asked.is_valid():
        return HttpResponseBadRequest(_("This preview cannot be shown: the note is not valid."))
    preview = render_markdown(asked.cleaned_data["body"])
    if request.headers.get("HX-Request"):
        return render(request, "resources/includes/_note_preview.html", {"preview": preview})
    note = None
    if asked.cleaned_data["note"]:
        note = get_object_or_404(
            Annotation, pk=asked.cleaned_data["note"], user=request.user, resource=resource
        )
    return render(
        request,
        "resources/annotation_form.html",
        {"form": form, "resource": resource, "annotation": note, "preview": preview},
    )
