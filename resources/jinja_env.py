"""What the Jinja2 templates (templates/jinja2/, the parts of a list drawn once per row) may
call: the same filters as their Django-template siblings, Django's translations and `static`.

Only templates rendered fifty times a page are written for Jinja2; every other template is a
Django template. A name that is not defined is an error, not an empty string, so a misspelt
attribute fails the tests instead of vanishing from the page.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined

from resources.templatetags.layout_tags import select_options
from resources.templatetags.reader_tags import bookmark_choices, bookmark_url, readers
from resources.templatetags.resources_tags import lang_filter, tag_url
from resources.templatetags.search_tags import highlight, snippet


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
