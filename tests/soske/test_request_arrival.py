from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory

from soske import clock
from soske.middleware import RequestArrivalMiddleware, parse_request_start

NOW = datetime(2026, 12, 10, 21, 59, 59, tzinfo=UTC)


def arrival(settings, header_value, *, header="X-Request-Start"):
    settings.REQUEST_START_HEADER = header
    seen = {}

    def view(request):
        seen["at"] = request.arrived_at

    middleware = RequestArrivalMiddleware(view)
    request = RequestFactory().get("/", HTTP_X_REQUEST_START=header_value)
    with clock.travel(NOW):
        middleware(request)
    return seen["at"]


@pytest.mark.parametrize(
    "value",
    [
        f"t={(NOW - timedelta(seconds=3)).timestamp():.3f}",
        f"t={int((NOW - timedelta(seconds=3)).timestamp() * 1e6)}",
        f"{int((NOW - timedelta(seconds=3)).timestamp() * 1e3)}",
    ],
)
def test_a_trusted_proxys_stamp_is_the_arrival(settings, value):
    assert arrival(settings, value) == NOW - timedelta(seconds=3)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "t=abc",
        "t=nan",
        "t=-5",
        "t=inf",
        f"t={(NOW + timedelta(seconds=1)).timestamp()}",  # the future
        f"t={(NOW - timedelta(minutes=10)).timestamp()}",
    ],  # older than REQUEST_START_MAX_AGE
)
def test_an_unusable_stamp_is_ignored(settings, value):
    assert arrival(settings, value) == NOW


def test_without_the_setting_the_header_is_ignored(settings):
    earlier = f"t={(NOW - timedelta(seconds=3)).timestamp()}"
    assert arrival(settings, earlier, header="") == NOW


def test_parse_handles_garbage():
    assert parse_request_start("t=1e400") is None
    assert parse_request_start("t=") is None
