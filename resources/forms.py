"""Forms that are not plain ModelForms."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_LIST_BYTES = 5 * 1024 * 1024


class ImportListForm(forms.Form):
    """A curator's upload of an awesome list to import."""

    file = forms.FileField(
        label=_("Markdown file"), help_text=_("An awesome-list README, UTF-8, at most 5 MB.")
    )
    repair_encoding = forms.BooleanField(
        label=_("Repair a double-encoded file"),
        required=False,
        help_text=_("For a file whose Chinese text shows as mojibake (Ã¥Â…Â¥…)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
