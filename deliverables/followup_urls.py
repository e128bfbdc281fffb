"""The follow-up questionnaire: the signed link (public) and the team's page under
/follow-up/ (namespace "followup"); the coordinators' table under /staff/follow-up/
(namespace "followup_staff")."""

from django.urls import path

from . import followup_views as views

app_name = "followup"

urlpatterns = [
    path("follow-up/<str:token>/", views.answer_by_link, name="answer"),
    path("team/<int:team_pk>/follow-up/<int:round>/", views.team_answer, name="team"),
]
