"""My library in HTML: the reader's own shelf only, its filters and tabs, query counts."""

import pytest
from django.urls import reverse

from resources.models import Bookmark, Kind
from tests.factories import BookmarkFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status_code", "sees_owner_resource"),
    [
        ("anonymous", 302, False),
        ("owner", 200, True),
        ("stranger", 200, False),
        ("curator", 200, False),
    ],
)
def test_my_library_shows_only_the_readers_own_shelf(
    client_as, shelved, persona, status_code, sees_owner_resource
):
    response = client_as(persona).get(reverse("resources:my-library"))
    assert response.status_code == status_code
    assert (shelved.resource.title in response.content.decode()) == sees_owner_resource
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_my_library_filters_by_status_and_by_the_catalogue_filters(client_as, personas):
    owner = personas["owner"]
    reading_paper = BookmarkFactory(
        user=owner, status="reading", resource=ResourceFactory(title="Neural tangent kernel")
    )
    BookmarkFactory(
        user=owner,
        status="reading",
        resource=ResourceFactory(title="Tangent blog", kind=Kind.BLOG),
    )
    BookmarkFactory(user=owner, status="done", resource=ResourceFactory(title="Tangent done"))
    # Someone else reading a resource the owner has done must not leak into "reading".
    done_by_owner = Bookmark.objects.get(user=owner, status="done").resource
    BookmarkFactory(user=personas["stranger"], status="reading", resource=done_by_owner)
    client = client_as("owner")
    response = client.get(
        reverse("resources:my-library"), {"status": "reading", "kind": "paper", "q": "tangent"}
    )
    assert [r.pk for r in response.context["resources"]] == [reading_paper.resource_id]
    html = response.content.decode()
    assert '<input type="hidden" name="status" value="reading">' in html
    tabs = {tab["label"]: tab["count"] for tab in response.context["status_tabs"]}
    assert tabs == {"All": 3, "To read": 0, "Reading": 2, "Done": 1}
    reading = client.get(reverse("resources:my-library"), {"status": "reading"})
    assert reading.context["page_obj"].paginator.count == 2


def test_my_library_ignores_a_bad_status_with_no_error(client_as, shelved):
    response = client_as("owner").get(reverse("resources:my-library"), {"status": "lost"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1
    # Its chip says the status was not used, as the catalogue's filters' chips do.
    assert '<a class="chip is-ignored"' in response.content.decode()


def test_my_library_query_count_is_bounded_with_hundreds_of_bookmarks(
    client_as, personas, django_assert_max_num_queries
):
    resources = ResourceFactory.create_batch(300, topic=TopicFactory(), tags=["sgd", "ntk"])
    Bookmark.objects.bulk_create(
        Bookmark(user=personas["owner"], resource=r, status="reading") for r in resources
    )
    client = client_as("owner")
    # 12, and the withdrawn section (one query for bookmarks, one for notes).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("resources:my-library"), {"status": "reading", "page": 3})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 300
    assert len(response.context["resources"]) == 50


def test_an_empty_library_says_how_to_fill_it(client_as):
    html = client_as("stranger").get(reverse("resources:my-library")).content.decode()
    assert html.count("Your library is empty.") == 1
    assert f'href="{reverse("resources:resource-list")}"' in html
    # One message, not also the catalogue's "nothing matches" and a count of nothing.
    assert "Nothing matches these filters." not in html
    assert 'class="result-count"' not in html
