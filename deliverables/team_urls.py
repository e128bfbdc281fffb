"""A team's own work: under /team/<pk>/work/ (namespace "deliverables")."""

from django.urls import path

from . import team_views

app_name = "deliverables"

WORK = "<int:pk>/work/<int:assignment_pk>/"

urlpatterns = [
    path("<int:pk>/work/", team_views.assignments, name="assignments"),
    path(WORK, team_views.submission, name="submission"),
    path(WORK + "annex.docx", team_views.annex, name="annex"),
    path(WORK + "files/", team_views.file_add, name="file_add"),
    path(WORK + "files/<int:file_pk>/", team_views.file, name="file"),
    path(WORK + "files/<int:file_pk>/remove/", team_views.file_remove, name="file_remove"),
    path(WORK + "versions/<int:number>/", team_views.version, name="version"),
    path(
        WORK + "versions/<int:number>/annex.docx", team_views.version_annex, name="version_annex"
    ),  # fmt: skip
    path(
        WORK + "feedback/<int:feedback_pk>/file/", team_views.feedback_file, name="feedback_file"
    ),  # fmt: skip
]
