from django.urls import path

from resources import feeds
from resources.views import catalogue, discovery, library, notes, suggestions

app_name = "resources"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("resources/", catalogue.resource_list, name="resource-list"),
    path("resources/feed.atom", feeds.atom_feed, name="feed-atom"),
    path("resources/feed.json", feeds.json_feed, name="feed-json"),
    path("resources/<int:pk>/", catalogue.resource_detail, name="resource-detail"),
    path("topics/<str:slug>/", catalogue.topic_detail, name="topic-detail"),
    path("tags/", catalogue.tag_list, name="tag-list"),
    path("tags/<str:slug>/", catalogue.tag_detail, name="tag-detail"),
    path("authors/", catalogue.author_list, name="author-list"),
    path("authors/<str:slug>/", catalogue.author_detail, name="author-detail"),
    # Curators' workflow (issue 6): readers' suggestions
    path("suggest/", suggestions.suggest, name="suggest"),
    path("suggestions/", suggestions.suggestion_list, name="suggestion-list"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion-detail"),
]

# Readers' own library: bookmarks, "My library" and notes.
urlpatterns += [
    path("bookmarks/<int:resource_id>/", library.bookmark, name="bookmark"),
    path("library/", library.my_library, name="my-library"),
    path(
        "resources/<int:resource_id>/notes/",
        notes.annotation_create,
        name="annotation-create",
    ),
    path(
        "resources/<int:resource_id>/notes/preview/",
        notes.annotation_preview,
        name="annotation-preview",
    ),
    path("notes/<int:pk>/edit/", notes.annotation_edit, name="annotation-edit"),
    path("notes/<int:pk>/delete/", notes.annotation_delete, name="annotation-delete"),
]

# Discovery: reading paths and what's new (related reading is part of the resource page).
urlpatterns += [
    path("paths/", discovery.path_list, name="path-list"),
    path("paths/<str:slug>/", discovery.path_detail, name="path-detail"),
    path("paths/<str:slug>/start/", discovery.path_start, name="path-start"),
    path("new/", discovery.whats_new, name="whats-new"),
    path("new/feed.atom", discovery.whats_new_feed, name="whats-new-feed"),
]
