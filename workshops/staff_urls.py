"""The programme as coordinators run it: under /staff/programme/ (namespace "programme_staff")."""

app_name = "programme_staff"

urlpatterns = []
