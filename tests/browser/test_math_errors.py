"""Finding 6 of the second hardening round: KaTeX's error rendering set a style attribute,
which the Content-Security-Policy blocks. TeX that cannot be typeset now stays as its source
with the class "math-error"; the `page` fixture fails the test on any CSP violation."""

import pytest
from playwright.sync_api import expect

from tests.factories import AnnotationFactory, ResourceFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_katex_errors_emit_no_inline_style_blocked_by_the_csp(page, transactional_db):
    resource = ResourceFactory(title="Macros")
    AnnotationFactory(
        resource=resource,
        is_public=True,
        body="Loops: $\\def\\a{\\a}\\a$, fine: $x^2$",
    )
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Security" in m.text else None)
    page.goto(f"{page.base}{resource.get_absolute_url()}")
    note = page.locator(".note").first
    expect(note.locator(".katex")).to_have_count(1)  # x^2 is still typeset
    errors = note.locator(".math-error")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("\\def\\a{\\a}\\a")
    assert note.locator("[style*='color']").count() == 0
    assert violations == []
