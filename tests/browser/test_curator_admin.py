"""A curator does each task of the workflow in the admin, in a real browser (chromium)."""

import re

import pytest
from playwright.sync_api import Page, expect

from resources.models import Resource, SuggestionStatus
from tests.factories import CuratorFactory, ResourceFactory, SuggestionFactory, TopicFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


@pytest.fixture
def admin(page: Page, live_server):
    """A page signed in to the admin as a member of the curators group."""
    curator = CuratorFactory()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    page.base = live_server.url
    return page


def run_action(page: Page, label: str, pks: list[int]) -> None:
    for pk in pks:
        page.check(f'input[name="_selected_action"][value="{pk}"]')
    page.select_option('select[name="action"]', label=label)
    page.get_by_role("button", name="Go").click()


def test_curator_edits_a_resource(admin):
    resource = ResourceFactory(title="Old title")
    admin.goto(f"{admin.base}/admin/resources/resource/{resource.pk}/change/")
    admin.fill("#id_title", "深度学习理论导论")
    admin.click('input[name="_save"]')
    expect(admin.locator(".messagelist")).to_contain_text("changed successfully")
    resource.refresh_from_db()
    assert resource.title == "深度学习理论导论"


def test_curator_adds_tags_in_bulk(admin):
    chosen = ResourceFactory.create_batch(2)
    admin.goto(f"{admin.base}/admin/resources/resource/")
    run_action(admin, "Add tags to selected resources", [r.pk for r in chosen])
    admin.fill("#id_tags", "泛化, NTK")
    admin.click('input[name="apply"]')
    expect(admin.locator(".messagelist")).to_contain_text("2 entries changed")
    assert all(sorted(r.tags.names()) == ["NTK", "泛化"] for r in chosen)


def test_curator_views_history_and_reverts(admin):
    resource = ResourceFactory(title="The right title")
    old = resource.history.latest()
    resource.title = "A wrong title"
    resource.save()
    admin.goto(f"{admin.base}/admin/resources/resource/{resource.pk}/history/")
    admin.locator(f'a[href$="/history/{old.history_id}/"]').click()
    expect(admin.locator("#id_title")).to_have_value("The right title")
    admin.click('input[name="_save"]')
    expect(admin).to_have_url(re.compile(r"/admin/resources/resource/"))
    resource.refresh_from_db()
    assert resource.title == "The right title"


def test_curator_merges_a_duplicate(admin):
    keep = ResourceFactory(
        title="Deep Double Descent", url="https://doi.org/10.1088/1742-5468/ac3a74"
    )
    duplicate = ResourceFactory(
        title="Deep double descent", url="https://iopscience.iop.org/doi/10.1088/1742-5468/ac3a74"
    )
    admin.goto(f"{admin.base}/admin/resources/resource/duplicates/")
    admin.get_by_role("link", name="Review and merge").click()
    admin.check(f"#keep-{keep.pk}")
    admin.get_by_role("button", name="Merge").click()
    expect(admin.locator(".messagelist")).to_contain_text("Merged 1 duplicates")
    assert list(Resource.objects.all()) == [keep]
    assert keep.links.get().url == duplicate.url


def test_curator_accepts_a_suggestion(admin):
    topic = TopicFactory(name="Optimization")
    suggestion = SuggestionFactory(topic=topic, title="A new SGD paper")
    admin.goto(f"{admin.base}/admin/resources/suggestion/")
    run_action(admin, "Accept selected suggestions", [suggestion.pk])
    expect(admin.locator(".messagelist")).to_contain_text("1 suggestion accepted")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.resource.topic == topic
