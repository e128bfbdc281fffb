"""Sparring, attendance and the cohort's teams for staff: under /staff/programme/
(namespace "sparring_staff")."""

app_name = "sparring_staff"

urlpatterns = []
