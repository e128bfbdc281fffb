from django.urls import path

from . import views

app_name = "staff_accounts"

urlpatterns = [
    path("", views.staff_accounts, name="list"),
    path("<int:pk>/reset-second-factor/", views.mfa_reset_confirm, name="mfa_reset"),
]
