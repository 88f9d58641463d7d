"""Readers suggest resources; curators accept or reject them in the admin's queue."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from resources.models import Kind, Resource, Suggestion, SuggestionStatus
from tests.factories import (
    CuratorFactory,
    ResourceFactory,
    SuggestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
QUEUE = "admin:resources_suggestion_changelist"


@pytest.fixture(autouse=True)
def _login_url(settings):
    # The readers' accounts pages (another issue) provide the real login page.
    settings.LOGIN_URL = "/admin/login/"


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["resources:suggest", "resources:suggestion-list"])
def test_anonymous_readers_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=")


def test_a_reader_suggests_a_resource(client, reader):
    topic = TopicFactory(name="泛化")
    response = client.post(
        reverse("resources:suggest"),
        {
            "url": "https://arxiv.org/abs/2501.00001",
            "title": "一个新的泛化界",
            "topic": topic.pk,
            "reason": "Tight bound.",
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.user, suggestion.status, suggestion.topic) == (
        reader,
        SuggestionStatus.PENDING,
        topic,
    )
    page = client.get(reverse("resources:suggestion-list")).content.decode()
    assert "一个新的泛化界" in page
    assert 'lang="zh-Hans"' in page


def test_the_form_warns_when_the_url_is_catalogued_and_asks_to_confirm(client, reader):
    existing = ResourceFactory(
        url="https://arxiv.org/abs/1806.07572", title="Neural Tangent Kernel"
    )
    data = {
        "url": "http://arxiv.org/pdf/1806.07572v4.pdf",
        "title": "NTK",
        "topic": existing.topic_id,
    }
    response = client.post(reverse("resources:suggest"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "in the library already" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert 'name="confirm"' in html
    assert not Suggestion.objects.exists()
    response = client.post(reverse("resources:suggest"), {**data, "confirm": "on"})
    assert response.status_code == 302
    assert Suggestion.objects.count() == 1


def test_bad_input_is_reported_not_a_500(client, reader):
    response = client.post(reverse("resources:suggest"), {"url": "not a url", "topic": 99999})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"url", "title", "topic"} <= set(form.errors)


def test_suggesting_the_same_address_twice_while_pending_is_refused(client, reader):
    first = SuggestionFactory(user=reader, url="https://example.net/x")
    response = client.post(
        reverse("resources:suggest"),
        {"url": "https://example.net/x/", "title": "again", "topic": first.topic_id},
    )
    assert "waiting for a curator" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_readers_see_only_their_own_suggestions(client, reader):
    mine = SuggestionFactory(user=reader, title="Mine")
    theirs = SuggestionFactory(title="Someone else's")
    page = client.get(reverse("resources:suggestion-list"))
    assert list(page.context["suggestions"]) == [mine]
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_reader_sees_the_outcome(client, reader):
    resource = ResourceFactory(title="Accepted work")
    SuggestionFactory(user=reader, status=SuggestionStatus.ACCEPTED, resource=resource)
    SuggestionFactory(
        user=reader, status=SuggestionStatus.REJECTED, rejection_reason="Out of scope."
    )
    html = client.get(reverse("resources:suggestion-list")).content.decode()
    assert "Accepted" in html and f'href="{resource.get_absolute_url()}"' in html
    assert "Rejected" in html and "Out of scope." in html


def test_queue_shows_pending_by_default(client):
    client.force_login(CuratorFactory())
    pending = SuggestionFactory()
    SuggestionFactory(status=SuggestionStatus.REJECTED, rejection_reason="no")
    queue = client.get(reverse(QUEUE))
    assert list(queue.context["cl"].result_list) == [pending]
    everything = client.get(reverse(QUEUE), {"status": "all"})
    assert len(everything.context["cl"].result_list) == 2


def test_curator_accepts_a_suggestion_which_creates_the_resource(client):
    curator = CuratorFactory()
    client.force_login(curator)
    topic = TopicFactory()
    ResourceFactory(topic=topic, position=4)
    suggestion = SuggestionFactory(url="https://github.com/example/theory", topic=topic)
    response = client.post(
        reverse(QUEUE), {"action": "accept_suggestions", ACTION_CHECKBOX_NAME: [suggestion.pk]}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    resource = suggestion.resource
    assert (suggestion.status, suggestion.decided_by) == (SuggestionStatus.ACCEPTED, curator)
    assert suggestion.decided_at is not None
    assert (resource.title, resource.topic, resource.position) == (suggestion.title, topic, 5)
    assert resource.kind == Kind.CODE  # guessed from the address
    assert resource.history.get().history_user == curator


def test_accepting_a_suggestion_already_catalogued_points_at_that_entry():
    existing = ResourceFactory(url="https://example.org/known")
    suggestion = SuggestionFactory(url="http://example.org/known/")
    from resources import services

    assert services.accept_suggestion(suggestion=suggestion, curator=None) == existing
    assert Resource.objects.count() == 1
    with pytest.raises(ValueError):
        services.accept_suggestion(suggestion=suggestion, curator=None)


def test_curator_rejects_with_a_reason_through_a_form(client):
    curator = CuratorFactory()
    client.force_login(curator)
    suggestion = SuggestionFactory()
    data = {"action": "reject_suggestions", ACTION_CHECKBOX_NAME: [suggestion.pk]}
    form_page = client.post(reverse(QUEUE), data)
    assert form_page.status_code == 200 and 'name="reason"' in form_page.content.decode()
    empty = client.post(reverse(QUEUE), {**data, "apply": "1", "reason": "  "})
    assert empty.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    client.post(reverse(QUEUE), {**data, "apply": "1", "reason": "Not about theory."})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rejection_reason, suggestion.decided_by) == (
        SuggestionStatus.REJECTED,
        "Not about theory.",
        curator,
    )
    assert not Resource.objects.exists()


def test_a_reader_cannot_moderate(client, reader):
    suggestion = SuggestionFactory()
    response = client.post(
        reverse(QUEUE), {"action": "accept_suggestions", ACTION_CHECKBOX_NAME: [suggestion.pk]}
    )
    assert response.status_code == 302 and "login" in response.url
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


@pytest.mark.parametrize("count", [2, 25])
def test_queue_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    client.force_login(CuratorFactory())
    SuggestionFactory.create_batch(count, topic=TopicFactory(), resource=ResourceFactory())
    with django_assert_max_num_queries(12):
        response = client.get(reverse(QUEUE))
    assert len(response.context["cl"].result_list) == count
