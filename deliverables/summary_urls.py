"""A team's one-page summary: under /team/<pk>/summary/ (namespace "team_summary")."""

from django.urls import path

from . import book_views

app_name = "team_summary"

urlpatterns = [
    path("<int:pk>/summary/", book_views.team_summary, name="page"),
    path("<int:pk>/summary/start/", book_views.team_summary_start, name="start"),
    path("<int:pk>/summary/status/", book_views.team_summary_status, name="status"),
    path(
        "<int:pk>/summary/<int:book_pk>/download/",
        book_views.team_summary_download,
        name="download",
    ),
]
