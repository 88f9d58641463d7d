from django.urls import path

from resources import feeds, reader_views, suggestions, views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/feed.atom", feeds.atom_feed, name="feed-atom"),
    path("resources/feed.json", feeds.json_feed, name="feed-json"),
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
