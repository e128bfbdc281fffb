from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Use the language a signed-in user chose, wherever they sign in.

    Runs after LocaleMiddleware: an explicit choice stored on the user wins
    over the browser's Accept-Language and a stale cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.codes:
            if request.LANGUAGE_CODE != user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated and user.language in self.codes:
            response.headers.setdefault("Content-Language", user.language)
        return response
