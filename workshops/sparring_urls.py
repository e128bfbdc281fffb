"""Sparring, attendance and the cohort's teams for staff: under /staff/programme/
(namespace "sparring_staff")."""

from django.urls import path

from . import attendance_views, sparring_views

app_name = "sparring_staff"

urlpatterns = [
    path("rounds/<int:round_pk>/", sparring_views.round_detail, name="round"),
    path("rounds/<int:round_pk>/slots/new/", sparring_views.slots_new, name="slots_new"),
    path("rounds/<int:round_pk>/remind/", sparring_views.remind, name="remind"),
    path("rounds/<int:round_pk>/book/", sparring_views.book, name="book"),
    path("slots/<int:slot_pk>/remove/", sparring_views.slot_remove, name="slot_remove"),
    path("bookings/<int:booking_pk>/", sparring_views.booking_detail, name="booking"),
    path(
        "events/<int:event_pk>/attendance/",
        attendance_views.event_attendance,
        name="event_attendance",
    ),
    path(
        "cohorts/<int:pk>/attendance/", attendance_views.cohort_attendance, name="cohort_attendance"
    ),
    path(
        "cohorts/<int:pk>/attendance.xlsx",
        attendance_views.cohort_attendance_xlsx,
        name="cohort_attendance_xlsx",
    ),
    path("cohorts/<int:pk>/teams/", attendance_views.cohort_teams, name="cohort_teams"),
    path(
        "cohorts/<int:pk>/teams/<int:team_pk>/members/new/",
        attendance_views.member_new,
        name="member_new",
    ),
    path(
        "cohorts/<int:pk>/teams/<int:team_pk>/invitations/",
        attendance_views.invitations_resend,
        name="invitations_resend",
    ),
]
