import math
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from soske import clock


class RequestArrivalMiddleware:
    """Stamp the moment a request arrived, before anything slow happens.

    Under load a request can wait in the server's accept queue before a worker takes it.
    Behind a proxy that stamps requests as they come in (nginx:
    ``proxy_set_header X-Request-Start "t=${msec}";``), set REQUEST_START_HEADER to that
    header and its time is used instead, within REQUEST_START_MAX_AGE seconds of now and
    never in the future. Only enable it where the proxy overwrites the header: a client
    could otherwise send an earlier time.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        header = settings.REQUEST_START_HEADER
        self.meta_key = "HTTP_" + header.upper().replace("-", "_") if header else ""
        self.max_age = timedelta(seconds=settings.REQUEST_START_MAX_AGE)

    def __call__(self, request):
        moment = clock.now()
        if self.meta_key:
            stamped = parse_request_start(request.META.get(self.meta_key, ""))
            if stamped is not None and moment - self.max_age <= stamped <= moment:
                moment = stamped
        request.arrived_at = moment
        return self.get_response(request)


def parse_request_start(value: str):
    """'t=1764316800.123' (seconds, nginx's $msec) or 't=1764316800123456' (microseconds)."""
    value = value.strip().removeprefix("t=")
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    if number > 1e14:  # microseconds
        number /= 1e6
    elif number > 1e11:  # milliseconds
        number /= 1e3
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


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


class NoStoreMiddleware:
    """Staff pages, the admin and every export or private file: `Cache-Control: no-store`,
    so no browser or proxy keeps a copy of personal data or scores after the person left
    the page (a shared computer, the back button after signing out)."""

    PREFIXES = ("/staff/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        attachment = response.get("Content-Disposition", "").startswith("attachment")
        if attachment or request.path.startswith(self.PREFIXES):
            response["Cache-Control"] = "no-store, private"
        return response


class QueryCountMiddleware:
    """Benchmarks only (SOSKE_COUNT_QUERIES=1, never set in production): the number of SQL
    queries a request made, in the `X-Soske-Queries` response header, so bench/pages.py
    reads it from the server it times instead of a second, in-process request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Soske-Queries"] = str(count)
        return response
