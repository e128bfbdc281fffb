"""The programme as a team sees it: under /team/<pk>/ (namespace "programme")."""

from django.urls import path

from . import team_views

app_name = "programme"

urlpatterns = [
    path("<int:pk>/calendar/", team_views.calendar, name="calendar"),
    path("<int:pk>/sparring/<int:round_pk>/", team_views.sparring, name="sparring"),
]
