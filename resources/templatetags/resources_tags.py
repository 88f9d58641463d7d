from django import template
from django.utils.safestring import SafeString

from resources.models import lang_of
from resources.rendering import markdown_to_text, render_markdown
from resources.reversing import reverse_with

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML of curator- or reader-written Markdown."""
    return render_markdown(text or "")


@register.filter(name="lang")
def lang_filter(text: str) -> str:
    """`zh-Hans` for text with Chinese characters, else `en`: the value of a lang attribute."""
    return lang_of(text or "")


@register.filter
def tag_url(tag) -> str:
    """The address of a tag's page (taggit's Tag has no get_absolute_url); cheap per row."""
    return reverse_with("resources:tag-detail", tag.slug)


@register.filter
def bcp47(language_code: str) -> str:
    """Django's language code as an HTML lang value: `zh-hans` → `zh-Hans`."""
    language, _, script = (language_code or "").partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else language_code


@register.filter
def plain_text(text: str) -> str:
    """The words of curator-written Markdown, without markup: for descriptions and excerpts."""
    return markdown_to_text(text or "")
