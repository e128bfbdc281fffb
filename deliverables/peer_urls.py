"""The peer phase as a team sees it: under /team/<pk>/peers/ (namespace "peers")."""

from django.urls import path

from . import peer_views

app_name = "peers"

urlpatterns = [
    path("<int:pk>/peers/<int:assignment_pk>/", peer_views.assignment, name="assignment"),
    path(
        "<int:pk>/peers/<int:assignment_pk>/files/<int:file_pk>/",
        peer_views.file,
        name="file",
    ),
]
