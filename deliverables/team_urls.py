"""A team's own work: under /team/<pk>/work/ (namespace "deliverables")."""

from django.urls import path

from . import team_views

app_name = "deliverables"

urlpatterns = [
    path("<int:pk>/work/", team_views.assignments, name="assignments"),
    path("<int:pk>/work/<int:assignment_pk>/", team_views.submission, name="submission"),
]
