"""A reader's journeys through the catalogue in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from resources.models import Kind
from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def catalogue(transactional_db):
    theory = TopicFactory(name="泛化理论", slug="generalization", position=1)
    optimization = TopicFactory(name="Optimization", slug="optimization", position=2)
    author = AuthorFactory(name="Yi Ma", slug="yi-ma")
    author.aliases.create(name="马毅")
    ResourceFactory(
        topic=theory,
        title="白盒深度网络的泛化",
        kind=Kind.BOOK,
        authors=[author],
        tags=["几何"],
        description="讲义 with $x^2$ and **bold**.",
        is_featured=True,
    )
    ResourceFactory(topic=theory, title="Neural Tangent Kernel", kind=Kind.PAPER, tags=["ntk"])
    for n in range(55):
        ResourceFactory(topic=optimization, title=f"SGD noise study {n:02d}", kind=Kind.PAPER)
    ResourceFactory(topic=optimization, title="Lectures on optimization", kind=Kind.COURSE)


def test_browse_the_home_page(page, catalogue):
    page.goto(page.base + "/")
    expect(page.get_by_role("heading", name="Topics")).to_be_visible()
    topics = page.locator("section.topics")
    expect(topics.get_by_role("link", name="泛化理论")).to_be_visible()
    expect(topics.get_by_role("link", name="Optimization")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    featured = page.get_by_role("link", name="白盒深度网络的泛化").first
    expect(featured).to_have_attribute("lang", "zh-Hans")


def test_filter_the_catalogue_by_topic_and_kind_then_open_a_resource(page, catalogue):
    page.goto(page.base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue").click()
    expect(page.get_by_role("heading", name="Catalogue", level=1)).to_be_visible()
    expect(page.locator(".result-count")).to_have_text("58 resources")
    page.get_by_label("Topic").select_option("optimization")
    page.get_by_label("Kind").select_option("course")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"topic=optimization.*kind=course|kind=course.*topic=opt"))
    expect(page.locator(".result-count")).to_have_text("1 resource")
    page.get_by_role("link", name="Lectures on optimization").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lectures on optimization")
    expect(page.locator(".facts")).to_contain_text("Course")


def test_paginate_the_catalogue(page, catalogue):
    page.goto(page.base + "/resources/?topic=optimization")
    expect(page.locator(".pagination .current")).to_have_text("Page 1 of 2")
    page.get_by_role("link", name="Next").click()
    expect(page.locator(".pagination .current")).to_have_text("Page 2 of 2")
    expect(page).to_have_url(re.compile(r"topic=optimization.*page=2"))
    expect(page.locator(".resource-row")).to_have_count(6)


def test_search_with_the_slash_shortcut(page, catalogue):
    page.goto(page.base + "/resources/")
    page.locator("body").press("/")
    search = page.get_by_role("searchbox", name="Search the library")
    expect(search).to_be_focused()
    page.keyboard.type("马毅")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=%E9%A9%AC%E6%AF%85"))
    expect(page.locator(".result-count")).to_have_text("1 resource")
    expect(page.locator(".resource-row")).to_contain_text("白盒深度网络的泛化")


def test_chinese_text_renders_with_its_lang_attributes(page, catalogue):
    page.goto(page.base + "/topics/generalization/")
    expect(page.get_by_role("heading", level=1)).to_have_text("泛化理论")
    page.get_by_role("link", name="白盒深度网络的泛化").click()
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(".description")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(".description strong")).to_have_text("bold")
    # The CJK font is installed: the title is drawn, not left as empty boxes of zero width.
    assert title.bounding_box()["width"] > 100
