from django import template
from django.utils.safestring import SafeString

from resources.models import lang_of
from resources.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML of curator- or reader-written Markdown."""
    return render_markdown(text or "")


@register.filter(name="lang")
def lang_filter(text: str) -> str:
    """`zh-Hans` for text with Chinese characters, else `en`: the value of a lang attribute."""
    return lang_of(text or "")
