"""The shipped library: every link of the seed list is in it, and entries are curated."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from resources.markdown.urls import normalize_url
from resources.models import Author, Library, Resource, ResourceLink, Topic

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed" / "README.md"
SECTIONS = [
    "Overview", "Course", "Architecture", "Approximation", "Optimization", "Geometry", "Book",
    "Session", "generalization", "Others", "DeepModeling", "数学形式主义与计算机", "Discussion",
]  # fmt: skip


def seed_urls() -> set[str]:
    """Every http(s) URL written in the seed, with its line-broken URLs joined again."""
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"(\]\(\(?https?://[^\s)]*)\n([^\s)]*\))", r"\1\2", text)
    return {url.rstrip(".,;。") for url in re.findall(r"https?://[^\s)\]（）]+", text)}


def all_api_results(client) -> list[dict]:
    results, url = [], reverse("api-resource-list") + "?page_size=100"
    while url:
        body = client.get(url).json()
        results.extend(body["results"])
        url = body["next"]
    return results


def test_every_seed_url_is_reachable_through_the_api(client, library):
    results = all_api_results(client)
    keys = {normalize_url(r["url"]) for r in results if r["url"]}
    keys |= {normalize_url(link["url"]) for r in results for link in r["links"]}
    missing = {url for url in seed_urls() if normalize_url(url) not in keys}
    assert len(seed_urls()) >= 85
    assert missing == set()


def test_every_section_is_a_topic_in_list_order(library):
    names = list(Topic.objects.filter(parent=None).values_list("name", flat=True))
    assert names == SECTIONS


def test_every_resource_is_curated(library):
    for resource in Resource.objects.all():
        tags = set(resource.tags.names())
        assert tags, f"{resource.title} has no tag"
        assert resource.kind, resource.title
    # Authors named wherever the text names them, Chinese names as aliases.
    assert Resource.objects.filter(authors__isnull=False).distinct().count() >= 50


SPOT_CHECKS = [
    # (title, topic, kind, year, authors prefix, featured)
    ("Recent advances in deep learning theory", "Overview", "paper", 2020,
     ["Fengxiang He", "Dacheng Tao"], False),
    ("On the Principles of Parsimony and Self-Consistency for the Emergence of Intelligence",
     "Overview", "paper", 2022, ["Yi Ma", "Doris Tsao", "Heung-Yeung Shum"], True),
    ("2021 Deep learning theory lecture note", "Course", "notes", 2021, ["Matus Telgarsky"],
     False),
    ("深度学习几何课程", "Course", "course", 2022, ["Michael M. Bronstein"], False),
    ("Partial Differential Equations is All You Need for Generating Neural Architectures -- "
     "A Theory for Physical Artificial Intelligence Systems", "Architecture", "paper", 2021,
     ["Ping Guo"], False),
    ("NN Approximation Theory", "Approximation", "notes", None, [], False),
    ("Depth Separation for Neural Networks", "Approximation", "paper", 2017, ["Amit Daniely"],
     False),
    ("Universality of Deep Convolutional Neural Networks", "Approximation", "paper", 2018,
     ["Ding-Xuan Zhou"], False),
    ("beyondNTK", "Optimization", "blog", 2021, ["Yu Bai"], False),
    ("Adam", "Optimization", "paper", 2014, ["Diederik P. Kingma", "Jimmy Ba"], False),
    ("Adai", "Optimization", "code", None, ["Zeke Xie"], False),
    ("深度学习的几何学解释", "Geometry", "paper", 2020, ["Na Lei"], False),
    ("The Principles of Deep Learning Theory", "Book", "book", 2021,
     ["Daniel A. Roberts", "Sho Yaida"], False),
    ("Physics-based Deep Learning", "Book", "book", 2021, ["Nils Thuerey", "Philipp Holl"], False),
    ("Foundations of Deep Learning", "Session", "event", 2019, [], False),
    ("Deep Learning Theory 5", "Session", "event", 2021, ["Yi Ma"], False),
    ("Robust Learning with Jacobian Regularization", "generalization", "paper", 2019,
     ["Judy Hoffman"], False),
    ("Generalization-Causality", "generalization", "code", None, ["Yi-Fan Zhang"], False),
    ("Theoretical issues in deep networks", "Others", "paper", 2020, ["Tomaso Poggio"], False),
    ("A New Perspective of Entropy", "Others", "notes", 2022, ["Tai-Danae Bradley"], True),
    ("An automatic theorem proving project", "Others", "blog", 2022, ["Timothy Gowers"], True),
    ("Why Adversarial Training of ReLU Networks is Difficult?", "Others", "paper", 2022,
     ["Xu Cheng"], False),
    ("Homotopy Theoretic and Categorical Models of Neural Information Networks", "Others",
     "paper", 2020, ["Yuri Manin", "Matilde Marcolli"], False),
    ("DeepModeling", "DeepModeling", "website", None, ["Weinan E"], False),
    ("数学形式主义的兴起", "数学形式主义与计算机", "blog", 2022, ["Kevin Buzzard"], False),
    ("深度学习领域有哪些瓶颈？", "Discussion", "discussion", 2022, ["Quanshi Zhang"], False),
]  # fmt: skip


@pytest.mark.parametrize(("title", "topic", "kind", "year", "authors", "featured"), SPOT_CHECKS)
def test_spot_check_real_entries(client, library, title, topic, kind, year, authors, featured):
    resource = Resource.objects.get(title=title)
    result = client.get(reverse("api-resource-detail", args=[resource.pk])).json()
    assert result["topic"]["name"] == topic
    assert result["kind"] == kind
    assert result["year"] == year
    assert result["authors"][: len(authors)] == authors
    assert result["is_featured"] is featured
    assert result["tags"], title


def test_sub_items_hang_under_their_parent(library):
    parent = Resource.objects.get(title="NN Approximation Theory")
    markers = list(parent.children.order_by("position").values_list("marker", flat=True))
    assert markers == ["6.0", "6.1", "6.2", "6.3", "6.4", "6.5"]
    adam = Resource.objects.get(title="Adam")
    assert set(adam.children.values_list("title", flat=True)) == {
        "deep-learning-dynamics-paper-list",
        "Adai",
    }


def test_list_quirks_came_through(library):
    # A URL broken across two lines, and `[text]((url))`.
    assert ResourceLink.objects.filter(
        url="https://minerva-demo.github.io/#category=Algebra&index=1"
    ).exists()
    assert ResourceLink.objects.filter(
        url="https://github.com/twitter-research/graph-neural-pde"
    ).exists()
    adai = Resource.objects.get(title="Adai")
    assert adai.links.filter(
        url="https://www.zhihu.com/question/323747423/answer/2576604040"
    ).exists()
    # A bare URL in a description becomes a labelled secondary link.
    parsimony = Resource.objects.get(url_key="arxiv:2207.04630")
    assert list(parsimony.links.values_list("label", "url")) == [
        ("知乎解读", "https://zhuanlan.zhihu.com/p/543041107")
    ]
    # Numbering such as `2+.` is kept; the merge-conflict block's shared entry is there once.
    assert Resource.objects.get(title="2021 Deep learning theory lecture note").marker == "2+"
    assert (
        Resource.objects.filter(
            url_key=normalize_url("https://zhuanlan.zhihu.com/p/523627298")
        ).count()
        == 1
    )
    # The image is kept in the description and served from static files.
    deep_maths = Resource.objects.get(title="Deep Maths-machine learning and mathematics")
    assert "imgs/ex1_knot.png" in deep_maths.description


def test_authors_are_one_person_under_every_name(client, library):
    yi_ma = Author.find("马毅")
    assert yi_ma == Author.find("MaYi") == Author.find("Yi Ma")
    response = client.get(reverse("resources:resource-list"), {"author": yi_ma.slug})
    titles = {r.title for r in response.context["resources"]}
    assert "Deep Learning Theory 5" in titles


def test_the_list_and_its_license_ship_as_data(library):
    library_row = Library.objects.get()
    assert library_row.title == "Deep Learning Theory"
    assert "Apache" in library_row.attribution
    assert "foocker/deeplearningtheory" in library_row.attribution


def test_loading_twice_changes_nothing(library):
    before = (Resource.objects.count(), ResourceLink.objects.count(), Author.objects.count())
    call_command("load_library", verbosity=0)
    assert (
        Resource.objects.count(),
        ResourceLink.objects.count(),
        Author.objects.count(),
    ) == before


def test_description_with_image_renders_from_static(client, library):
    deep_maths = Resource.objects.get(title="Deep Maths-machine learning and mathematics")
    html = client.get(deep_maths.get_absolute_url()).content.decode()
    assert 'src="/static/library/imgs/ex1_knot.png"' in html
