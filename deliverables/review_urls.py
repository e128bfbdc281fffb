"""A team's work as staff read it and give feedback: under /staff/work/
(namespace "deliverables_review")."""

from django.urls import path

from . import review_views

app_name = "deliverables_review"

urlpatterns = [
    path(
        "teams/<int:team_pk>/assignments/<int:assignment_pk>/",
        review_views.submission,
        name="submission",
    ),
]
