import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from . import views


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


def _has_null_character(parameters) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in parameters.lists()
    )


class RefuseNullCharactersMiddleware(MiddlewareMixin):
    """A NUL character in any query or form parameter, name or value, is
    answered with the 400 page: PostgreSQL cannot store or compare text with
    NUL in it, so a search for ``?q=%00`` would otherwise end in a 500.

    The form body is only read where Django's CSRF check has read it already
    (this runs after it); a CSRF-exempt view may still choose its own upload
    handlers, so its body is left to it.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        refused = _has_null_character(request.GET) or (
            request.method == "POST"
            and not getattr(view_func, "csrf_exempt", False)
            and _has_null_character(request.POST)
        )
        return views.bad_request(request) if refused else None


# Session keys: when the logged-in session began and its last request, in
# seconds since the epoch (real time: a session ends in the real world, so
# never the product's movable clock).
SESSION_STARTED = "fordela_session_started"
SESSION_LAST_ACTIVITY = "fordela_last_activity"
# The last activity is written at most this often, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60


def record_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: a login starts the session's clock (connected in
    ``CoreConfig.ready``), so its first page writes nothing more."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    """Logs out a session that has been idle longer than
    ``FORDELA_SESSION_IDLE_MINUTES``, or is older than ``SESSION_COOKIE_AGE``
    (the absolute limit, counted from the login: Django's database sessions
    move their expiry forward on every save, so the limit is kept here). The
    next page then meets an anonymous visitor, who is sent to the login as
    usual, with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = self._why_ended(request.session)
            if reason:
                logout(request)
                messages.info(request, reason)
        response = self.get_response(request)
        if request.user.is_authenticated:
            self._record_activity(request.session)
        return response

    def _why_ended(self, session) -> str | None:
        started, last = session.get(SESSION_STARTED), session.get(SESSION_LAST_ACTIVITY)
        if started is None or last is None:
            return None  # a session from before this middleware: recorded below
        now = time.time()
        idle_minutes = settings.FORDELA_SESSION_IDLE_MINUTES
        if now - last > idle_minutes * 60:
            return _(
                "You have been logged out after %(minutes)s minutes without activity. "
                "Log in again to continue."
            ) % {"minutes": idle_minutes}
        if now - started > settings.SESSION_COOKIE_AGE:
            return _(
                "You have been logged out: a login lasts at most %(hours)s hours. "
                "Log in again to continue."
            ) % {"hours": round(settings.SESSION_COOKIE_AGE / 3600)}
        return None

    def _record_activity(self, session) -> None:
        now = int(time.time())
        if SESSION_STARTED not in session:  # logged in before this middleware
            session[SESSION_STARTED] = now
        if now - session.get(SESSION_LAST_ACTIVITY, 0) >= ACTIVITY_RESOLUTION_SECONDS:
            session[SESSION_LAST_ACTIVITY] = now


class NoStoreForLoggedInMiddleware:
    """Every response to a logged-in visitor (or one who logs in or out with
    it) carries ``Cache-Control: no-store, private``: on a shared computer,
    the browser's Back button or cache must not show a case after logout.
    A response that already says ``no-store`` (an attachment download) is
    left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        logged_in = request.user.is_authenticated
        response = self.get_response(request)
        logged_in = logged_in or request.user.is_authenticated
        if logged_in and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response
