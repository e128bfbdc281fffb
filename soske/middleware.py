from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from soske import clock


class RequestArrivalMiddleware:
    """Stamp the moment a request arrived, before anything slow happens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = clock.now()
        return self.get_response(request)


class FinnishFirstLocaleMiddleware(LocaleMiddleware):
    """Finnish unless the person chose otherwise (cookie or account), whatever the browser says.

    Django's LocaleMiddleware also follows Accept-Language; a Finnish public service
    opens in Finnish and offers the switch instead.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
