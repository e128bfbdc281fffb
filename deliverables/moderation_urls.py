"""The peer phase as coordinators moderate it: under /staff/work/peers/
(namespace "peers_staff")."""

from django.urls import path

from . import moderation_views

app_name = "peers_staff"

urlpatterns = [
    path("<int:assignment_pk>/", moderation_views.comments, name="comments"),
    path(
        "<int:assignment_pk>/comments/<int:comment_pk>/hide/",
        moderation_views.hide,
        name="hide",
    ),
    path(
        "<int:assignment_pk>/comments/<int:comment_pk>/show/",
        moderation_views.show,
        name="show",
    ),
]
