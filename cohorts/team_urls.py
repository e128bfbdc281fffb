from django.urls import path

from . import team_views

app_name = "team"

urlpatterns = [
    path("", team_views.home, name="home"),
    path("<int:pk>/", team_views.detail, name="detail"),
    path("join/<uuid:token>/", team_views.join, name="join"),
]
