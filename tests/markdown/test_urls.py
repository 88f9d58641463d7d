"""URL keys: one work, one resource."""

import re

import pytest
from hypothesis import given, settings

from resources.markdown.urls import arxiv_id, doi, normalize_url
from tests.markdown.strategies import urls


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2012.10931",
        "https://arxiv.org/abs/2012.10931v3",
        "https://arxiv.org/pdf/2012.10931",
        "https://arxiv.org/pdf/2012.10931v2",
        "https://arxiv.org/pdf/2012.10931.pdf",
        "https://arxiv.org/pdf/2012.10931v2.pdf",
        "http://export.arxiv.org/abs/2012.10931",
        "https://www.arxiv.org/abs/2012.10931/",
        " https://arxiv.org/abs/2012.10931 ",
    ],
)
def test_every_arxiv_form_is_one_key(url):
    assert normalize_url(url) == "arxiv:2012.10931"
    assert arxiv_id(url) == "2012.10931"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("http://arxiv.org/pdf/hep-th/9901001v2.pdf", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/abs/2103.08313", "2103.08313"),
        ("https://arxiv.org/abs/1412.6980", "1412.6980"),
    ],
)
def test_arxiv_ids_new_and_old_style(url, expected):
    assert arxiv_id(url) == expected
    assert normalize_url(url) == f"arxiv:{expected}"


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/list/cs.LG/recent",
        "https://github.com/arxiv.org/abs/2012.10931",
        "https://notarxiv.org/abs/2012.10931",
        "https://www.youtube.com/watch?v=wXZKoHEzASg",
        "",
    ],
)
def test_not_arxiv(url):
    assert arxiv_id(url) is None
    assert not normalize_url(url).startswith("arxiv:")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://doi.org/10.1016/j.eng.2019.09.010", "10.1016/j.eng.2019.09.010"),
        ("http://dx.doi.org/10.1038/s41586-021-04086-x", "10.1038/s41586-021-04086-x"),
        ("https://dl.acm.org/doi/abs/10.5555/3455716.3455900", "10.5555/3455716.3455900"),
        ("https://dl.acm.org/doi/10.1145/3065386", "10.1145/3065386"),
        ("https://dl.acm.org/doi/pdf/10.1145/3065386", "10.1145/3065386"),
    ],
)
def test_doi(url, expected):
    assert doi(url) == expected
    assert normalize_url(url) == f"doi:{expected.lower()}"


def test_doi_only_from_doi_hosts():
    # The seed's Engineering link has a DOI-like path but is a publisher page, not doi.org.
    assert doi("http://www.engineering.org.cn/ch/10.1016/j.eng.2019.09.010") is None
    assert doi("https://dl.acm.org/profile/81100") is None


def test_same_doi_from_two_hosts_is_one_key():
    assert normalize_url("https://doi.org/10.1145/3065386") == normalize_url(
        "https://dl.acm.org/doi/abs/10.1145/3065386"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.ORG/Path/", "https://example.org/Path"),
        ("http://www.offconvex.org/", "https://www.offconvex.org"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://mjt.cs.illinois.edu/dlt/ ", "https://mjt.cs.illinois.edu/dlt"),
        ("https://minerva-demo.\ngithub.io/a", "https://minerva-demo.github.io/a"),
        (
            "https://gowers.wordpress.com/2022/04/28/announcing/#more-6531",
            "https://gowers.wordpress.com/2022/04/28/announcing",
        ),
        (
            "https://minerva-demo.github.io/#category=Algebra&index=1",
            "https://minerva-demo.github.io",
        ),
        ("https://example.org/app/#/papers/12/", "https://example.org/app#/papers/12"),
        ("https://example.org/#!/about", "https://example.org#!/about"),
        (
            "https://zhuanlan.zhihu.com/p/667124121?utm_psn=1720158102207287296",
            "https://zhuanlan.zhihu.com/p/667124121",
        ),
        (
            "https://openreview.net/forum?id=G70Z8ds32C9",
            "https://openreview.net/forum?id=G70Z8ds32C9",
        ),
        ("./imgs/ex1_knot.png", "./imgs/ex1_knot.png"),
    ],
)
def test_generic_normalisation(url, expected):
    assert normalize_url(url) == expected


def test_http_and_https_meet_but_www_does_not():
    assert normalize_url("http://www.offconvex.org/2021/") == normalize_url(
        "https://www.offconvex.org/2021"
    )
    assert normalize_url("https://offconvex.org") != normalize_url("https://www.offconvex.org")


def test_seed_arxiv_links_become_arxiv_keys(seed_text):
    found = re.findall(r"https?://arxiv\.org/[^\s()]+", seed_text)
    assert len(found) > 10
    assert all(re.fullmatch(r"arxiv:\d{4}\.\d{4,5}", normalize_url(url)) for url in found)


@settings(max_examples=200, deadline=None)
@given(urls())
def test_normalize_url_is_idempotent(url):
    key = normalize_url(url)
    assert normalize_url(key) == key
    assert key == key.strip() and " " not in key
