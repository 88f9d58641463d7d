"""A synthetic library for `manage.py bench`, until `generate_resources` replaces it."""

from __future__ import annotations

import os
import random


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "neural tangent kernel generalization implicit bias overparameterization gradient descent "
    "landscape loss sharpness flatness approximation depth width benign overfitting double "
    "descent lottery ticket mean field infinite limit feature learning representation "
    "information bottleneck optimization convergence stability robustness transformer "
    "attention scaling law spectral bias manifold geometry sparse low rank"
)
HAN_WORDS = _words("泛化 核方法 优化 深度 宽度 表示 学习 几何 稀疏 收敛 鲁棒 注意力 理论 神经网络")
SURNAMES = _words("Ma Zhang Wang Li Chen Liu Arora Belkin Jacot Mei Montanari Bartlett Srebro")
GIVEN = _words("Yi Wei Jun Sanjeev Mikhail Arthur Song Andrea Peter Nathan Lin Hao Xin")
HAN_NAMES = _words("马毅 张伟 王军 李明 陈浩 刘欣 周杰 孙丽")


def generate(count: int, seed: int = 7) -> dict:
    """Fill the empty catalogue with `count` plausible resources; return URLs worth measuring.

    Rows are bulk-inserted (no signals), so the page-cache version is bumped once at the end.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from taggit.models import Tag, TaggedItem

    from resources.caching import bump_catalogue_version
    from resources.models import (
        Author,
        AuthorAlias,
        Authorship,
        Kind,
        Language,
        Library,
        Resource,
        ResourceLink,
        Topic,
    )

    rng = random.Random(seed)
    Library.objects.create(title="DLT Library (benchmark)", intro="Synthetic data.")
    roots = [
        Topic(name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}", slug=f"topic-{i}")
        for i in range(12)
    ]
    for position, topic in enumerate(roots):
        topic.position = position * 10
    Topic.objects.bulk_create(roots)
    subtopics = [
        Topic(
            name=f"{rng.choice(HAN_WORDS)} {rng.choice(WORDS)} {i}",
            slug=f"subtopic-{i}",
            parent=roots[i % len(roots)],
            position=(i % len(roots)) * 10 + 1 + i // len(roots),
        )
        for i in range(24)
    ]
    Topic.objects.bulk_create(subtopics)
    topics = roots + subtopics

    authors = Author.objects.bulk_create(
        Author(name=f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {i}", slug=f"author-{i}")
        for i in range(max(50, count // 5))
    )
    AuthorAlias.objects.bulk_create(
        AuthorAlias(author=author, name=f"{HAN_NAMES[i % len(HAN_NAMES)]}{i}")
        for i, author in enumerate(authors[: len(authors) // 4])
    )
    tags = Tag.objects.bulk_create(
        Tag(name=name, slug=name.replace(" ", "-"))
        for name in sorted({f"{a} {b}" for a, b in zip(WORDS, WORDS[1:], strict=False)})[:60]
    )
    kinds = [k for k, _ in Kind.choices]
    resources = []
    for i in range(count):
        chinese = i % 7 == 0
        words = rng.sample(HAN_WORDS if chinese else WORDS, 5)
        title = ("" if chinese else "On ") + " ".join(words) + f" {i}"
        resources.append(
            Resource(
                title=title,
                url=f"https://arxiv.org/abs/{1000 + i // 9999}.{i % 9999:05d}v1",
                url_key=f"arxiv:{1000 + i // 9999}.{i % 9999:05d}",
                arxiv_id=f"{1000 + i // 9999}.{i % 9999:05d}",
                kind=kinds[i % len(kinds)] if i % 3 else Kind.PAPER,
                year=2000 + i % 26,
                venue=rng.choice(["NeurIPS", "ICML", "ICLR", "COLT", "JMLR", ""]),
                description=f"**{words[0]}** and *{words[1]}*: see $O(n^2)$ bounds. "
                + " ".join(rng.choices(WORDS, k=30)),
                language=Language.CHINESE if chinese else Language.ENGLISH,
                is_featured=i % 97 == 0,
                topic=topics[i % len(topics)],
                position=i // len(topics),
            )
        )
    resources = Resource.objects.bulk_create(resources, batch_size=2000)
    Authorship.objects.bulk_create(
        (
            Authorship(resource=r, author=author, position=p)
            for r in resources
            for p, author in enumerate(rng.sample(authors, rng.randint(1, 4)))
        ),
        batch_size=5000,
    )
    ResourceLink.objects.bulk_create(
        (
            ResourceLink(resource=r, label="code", url=f"https://github.com/example/r{r.pk}")
            for r in resources
            if r.pk % 3 == 0
        ),
        batch_size=5000,
    )
    content_type = ContentType.objects.get_for_model(Resource)
    TaggedItem.objects.bulk_create(
        (
            TaggedItem(tag=tag, content_type=content_type, object_id=r.pk)
            for r in resources
            for tag in rng.sample(tags, rng.randint(0, 4))
        ),
        batch_size=5000,
    )
    bump_catalogue_version()

    user = get_user_model().objects.create_user("bench-reader", password=os.urandom(8).hex())
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()

    # A filter that matches a page or so of rows: the busiest topic, its commonest kind and tag.
    topic = roots[0]
    in_topic = Resource.objects.in_topic(topic)
    kind = in_topic.values_list("kind", flat=True).order_by("kind").first()
    tag = Tag.objects.filter(resource__in=in_topic.filter(kind=kind)).order_by("pk").first()
    middle = resources[len(resources) // 2]
    return {
        "count": count,
        "session": session.session_key,
        "pages": {
            "healthz": "/healthz",
            "catalogue (anonymous, cached)": "/resources/",
            "catalogue (signed in, uncached)": "/resources/",
            "filtered list (topic+kind+tag)": f"/resources/?topic={topic.slug}&kind={kind}"
            f"&tag={tag.slug}",
            "search": "/resources/?q=kernel",
            "resource page": f"/resources/{middle.pk}/",
            "API list": "/api/resources/",
        },
    }
