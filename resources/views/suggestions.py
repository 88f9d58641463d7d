"""Readers suggest resources; they follow what curators decided. Signed-in readers only.

Curators moderate in the admin (SuggestionAdmin); see services.accept_suggestion and
services.reject_suggestion.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from resources.markdown.urls import normalize_url
from resources.models import Resource, Suggestion, SuggestionStatus, Topic

MAX_PENDING = 30  # per reader; keeps the moderation queue readable


class SuggestionForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("It is in the library already, but suggest it anyway"),
        required=False,
    )

    class Meta:
        model = Suggestion
        fields = ["url", "title", "topic", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.existing: Resource | None = None
        self.fields["url"].assume_scheme = "https"
        self.fields["topic"].queryset = Topic.objects.select_related("parent").order_by(
            "position", "pk"
        )
        self.fields["reason"].max_length = 2000

    def clean(self) -> dict:
        data = super().clean()
        url = data.get("url")
        if url:
            key = normalize_url(url)
            self.existing = Resource.objects.filter(url_key=key).first()
            if self.existing and not data.get("confirm"):
                raise forms.ValidationError(
                    _("This address is in the library already."), code="exists"
                )
            mine = Suggestion.objects.filter(user=self.user, status=SuggestionStatus.PENDING)
            if any(normalize_url(other) == key for other in mine.values_list("url", flat=True)):
                raise forms.ValidationError(
                    _("You suggested this address already; it is waiting for a curator."),
                    code="pending",
                )
            if mine.count() >= MAX_PENDING:
                raise forms.ValidationError(
                    _("You have %(count)d suggestions waiting; please wait for a decision.")
                    % {"count": MAX_PENDING},
                    code="too_many",
                )
        return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    """The form to suggest a resource, warning when it is catalogued already. Signed-in readers."""
    form = SuggestionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        suggestion = form.save(commit=False)
        suggestion.user = request.user
        suggestion.save()
        messages.success(request, _("Thank you! A curator will look at your suggestion."))
        return redirect("resources:suggestion-list")
    return render(request, "resources/suggest.html", {"form": form})


@login_required
@require_safe
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """The signed-in reader's own suggestions and what became of them. That reader only."""
    suggestions = Suggestion.objects.filter(user=request.user).select_related("topic", "resource")
    return render(request, "resources/suggestion_list.html", {"suggestions": suggestions})


@login_required
@require_safe
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the reader's suggestions; anyone else's is a 404. Its author only."""
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("topic", "resource"), pk=pk, user=request.user
    )
    return render(request, "resources/suggestion_detail.html", {"suggestion": suggestion})
