from django.urls import path

from resources import discovery_views, reader_views, suggestions, views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/<int:pk>/", views.resource_detail, name="resource-detail"),
    path("topics/<str:slug>/", views.topic_detail, name="topic-detail"),
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("authors/", views.author_list, name="author-list"),
    path("authors/<str:slug>/", views.author_detail, name="author-detail"),
    # Curators' workflow (issue 6): readers' suggestions
    path("suggest/", suggestions.suggest, name="suggest"),
    path("suggestions/", suggestions.suggestion_list, name="suggestion-list"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion-detail"),
]

# Readers' own library: bookmarks, "My library" and notes.
urlpatterns += [
    path("bookmarks/<int:resource_id>/", reader_views.bookmark, name="bookmark"),
    path("library/", reader_views.my_library, name="my-library"),
    path(
        "resources/<int:resource_id>/notes/",
        reader_views.annotation_create,
        name="annotation-create",
    ),
    path(
        "resources/<int:resource_id>/notes/preview/",
        reader_views.annotation_preview,
        name="annotation-preview",
    ),
    path("notes/<int:pk>/edit/", reader_views.annotation_edit, name="annotation-edit"),
    path("notes/<int:pk>/delete/", reader_views.annotation_delete, name="annotation-delete"),
]

# Discovery: reading paths and what's new (related reading is part of the resource page).
urlpatterns += [
    path("paths/", discovery_views.path_list, name="path-list"),
    path("paths/<str:slug>/", discovery_views.path_detail, name="path-detail"),
    path("paths/<str:slug>/start/", discovery_views.path_start, name="path-start"),
    path("new/", discovery_views.whats_new, name="whats-new"),
    path("new/feed.atom", discovery_views.whats_new_feed, name="whats-new-feed"),
]
