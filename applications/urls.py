from django.urls import path

from . import interview_views, views

app_name = "applications"

urlpatterns = [
    path("applications/", views.my_applications, name="mine"),
    path("apply/<slug:slug>/", views.start, name="start"),
    path("applications/<int:pk>/step/<slug:step>/", views.step, name="step"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/receipt/<int:number>/", views.receipt, name="receipt"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("applications/<int:pk>/colleagues/", views.invite, name="invite"),
    path("applications/<int:pk>/document/", views.policy_file, name="file"),
    path("applications/<int:pk>/interview/", interview_views.booking, name="interview"),
    path(
        "applications/<int:pk>/interview/cancel/",
        interview_views.cancel,
        name="interview_cancel",
    ),
    path(
        "applications/<int:pk>/commitment/resend/",
        views.commitment_resend,
        name="commitment_resend",
    ),
    path("invitations/<uuid:token>/", views.invite_accept, name="invite_accept"),
    path("commitment/<uuid:token>/", views.commitment, name="commitment"),
]
