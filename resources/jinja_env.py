"""What the Jinja2 templates (templates/jinja2/: a list's rows, drawn fifty times a page, and
its filter drawer) may call: Django's translations, `static`, and the filters below.

Only those templates are written for Jinja2; every other template is a Django template. A name
that is not defined is an error, not an empty string, so a misspelt attribute fails the tests
instead of vanishing from the page.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined

from resources.models import ReadingStatus
from resources.reader_forms import BookmarkForm
from resources.search.marking import highlight, snippet
from resources.templatetags.reader_tags import bookmark_url
from resources.templatetags.resources_tags import lang_filter, tag_url


def readers(count: int) -> str:
    """ "3 readers": how many readers shelved a resource (a row's bookmark control)."""
    return ngettext("%(counter)s reader", "%(counter)s readers", count) % {"counter": count}


def bookmark_choices() -> dict:
    """The reading statuses and ratings a full bookmark form offers."""
    return {
        "statuses": ReadingStatus.choices,
        "ratings": BookmarkForm.base_fields["rating"].choices,
    }


def select_options(field) -> list[tuple[str, str, bool]]:
    """A select field's options as (value, label, selected), for the drawer to write itself:
    Django renders each option through a template of its own, a third of an uncached drawer's
    time. Selected as Django's Select widget selects them (no value: the empty option)."""
    chosen = set(field.field.widget.format_value(field.value()))
    return [(str(value), label, str(value) in chosen) for value, label in field.field.choices]


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    # Old-style gettext: `_()` returns the translation as it is, formatted with `|format`, so
    # a message has the msgid its Django-template form had (makemessages reads `_("…")`).
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals.update(
        static=static, bookmark_choices=bookmark_choices, select_options=select_options
    )
    env.filters.update(
        highlight=highlight,
        snippet=snippet,
        lang=lang_filter,
        tag_url=tag_url,
        readers=readers,
        bookmark_url=bookmark_url,
    )
    return env
