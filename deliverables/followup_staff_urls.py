from django.urls import path

from . import followup_views as views

app_name = "followup_staff"

urlpatterns = [
    path("", views.followup_list, name="list"),
    path("remind/", views.followup_remind, name="remind"),
    path("follow-up.xlsx", views.followup_xlsx, name="xlsx"),
]
