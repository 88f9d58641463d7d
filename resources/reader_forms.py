"""Forms of the readers' library: sign-up, bookmarks, notes and the library's status filter."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from resources.models import Annotation, Bookmark, ReadingStatus

RATING_CHOICES = [("", _("No rating")), *((n, "★" * n) for n in range(1, 6))]


class SignUpForm(UserCreationForm):
    """A new reader: a username, an e-mail address (for password resets) and a password."""

    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Used only to reset your password."),
        max_length=254,
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        # No "already exists" error: that would tell anyone whose address has an account here
        # (see README, "Sign-up and enumeration"). The address's owner is told by mail instead.
        return self.cleaned_data["email"].strip()

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            tell_others_with_the_address(user)
        return user


def tell_others_with_the_address(user) -> None:
    """If readers already use `user`'s e-mail address, send it a notice that another account
    was made with it (the page says nothing, so nobody learns whose address is registered)."""
    others = get_user_model()._default_manager.filter(email__iexact=user.email).exclude(pk=user.pk)
    names = sorted(others.values_list("username", flat=True))
    if not names:
        return
    context = {"new_username": user.get_username(), "usernames": names}
    send_mail(
        render_to_string("accounts/address_shared_subject.txt", context).strip(),
        render_to_string("accounts/address_shared_email.txt", context),
        None,
        [user.email],
        fail_silently=True,  # a mail server outage must not fail the sign-up
    )


class BookmarkForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Bookmark
        fields = ["status", "rating"]


class AnnotationForm(forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["body", "is_public"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "cols": 60})}
        labels = {"is_public": _("Public: show this note on the resource page")}


class NotePreviewForm(forms.Form):
    """What a note's preview reads: the Markdown, and for an edit which note (an id)."""

    body = forms.CharField(required=False, strip=False, max_length=20000)
    note = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class LibraryStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ReadingStatus.choices],
        required=False,
    )
