"""The benchmark's library: `generate_resources` fills it, this picks what to measure."""

from __future__ import annotations

import os

from django.core.management import call_command

BOOKMARKS = 200  # held by the signed-in reader


def generate(count: int, seed: int = 7) -> dict:
    """Fill the empty catalogue with `count` synthetic resources; return URLs worth measuring.

    `generate_resources` writes rows (and their search documents) in bulk, without signals, so
    the page-cache version is bumped once at the end.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from taggit.models import Tag

    from resources.caching import bump_catalogue_version, bump_readers_version
    from resources.models import Bookmark, Resource, Topic

    with open(os.devnull, "w") as quiet:
        call_command("generate_resources", count=count, seed=seed, stdout=quiet)
    bump_catalogue_version()

    user = get_user_model().objects.create_user("bench-reader", password=os.urandom(8).hex())
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    # The signed-in reader holds 200 bookmarks spread over the catalogue, as a keen reader would.
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // BOOKMARKS)
    Bookmark.objects.bulk_create(
        Bookmark(user=user, resource_id=pk) for pk in ids[::step][:BOOKMARKS]
    )
    bump_readers_version()

    # A filter that matches a page or so of rows: the busiest topic, its commonest kind and tag.
    topic = (
        Topic.objects.filter(parent=None)
        .annotate(n=Count("resources"))
        .order_by("-n", "pk")
        .first()
    )
    in_topic = Resource.objects.in_topic(topic)
    kind = in_topic.values("kind").annotate(n=Count("pk")).order_by("-n", "kind").first()["kind"]
    tag = (
        Tag.objects.filter(resource__in=in_topic.filter(kind=kind))
        .annotate(n=Count("pk"))
        .order_by("-n", "pk")
        .first()
    )
    middle = Resource.objects.order_by("pk")[count // 2]
    return {
        "count": count,
        "session": session.session_key,
        "pages": {
            "healthz": "/healthz",
            "catalogue (anonymous, cached)": "/resources/",
            "catalogue (signed in)": "/resources/",
            "filtered list (topic+kind+tag)": f"/resources/?topic={topic.slug}&kind={kind}"
            f"&tag={tag.slug}",
            "search": "/resources/?q=kernel",
            "resource page": f"/resources/{middle.pk}/",
            "API list": "/api/resources/",
        },
    }
