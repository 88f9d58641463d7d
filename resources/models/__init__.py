"""The library's models, by area. Import them from here: `from resources.models import Resource`.

- catalogue: topics, resources, authors and links (anyone reads; curators edit);
- vocabulary: the kinds of resource, the languages, slugs and `lang` attributes;
- readers: bookmarks and notes (each reader's own);
- curation: link checks, suggestions, history (curators);
- synonyms: search synonym groups (curators);
- paths: curated reading paths (anyone reads; curators compose);
- jobs: background work and its outcome (curators).
"""

from resources.models.catalogue import (
    Author,
    AuthorAlias,
    Authorship,
    Kind,
    Language,
    Library,
    Resource,
    ResourceLink,
    ResourceQuerySet,
    Topic,
    TopicQuerySet,
    lang_of,
    unique_slug,
)
from resources.models.curation import (
    LinkCheck,
    LinkStatus,
    Suggestion,
    SuggestionStatus,
    TagSnapshot,
)
from resources.models.jobs import Job, JobKind, JobState
from resources.models.paths import PathStep, ReadingPath, ReadingPathQuerySet
from resources.models.readers import (
    Annotation,
    AnnotationQuerySet,
    Bookmark,
    BookmarkQuerySet,
    ReaderProfile,
    ReadingStatus,
)
from resources.models.synonyms import SearchSynonym

__all__ = [
    "Annotation",
    "AnnotationQuerySet",
    "Author",
    "AuthorAlias",
    "Authorship",
    "Bookmark",
    "BookmarkQuerySet",
    "Job",
    "JobKind",
    "JobState",
    "Kind",
    "Language",
    "Library",
    "LinkCheck",
    "LinkStatus",
    "PathStep",
    "ReadingPath",
    "ReadingPathQuerySet",
    "ReaderProfile",
    "ReadingStatus",
    "Resource",
    "ResourceLink",
    "ResourceQuerySet",
    "SearchSynonym",
    "Suggestion",
    "SuggestionStatus",
    "TagSnapshot",
    "Topic",
    "TopicQuerySet",
    "lang_of",
    "unique_slug",
]
