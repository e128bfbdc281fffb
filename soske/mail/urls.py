from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.outbox, name="list"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("resend-failed/", views.resend_failed, name="resend_failed"),
]
