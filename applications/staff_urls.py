from django.urls import path

from . import interview_views, selection_views, staff

app_name = "staff"

urlpatterns = [
    path("applications/", staff.application_list, name="applications"),
    path("applications/export.xlsx", staff.application_export, name="export"),
    path("applications/<int:pk>/", staff.application_detail, name="application"),
    path("applications/<int:pk>/document/", staff.application_file, name="file"),
    path("applications/<int:pk>/interview/", interview_views.manage, name="interview_manage"),
    path("interviews/", interview_views.calendar, name="interviews"),
    path("interviews/slots/new/", interview_views.slots_new, name="slots_new"),
    path("interviews/slots/<int:pk>/delete/", interview_views.slot_delete, name="slot_delete"),
    path("interviews/unbooked/", interview_views.unbooked, name="interviews_unbooked"),
    path("interviews/<int:pk>/", interview_views.interview_detail, name="interview"),
    path("calendar-feed/", interview_views.feed_settings, name="calendar_feed"),
    path("reviews/", selection_views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", selection_views.score, name="score"),
    path("cohorts/<int:pk>/assignments/", selection_views.assignments, name="assignments"),
    path("cohorts/<int:pk>/ranking/", selection_views.ranking, name="ranking"),
    path("cohorts/<int:pk>/release/", selection_views.release, name="release"),
    path("cohorts/<int:pk>/reviews.xlsx", selection_views.reviews_export, name="reviews_export"),
    path("applications/<int:pk>/decision/", selection_views.mark, name="mark"),
    path(
        "applications/<int:pk>/commitment/resend/",
        selection_views.commitment_resend,
        name="commitment_resend",
    ),
    path("applications/<int:pk>/history/", selection_views.history, name="history"),
]
