from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import sessions


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the visitor picked another language with the language
    switch (which sets the language cookie).

    The browser's Accept-Language is not used: many people in Sweden run
    English-language browsers, and a Swedish public e-service should still
    meet them in Swedish, with English one click away.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that the backends may take the user read with the
    session (``fordela.core.sessions``): one query fewer on every logged-in
    request. Django's ``auth.get_user`` still decides who the user is (the
    backend, the session hash, an active account)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def _get_user(request):
    # As django.contrib.auth.middleware.get_user, with the session's user offered.
    if not hasattr(request, "_cached_user"):
        with sessions.offering_user(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user
