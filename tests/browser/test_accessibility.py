"""axe-core on the main pages: no serious or critical accessibility violations."""

import pytest

from tests.browser.conftest import run_axe
from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def catalogue(transactional_db):
    topic = TopicFactory(name="泛化理论", slug="generalization")
    author = AuthorFactory(name="Yi Ma", slug="yi-ma")
    resource = ResourceFactory(
        topic=topic,
        title="白盒深度网络",
        is_featured=True,
        authors=[author],
        tags=["几何", "ntk"],
        description="Notes with $x^2$, a [link](https://example.org) and a table:\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |",
    )
    ResourceFactory.create_batch(60, topic=topic, tags=["ntk"])
    return resource


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/resources/",
        "/resources/?q=zzz-no-match",
        "/topics/generalization/",
        "/accounts/login/",
    ],
)
def test_main_pages_have_no_serious_accessibility_violations(page, catalogue, path):
    page.goto(page.base + path)
    assert run_axe(page) == []


def test_resource_page_has_no_serious_accessibility_violations(page, catalogue):
    page.goto(page.base + catalogue.get_absolute_url())
    assert run_axe(page) == []


def test_the_axe_harness_reports_a_known_violation(page, live_server):
    page.goto(page.base + "/healthz")
    page.evaluate("() => { document.body.innerHTML = '<img src=x.png><button></button>'; }")
    assert {violation["id"] for violation in run_axe(page)} >= {"image-alt", "button-name"}
