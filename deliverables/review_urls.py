"""A team's work as staff read it and give feedback: under /staff/work/
(namespace "deliverables_review")."""

from django.urls import path

from . import review_views

app_name = "deliverables_review"

WORK = "teams/<int:team_pk>/assignments/<int:assignment_pk>/"

urlpatterns = [
    path(WORK, review_views.submission, name="submission"),
    path(WORK + "files/<int:file_pk>/", review_views.file, name="file"),
    path(
        WORK + "feedback/<int:feedback_pk>/file/", review_views.feedback_file, name="feedback_file"
    ),  # fmt: skip
    path(
        WORK + "versions/<int:number>/annex.docx", review_views.version_annex, name="version_annex"
    ),  # fmt: skip
]
