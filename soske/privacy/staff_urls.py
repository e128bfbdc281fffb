from django.urls import path

from . import views

app_name = "privacy_staff"

urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/run/", views.retention_run, name="retention_run"),
    path("erase/", views.erase_search, name="erase_search"),
    path("erase/<int:pk>/", views.erase, name="erase"),
]
