from django.urls import path

from resources import suggestions, views

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
