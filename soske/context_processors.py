from django.conf import settings


def site(request):
    return {"SOSKE_CONTACTS": settings.SOSKE_CONTACTS, "SITE_URL": settings.SITE_URL}
