from django import template
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


@register.simple_tag(takes_context=True)
def row_body(context, resource) -> SafeString:
    """A resource row's shared body: from the page's row cache when the view prepared one."""
    from resources.caching import render_row_body

    rows = context.get("row_bodies")
    terms = context.get("search_terms")
    if terms or rows is None:
        # Marked search terms make the body particular to this query: never cached.
        return mark_safe(render_row_body(resource, terms))  # noqa: S308 - our own template
    html = rows.render(resource)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template


@register.simple_tag(takes_context=True)
def shared_fragment(context, template_name: str) -> SafeString:
    """Render an include that is the same for every reader, cached per catalogue selection."""
    from resources import caching

    return mark_safe(caching.shared_fragment(context, template_name))  # noqa: S308 - our template
