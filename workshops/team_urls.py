"""The programme as a team sees it: under /team/<pk>/ (namespace "programme")."""

from django.urls import path

from . import team_views

app_name = "programme"

urlpatterns = [
    path("<int:pk>/calendar/", team_views.calendar, name="calendar"),
    path("<int:pk>/events/<int:event_pk>/", team_views.event, name="event"),
    path("<int:pk>/events/<int:event_pk>/event.ics", team_views.event_ics, name="event_ics"),
    path(
        "<int:pk>/events/<int:event_pk>/materials/<int:material_pk>/",
        team_views.material,
        name="material",
    ),
    path("<int:pk>/sparring/<int:round_pk>/", team_views.sparring, name="sparring"),
    path(
        "<int:pk>/sparring/<int:round_pk>/cancel/",
        team_views.sparring_cancel,
        name="sparring_cancel",
    ),
    path(
        "<int:pk>/sparring/<int:round_pk>/sparring.ics",
        team_views.sparring_ics,
        name="sparring_ics",
    ),
]
