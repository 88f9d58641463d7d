"""Reading paths in a real browser: start a path, mark a step done, see the next one."""

import pytest
from playwright.sync_api import Page, expect

from resources.models import Bookmark
from tests.browser.conftest import run_axe
from tests.browser.test_reader_journeys import PASSWORD, enforce_strict_csp
from tests.factories import (
    PathStepFactory,
    ReadingPathFactory,
    ResourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_a_reader_starts_a_path_marks_a_step_done_and_sees_the_next(
    page: Page, live_server, transactional_db
):
    topic = TopicFactory(name="Infinite width")
    path = ReadingPathFactory(slug="ntk", title="The neural tangent kernel")
    titles = ["Universal approximation", "Lecture notes on NTK", "Beyond NTK"]
    for position, title in enumerate(titles, start=1):
        PathStepFactory(
            path=path,
            position=position,
            resource=ResourceFactory(topic=topic, title=title),
            note=f"Why {title} comes here.",
        )
    UserFactory(username="ada", password=PASSWORD)
    base = live_server.url
    csp_violations = enforce_strict_csp(page)

    page.goto(f"{base}/accounts/login/?next=/paths/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="The neural tangent kernel").click()
    expect(page.locator(".path-progress")).to_have_text("0 of 3 done")

    page.get_by_role("button", name="Start this path").click()
    expect(page.locator(".message")).to_have_text(
        "Path started: 3 resources added to your library."
    )
    assert set(Bookmark.objects.values_list("status", flat=True)) == {"to-read"}
    expect(page.locator(".path-next")).to_contain_text("Universal approximation")

    first = page.locator("#step-1")
    first.get_by_label("Status").select_option("done")
    first.get_by_role("button", name="Save").click()
    expect(page.locator(".path-progress")).to_have_text("1 of 3 done")
    expect(page.locator(".path-next")).to_contain_text("Lecture notes on NTK")
    expect(page.locator("#step-2")).to_have_class("path-step is-next status-to-read")
    expect(page.locator("#step-1")).to_have_class("path-step status-done")
    assert Bookmark.objects.get(resource__title="Universal approximation").status == "done"
    assert csp_violations == []


@pytest.mark.parametrize("address", ["/paths/", "/paths/ntk/", "/new/"])
def test_discovery_pages_have_no_serious_accessibility_violations(
    page: Page, transactional_db, address
):
    path = ReadingPathFactory(slug="ntk", title="无限宽度", title_zh="无限宽度")
    PathStepFactory(path=path, resource=ResourceFactory(title="神经正切核"), note="先读这个。")
    UserFactory(username="ada", password=PASSWORD)
    page.goto(f"{page.base}/accounts/login/?next={address}")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_be_visible()
    assert run_axe(page) == []
