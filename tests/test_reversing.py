"""`reverse_with` gives what `reverse()` gives, for every kind of value the list rows link."""

import pytest
from django.urls import reverse, set_script_prefix

from resources.reversing import reverse_with

VALUES = [
    ("resources:resource-detail", 7),
    ("resources:bookmark", 123456),
    ("resources:author-detail", "yi-ma"),
    ("resources:author-detail", "马毅"),
    ("resources:tag-detail", "深度学习-theory"),
    ("resources:topic-detail", "a_b-c~d"),
    ("resources:topic-detail", "it's+(odd)"),
]


@pytest.mark.parametrize(("name", "value"), VALUES)
def test_reverse_with_matches_reverse(name, value):
    assert reverse_with(name, value) == reverse(name, args=[value])


def test_reverse_with_follows_the_script_prefix():
    set_script_prefix("/library-app/")
    try:
        url = reverse_with("resources:author-detail", "马毅")
        assert url == reverse("resources:author-detail", args=["马毅"])
        assert url.startswith("/library-app/authors/")
    finally:
        set_script_prefix("/")


def test_a_value_containing_the_placeholder_is_kept_whole():
    assert reverse_with("resources:resource-detail", 9876543210) == reverse(
        "resources:resource-detail", args=[9876543210]
    )
