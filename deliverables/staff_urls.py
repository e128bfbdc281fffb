"""The coordinators' pages of the deliverables: under /staff/work/
(namespace "deliverables_staff"). The overview and its XLSX are for all staff; every
other page is a coordinator's."""

from django.urls import path

from . import staff_views as views

app_name = "deliverables_staff"

urlpatterns = [
    path("cohorts/<int:cohort_pk>/", views.overview, name="overview"),
    path("cohorts/<int:cohort_pk>/overview.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("cohorts/<int:cohort_pk>/seed/", views.seed, name="seed"),
    path("cohorts/<int:cohort_pk>/assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.assignment_edit, name="assignment"),
    path("assignments/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("assignments/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("reopenings/<int:pk>/withdraw/", views.reopening_withdraw, name="reopening_withdraw"),
    path("assignments/<int:pk>/remind/", views.remind, name="remind"),
    path("assignments/<int:pk>/peer/open/", views.peer_open, name="peer_open"),
    path("assignments/<int:pk>/peer/close/", views.peer_close, name="peer_close"),
    path("cohorts/<int:cohort_pk>/annex/", views.conduct_items, name="conduct_items"),
    path("cohorts/<int:cohort_pk>/annex/seed/", views.conduct_seed, name="conduct_seed"),
    path("annex/<int:pk>/", views.conduct_item_edit, name="conduct_item"),
    path("annex/<int:pk>/archive/", views.conduct_item_archive, name="conduct_item_archive"),
]
