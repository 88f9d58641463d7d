"""`reverse_with` gives what `reverse()` gives, for every kind of value the list rows link."""

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from resources.reversing import PLACEHOLDER, reverse_with

VALUES = [
    ("resources:resource-detail", 7),
    ("resources:bookmark", 123456),
    ("resources:author-detail", "yi-ma"),
    ("resources:author-detail", "马毅"),
    ("resources:tag-detail", "深度学习-theory"),
    ("resources:topic-detail", "a_b-c~d"),
    ("resources:topic-detail", "it's+(odd)"),
    # A value that holds the placeholder the patterns are made with is kept whole.
    ("resources:resource-detail", int(PLACEHOLDER + "0")),
]


@pytest.mark.parametrize(("name", "value"), VALUES)
def test_reverse_with_matches_reverse(name, value):
    assert reverse_with(name, value) == reverse(name, args=[value])


def test_reverse_with_follows_the_script_prefix():
    with override_script_prefix("/library-app/"):
        url = reverse_with("resources:author-detail", "马毅")
        assert url == reverse("resources:author-detail", args=["马毅"])
        assert url.startswith("/library-app/authors/")
