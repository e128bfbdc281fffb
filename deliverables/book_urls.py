"""The results book: under /staff/work/books/ (namespace "results_book")."""

from django.urls import path

from . import book_views

app_name = "results_book"

urlpatterns = [
    path("cohorts/<int:cohort_pk>/", book_views.cohort_book, name="cohort"),
    path("cohorts/<int:cohort_pk>/start/", book_views.cohort_book_start, name="start"),
    path("cohorts/<int:cohort_pk>/status/", book_views.cohort_book_status, name="status"),
    path("<int:book_pk>/download/", book_views.cohort_book_download, name="download"),
]
