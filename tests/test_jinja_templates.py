"""The templates drawn by Jinja2 (templates/jinja2/: list rows, the bookmark control, the filter
drawer): they escape what curators and readers wrote as the Django templates do, and a name
they do not have is an error rather than an empty string."""

import pytest
from django.template import engines
from jinja2 import UndefinedError

from resources.models import Bookmark
from tests.factories import AuthorFactory, ResourceFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.mark.parametrize(
    ("persona", "url"),
    [("anonymous", "/resources/"), ("owner", "/resources/"), ("owner", "/library/")],
)
def test_what_curators_wrote_is_escaped_in_rows_and_the_drawer(client_as, personas, persona, url):
    resource = ResourceFactory(
        title=f"Title {HOSTILE}",
        venue=f"Venue {HOSTILE}",
        authors=[AuthorFactory(name=f"Author {HOSTILE}")],
        tags=[f"tag {HOSTILE}"],
        is_featured=True,
    )
    if personas[persona] is not None:
        Bookmark.objects.create(user=personas[persona], resource=resource)
    response = client_as(persona).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<img src=x" not in html
    for written in ("Title", "Venue", "Author", "tag"):
        assert f"{written} {ESCAPED}" in html
    # The drawer's tag list shows the tag too (My library's drawer as well).
    assert f'data-tag-name="tag {ESCAPED}"' in html


def test_a_name_the_jinja2_templates_do_not_have_is_an_error():
    template = engines["jinja2"].from_string("{{ resource.titel }}")
    with pytest.raises(UndefinedError):
        template.render({"resource": ResourceFactory.build()})


def test_the_resource_page_control_rendered_without_a_request_offers_the_log_in_link():
    from django.template import Context, Template

    resource = ResourceFactory()
    template = Template("{% load reader_tags %}{% bookmark_button resource %}")
    html = template.render(Context({"resource": resource}))
    assert 'class="bookmark-login"' in html
