"""DRF renderers: `/api/resources/?format=bibtex|ris|csljson` (or the Accept header)."""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer

from resources.citations import FORMATS, citation_text


class CitationRenderer(BaseRenderer):
    """Renders the list of resources the API view hands it (see ResourceViewSet)."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, list):
            return citation_text(data, self.format).encode("utf-8")
        # An error (a refused export, a 404) is its message as text.
        detail = data.get("detail", data) if isinstance(data, dict) else data
        return str(detail).encode("utf-8")


def _renderer(fmt: str) -> type[CitationRenderer]:
    return type(
        f"{FORMATS[fmt].label.replace('-', '')}Renderer",
        (CitationRenderer,),
        {"format": fmt, "media_type": FORMATS[fmt].content_type},
    )


CITATION_RENDERERS = [_renderer(fmt) for fmt in FORMATS]
