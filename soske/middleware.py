from soske import clock


class RequestArrivalMiddleware:
    """Stamp the moment a request arrived, before anything slow happens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = clock.now()
        return self.get_response(request)
