"""Assignments, the overview and feedback for staff: under /staff/work/
(namespace "deliverables_staff")."""

from django.urls import path

from . import staff_views

app_name = "deliverables_staff"

urlpatterns = [
    path("cohorts/<int:cohort_pk>/", staff_views.overview, name="overview"),
]
