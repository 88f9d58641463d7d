"""schemathesis fuzzes the API from its own OpenAPI schema: no input makes it fail with 5xx."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dlt_library.wsgi import application
from tests.factories import AuthorFactory, ResourceFactory, TopicFactory

pytestmark = [pytest.mark.slow]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_finished, whose close_old_connections would
    close the test's transaction on PostgreSQL; Django's own test client unhooks it the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def catalogue(db, keep_test_connection):
    topic = TopicFactory(name="几何", slug="几何")
    author = AuthorFactory(name="Yi Ma", slug="yi-ma")
    ResourceFactory(topic=topic, tags=["ntk", "几何"], authors=[author], description="$x^2$")
    ResourceFactory(topic=TopicFactory(slug="optimization", parent=topic), year=None)


# Loaded at collection: the schema is generated from code and needs no database. (The lazy
# `schemathesis.pytest.from_fixture` loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_answers_5xx(case, catalogue):
    case.call_and_validate(checks=[not_a_server_error])
