from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.home, name="home"),
    path("call/<slug:slug>/", views.call, name="call"),
    path("staff/cohorts/", views.cohort_list, name="list"),
    path("staff/cohorts/new/", views.cohort_create_view, name="create"),
    path("staff/cohorts/<int:pk>/", views.cohort_edit, name="edit"),
    path("staff/cohorts/<int:pk>/copy/", views.cohort_copy_view, name="copy"),
]
