"""factory_boy factories for tests; the shipped library is loaded with the `library` fixture."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from resources.models import (
    Annotation,
    Author,
    Authorship,
    Bookmark,
    Kind,
    LinkCheck,
    LinkStatus,
    PathStep,
    ReadingPath,
    ReadingStatus,
    Resource,
    ResourceLink,
    Suggestion,
    Topic,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    position = factory.Sequence(lambda n: n)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"On the theory of networks {n}")
    url = factory.Sequence(lambda n: f"https://example.org/papers/{n}")
    kind = Kind.PAPER
    year = 2021
    topic = factory.SubFactory(TopicFactory)
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                Authorship.objects.create(resource=self, author=author, position=position)


class ResourceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceLink

    resource = factory.SubFactory(ResourceFactory)
    label = "code"
    url = factory.Sequence(lambda n: f"https://github.com/example/repo{n}")


# Readers' library ---------------------------------------------------------------------------


class CuratorFactory(UserFactory):
    """A curator: staff, in the `curators` group."""

    username = factory.Sequence(lambda n: f"curator{n}")
    is_staff = True

    @factory.post_generation
    def curators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name="curators")[0])


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bookmark

    user = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)
    status = ReadingStatus.TO_READ


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    user = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)
    body = factory.Sequence(lambda n: f"Note {n}: the bound is $O(1/\\sqrt{{n}})$.")
    is_public = False


# Curators' workflow ------------------------------------------------------------------------


class LinkCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkCheck

    resource = factory.SubFactory(ResourceFactory)
    url = factory.LazyAttribute(lambda check: check.resource.url if check.resource else "")
    status = LinkStatus.OK
    http_status = 200
    checked_at = factory.LazyFunction(timezone.now)
    elapsed_ms = 12


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    user = factory.SubFactory(UserFactory)
    url = factory.Sequence(lambda n: f"https://example.net/suggested/{n}")
    title = factory.Sequence(lambda n: f"A suggested paper {n}")
    topic = factory.SubFactory(TopicFactory)
    reason = "It proves a generalization bound."


class ReadingPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadingPath

    slug = factory.Sequence(lambda n: f"path-{n}")
    title = factory.Sequence(lambda n: f"Reading path {n}")
    description = "Where this path leads."


class PathStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathStep

    path = factory.SubFactory(ReadingPathFactory)
    position = factory.Sequence(lambda n: n)
    resource = factory.SubFactory(ResourceFactory)
    note = "Why it comes here."
