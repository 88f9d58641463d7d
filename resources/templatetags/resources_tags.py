from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from resources.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML of curator- or reader-written Markdown."""
    return render_markdown(text or "")


@register.filter(name="lang")
def lang_filter(text: str) -> str:
    """`zh-Hans` for text with Chinese characters, else `en`: the value of a lang attribute."""
    from resources.models import lang_of

    return lang_of(text or "")


@register.filter
def bcp47(language_code: str) -> str:
    """Django's language code as an HTML lang value: `zh-hans` → `zh-Hans`."""
    language, _, script = (language_code or "").partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else language_code


@register.filter
def plain_text(text: str) -> str:
    """The words of curator-written Markdown, without markup: for descriptions and excerpts."""
    from resources.rendering import markdown_to_text

    return markdown_to_text(text or "")


@register.simple_tag(takes_context=True)
def resource_row(context, resource) -> SafeString:
    """A resource's row in a list: its body, the same for every reader and cached (with the
    search terms marked, per set of terms) when the view prepared `row_bodies`, then the
    reader's bookmark control: the full form where `full_bookmark_forms` (My library), else
    one button.

    Assembled here rather than in an included template: a list page has 50 rows, and an
    include per row cost more than the rest of the page's template (pyinstrument).
    """
    from resources.caching import render_row_body
    from resources.reader_views import bookmark_button_context, row_bookmark_html

    request = context.get("request")
    rows = context.get("row_bodies")
    if rows is not None:
        body = rows.render(resource)
    else:
        body = render_row_body(resource, context.get("search_terms"))
    if context.get("full_bookmark_forms") and request is not None:
        control = render_to_string(
            "resources/includes/_bookmark_button.html",
            bookmark_button_context(request, resource, next_url=request.get_full_path()),
        )
    else:
        control = row_bookmark_html(request, resource)  # returns to this page
    # An f-string, not format_html(): body and control are safe HTML already, the rest is ours,
    # and format_html's lazy-argument checks cost ~40 µs a row.
    featured = " is-featured" if resource.is_featured else ""
    return mark_safe(  # noqa: S308 - body and control come from our autoescaping renderers
        f'<article class="resource-row{featured}" id="resource-{int(resource.pk)}">'
        f"{body}{control}</article>"
    )


@register.simple_tag(takes_context=True)
def shared_fragment(context, template_name: str) -> SafeString:
    """Render an include that is the same for every reader, cached per catalogue selection."""
    from resources import caching

    return mark_safe(caching.shared_fragment(context, template_name))  # noqa: S308 - our template
