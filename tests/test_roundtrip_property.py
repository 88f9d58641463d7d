"""Export → import into an empty database → export is byte-identical, for any library."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from resources.markdown.parse import parse_markdown
from resources.markdown.render import render_markdown
from resources.models import Library, Resource, Topic
from resources.services import import_document
from tests.markdown.strategies import document_shape, documents

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def export() -> str:
    out = io.StringIO()
    call_command("export_markdown", stdout=out)
    return out.getvalue()


def empty_catalogue() -> None:
    Resource.objects.all().delete()
    while Topic.objects.exists():  # leaves first: a parent topic is protected
        Topic.objects.filter(children__isnull=True).delete()
    Library.objects.all().delete()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents())
def test_round_trip_through_the_database_is_byte_identical(document):
    with transaction.atomic():
        import_document(parse_markdown(render_markdown(document)))
        first = export()
        empty_catalogue()
        import_document(parse_markdown(first))
        second = export()
        transaction.set_rollback(True)
    assert second == first
    # The library keeps the list's structure: sections, entries, markers, featured flags.
    assert document_shape(parse_markdown(first)) == document_shape(parse_markdown(second))
