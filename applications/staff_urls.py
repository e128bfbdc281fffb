from django.urls import path

from . import staff

app_name = "staff"

urlpatterns = [
    path("applications/", staff.application_list, name="applications"),
    path("applications/export.xlsx", staff.application_export, name="export"),
    path("applications/<int:pk>/", staff.application_detail, name="application"),
    path("applications/<int:pk>/document/", staff.application_file, name="file"),
]
