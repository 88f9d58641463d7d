"""Readers' bookmarks on list pages: what a page of bookmark controls and each page cost."""

import pytest
from django.urls import reverse

from resources.models import Bookmark
from tests.factories import ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_a_page_of_bookmark_controls_costs_one_query_and_shows_no_uncounted_count(
    rf, personas, django_assert_max_num_queries
):
    from resources.listing import control_context, draw_rows, with_bodies
    from resources.models import Resource
    from resources.shelf import mark_bookmarks

    ResourceFactory.create_batch(10)
    request = rf.get("/")
    request.user = personas["owner"]
    # Rows loaded without their reader counts (`bookmark_count` not annotated).
    rows = with_bodies(list(Resource.objects.select_related("topic")), [])
    with django_assert_max_num_queries(1):  # the reader's bookmarks of these rows, once
        mark_bookmarks(request.user, rows)
        html = draw_rows(rows, control_context(request.user, "/"))
    assert html.count('form="row-bookmarks"') == 10
    assert 'class="bookmark-count"' not in html


@pytest.mark.parametrize(
    ("name", "budget"),
    [
        ("resources:home", 18),  # two lists of rows: featured and recent; what's new (3)
        ("resources:resource-list", 12),
        ("resources:resource-detail", 20),  # its related reading computed cold: 8
        ("resources:my-library", 14),  # and the withdrawn section's bookmarks and notes
        ("profile", 6),
    ],
)
def test_pages_stay_within_their_query_budget_with_three_hundred_bookmarks(
    client_as, personas, django_assert_max_num_queries, name, budget
):
    resources = ResourceFactory.create_batch(300, topic=TopicFactory(), is_featured=True)
    Bookmark.objects.bulk_create(Bookmark(user=personas["owner"], resource=r) for r in resources)
    url = (
        reverse(name, args=[resources[150].pk]) if name == "resources:resource-detail" else
        reverse(name)
    )  # fmt: skip
    client = client_as("owner")
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert "In your library: To read" in response.content.decode() or name == "profile"
