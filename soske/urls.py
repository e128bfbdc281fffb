from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from applications import interview_views
from soske import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Soske"

urlpatterns = [
    path("", include("cohorts.urls")),
    path("", include("applications.urls")),
    path("staff/outbox/", include("soske.mail.urls")),
    path("staff/", include("applications.staff_urls")),
    path("team/", include("cohorts.team_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.set_language, name="set_language"),
    path("calendar/<str:token>.ics", interview_views.feed, name="calendar_feed"),
    path("healthz/", views.healthz, name="healthz"),
]
