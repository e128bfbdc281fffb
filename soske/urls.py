from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from soske import views
from soske.calendar import views as calendar_views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Soske"

urlpatterns = [
    path("", include("cohorts.urls")),
    path("", include("applications.urls")),
    path("staff/outbox/", include("soske.mail.urls")),
    path("staff/accounts/", include("soske.users.urls")),
    path("staff/", include("applications.staff_urls")),
    path("team/", include("cohorts.team_urls")),
    path("team/", include("workshops.team_urls")),
    path("staff/programme/", include("workshops.staff_urls")),
    path("staff/programme/", include("workshops.sparring_urls")),
    path("team/", include("deliverables.team_urls")),
    path("team/", include("deliverables.peer_urls")),
    path("staff/work/", include("deliverables.staff_urls")),
    path("staff/work/", include("deliverables.review_urls")),
    path("staff/work/peers/", include("deliverables.moderation_urls")),
    path("staff/work/books/", include("deliverables.book_urls")),
    path("team/", include("deliverables.summary_urls")),
    path("", include("deliverables.followup_urls")),
    path("staff/follow-up/", include("deliverables.followup_staff_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/", include("soske.privacy.urls")),
    path("staff/privacy/", include("soske.privacy.staff_urls")),
    path("staff/exports/", include("soske.exports.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.set_language, name="set_language"),
    path("calendar/", calendar_views.feed_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    path("healthz/", views.healthz, name="healthz"),
]

handler400 = "soske.error_views.bad_request"
handler403 = "soske.error_views.permission_denied"
handler404 = "soske.error_views.page_not_found"
handler500 = "soske.error_views.server_error"
