"""Resilience: friendly error pages, health probes, database outages, hostile input."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from resources.views.health import server_error
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    """A client that returns error responses instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


def database_down():
    return mock.patch.object(
        CursorWrapper, "execute", side_effect=OperationalError("connection refused")
    )


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_stays_up_while_the_database_is_down(client):
    with database_down():
        assert client.get(reverse("healthz")).status_code == 200


def test_readyz_is_200_when_the_database_answers(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.content.startswith(b"ready\n")
    assert b"cache: available" in response.content


def test_readyz_is_503_without_traceback_when_the_database_is_down(quiet_client):
    with database_down():
        response = quiet_client.get(reverse("readyz"))
    assert response.status_code == 503
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("name", ["resources:home", "resources:resource-list", "api-topic-list"])
def test_a_database_outage_gives_a_503_page_not_a_traceback(quiet_client, name):
    with database_down():
        response = quiet_client.get(reverse(name))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "temporarily unavailable" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_a_database_outage_while_loading_the_session_is_a_503_too(quiet_client):
    quiet_client.cookies["sessionid"] = "x" * 32
    with database_down():
        response = quiet_client.get(reverse("resources:resource-list"))
    assert response.status_code == 503
    assert "temporarily unavailable" in response.content.decode()


def test_unknown_address_gets_the_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/resources/"' in html


def test_an_unexpected_error_gets_the_static_500_page(quiet_client):
    with mock.patch("resources.views.catalogue.render", side_effect=RuntimeError("boom")):
        response = quiet_client.get(reverse("resources:tag-list"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "boom" not in html and "Traceback" not in html


def test_handler500_tells_a_database_outage_from_other_errors(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        outage = server_error(rf.get("/"))
    try:
        raise KeyError("bug")
    except KeyError:
        bug = server_error(rf.get("/"))
    assert outage.status_code == 503
    assert bug.status_code == 500


def test_nul_bytes_in_the_query_are_dropped_and_the_page_served(client):
    ResourceFactory(title="Neural tangent kernel")
    response = client.get(reverse("resources:resource-list"), {"q": "tangent\x00", "page": "1\x00"})
    assert response.status_code == 200
    assert "Neural <mark>tangent</mark> kernel" in response.content.decode()


def test_nul_bytes_in_the_path_or_a_form_are_refused_with_400(client):
    assert client.get("/tags/a%00b/").status_code == 400
    assert client.post(reverse("login"), {"username": "a\x00", "password": "x"}).status_code == 400
