"""The programme as coordinators run it: under /staff/programme/ (namespace "programme_staff")."""

from django.urls import path

from . import staff_views

app_name = "programme_staff"

urlpatterns = [
    path("cohorts/<int:pk>/", staff_views.cohort_programme, name="cohort"),
    path("cohorts/<int:pk>/pattern/", staff_views.from_pattern, name="pattern"),
    path("cohorts/<int:pk>/events/new/", staff_views.event_new, name="event_new"),
    path("events/<int:event_pk>/", staff_views.event_edit, name="event"),
    path("events/<int:event_pk>/cancel/", staff_views.event_cancel, name="event_cancel"),
    path("events/<int:event_pk>/invite/", staff_views.event_invite, name="event_invite"),
    path("events/<int:event_pk>/materials/new/", staff_views.material_new, name="material_new"),
    path("materials/<int:material_pk>/", staff_views.material_download, name="material"),
    path(
        "materials/<int:material_pk>/remove/",
        staff_views.material_remove,
        name="material_remove",
    ),
]
