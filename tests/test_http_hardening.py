"""HTTP hardening (issue 14): a NUL character in a parameter is a 400 page,
logged-in pages are never stored by the browser, sessions end when idle and
at an absolute limit, gunicorn does not name itself, and the error pages are
the product's own, in the visitor's language."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import translation

from fordela.access.models import StaffAssignment, StaffRole
from fordela.allocation.services import compute_key, freeze_key
from fordela.core.middleware import SESSION_LAST_ACTIVITY, SESSION_STARTED
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory
from tests.mail_sink import free_port
from tests.test_security import production_env

BASE_DIR = Path(__file__).resolve().parent.parent
KEY_PAGE = "/program/s2020-01591/2021/kommuner/fordelningsnyckel/"

pytestmark = pytest.mark.django_db


def swedish(msgid: str) -> str:
    """The Swedish words of ``msgid`` (from the catalogue)."""
    with translation.override("sv"):
        return translation.gettext(msgid)


def make_user(username: str, **extra):
    extra.setdefault("email", f"{username}@example.se")
    return get_user_model().objects.create_user(username=username, password="pw", **extra)


def handlaggare():
    user = make_user("handlaggare")
    StaffAssignment.objects.create(user=user, role=StaffRole.HANDLAGGARE)
    return user


@pytest.fixture
def key():
    for number in range(3):
        PopulationFactory(organisation=OrganisationFactory(), population=10_000 + number)
    pool = PoolFactory(programme_year__programme__reference_number="S2020/01591")
    return freeze_key(compute_key(pool))


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- A NUL character in a parameter ------------------------------------------

BAD_REQUEST_HEADING = "The request could not be handled"


def assert_bad_request_page(response) -> None:
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="sv"' in page and 'class="site-header"' in page  # the layout
    assert f">{swedish(BAD_REQUEST_HEADING)}</h1>" in page


@pytest.mark.parametrize("query", ["q=%00", "lan=%00", "q=ale%00", "%00=1", "lan=01&sort=%00"])
def test_a_nul_in_the_key_pages_filters_is_a_400_page(client, key, query):
    assert_bad_request_page(client.get(f"{KEY_PAGE}?{query}"))


def test_the_key_page_still_filters_without_a_nul(client, key):
    assert client.get(f"{KEY_PAGE}?q=ale&lan=01").status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "status=%00", "opted_in=%00"])
def test_a_nul_in_a_staff_lists_filters_is_a_400_page(client, key, query):
    client.force_login(handlaggare())
    url = f"/handlaggning/rekvisitioner/{key.pool.pk}/"
    assert client.get(url + "?q=ale").status_code == 200
    assert_bad_request_page(client.get(f"{url}?{query}"))


def test_a_nul_in_a_posted_form_is_a_400_page(client, settings):
    settings.FORDELA_PASSWORD_LOGIN = True
    make_user("kalle")
    response = client.post("/logga-in/", {"username": "kalle\x00", "password": "pw"})
    assert_bad_request_page(response)
    assert "_auth_user_id" not in client.session


def test_the_400_page_is_english_when_the_visitor_chose_english(client, key):
    english(client)
    page = client.get(f"{KEY_PAGE}?q=%00").content.decode()
    assert '<html lang="en"' in page and f">{BAD_REQUEST_HEADING}</h1>" in page


def test_a_request_for_an_unknown_host_gets_the_400_page(client):
    assert_bad_request_page(client.get("/", HTTP_HOST="evil.example"))


# --- Logged-in pages are not stored -------------------------------------------


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_logged_in_pages_are_not_stored(client):
    client.force_login(make_user("kalle"))
    for url in ("/", "/mina-sidor/", "/finns-inte/"):
        assert {"no-store", "private"} <= cache_directives(client.get(url)), url


def test_public_pages_for_anonymous_visitors_may_be_stored(client):
    assert "no-store" not in cache_directives(client.get("/"))


def test_the_logout_answer_is_not_stored(client):
    client.force_login(make_user("kalle"))
    response = client.post("/logga-ut/")
    assert response.status_code == 302
    assert {"no-store", "private"} <= cache_directives(response)


def download(request):
    response = HttpResponse(b"%PDF-1.7", content_type="application/pdf")
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


def raises(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("_test/download/", download),
    path("_test/raises/", raises),
    path("", include("fordela.urls")),
]


def test_a_download_keeps_its_own_stricter_cache_header(client, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(make_user("kalle"))
    assert client.get("/_test/download/")["Cache-Control"] == "private, no-store, max-age=0"


# --- Idle and absolute session limits -------------------------------------------


def move_session(client, **seconds_ago: int) -> None:
    """Pretend the session began, or last saw a request, that long ago."""
    session = client.session
    now = int(time.time())
    if "started" in seconds_ago:
        session[SESSION_STARTED] = now - seconds_ago["started"]
    if "last_activity" in seconds_ago:
        session[SESSION_LAST_ACTIVITY] = now - seconds_ago["last_activity"]
    session.save()


def is_logged_in(client) -> bool:
    response = client.get("/mina-sidor/")
    return response.status_code == 200


def test_the_session_limits_are_30_idle_minutes_and_12_hours_in_a_browser_session():
    assert settings.FORDELA_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_login_records_the_start_and_the_activity(client):
    before = int(time.time())
    client.force_login(make_user("kalle"))
    session = client.session
    assert session[SESSION_STARTED] >= before and session[SESSION_LAST_ACTIVITY] >= before


def test_a_session_from_before_the_limits_is_given_them_on_its_next_request(client):
    client.force_login(make_user("kalle"))
    session = client.session
    del session[SESSION_STARTED], session[SESSION_LAST_ACTIVITY]
    session.save()
    before = int(time.time())
    assert is_logged_in(client)
    session = client.session
    assert session[SESSION_STARTED] >= before and session[SESSION_LAST_ACTIVITY] >= before


def test_a_session_idle_for_longer_than_the_limit_is_logged_out(client):
    client.force_login(make_user("kalle"))
    assert is_logged_in(client)
    move_session(client, last_activity=31 * 60)
    response = client.get("/mina-sidor/", follow=True)
    assert response.redirect_chain[0][0].startswith("/logga-in/?next=")
    assert "_auth_user_id" not in client.session
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        swedish(
            "You have been logged out after %(minutes)s minutes without activity. "
            "Log in again to continue."
        )
        % {"minutes": 30}
    ]


def test_a_session_idle_for_less_than_the_limit_stays_logged_in(client):
    client.force_login(make_user("kalle"))
    assert is_logged_in(client)
    move_session(client, last_activity=29 * 60)
    assert is_logged_in(client)
    assert client.session[SESSION_LAST_ACTIVITY] >= int(time.time()) - 5  # recorded again


def test_the_idle_limit_is_a_setting(client, settings):
    settings.FORDELA_SESSION_IDLE_MINUTES = 5
    client.force_login(make_user("kalle"))
    assert is_logged_in(client)
    move_session(client, last_activity=6 * 60)
    assert not is_logged_in(client)


def test_an_active_session_ends_at_the_absolute_limit(client):
    client.force_login(make_user("kalle"))
    assert is_logged_in(client)
    move_session(client, started=12 * 60 * 60 + 1, last_activity=60)
    assert not is_logged_in(client)
    assert "_auth_user_id" not in client.session


def session_writes(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert is_logged_in(client)
    return [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


def test_the_activity_is_written_at_most_once_a_minute(client):
    client.force_login(make_user("kalle"))
    assert session_writes(client) == []  # the login recorded it
    move_session(client, last_activity=59)
    assert session_writes(client) == []
    move_session(client, last_activity=61)
    assert len(session_writes(client)) == 1


def test_the_session_cookie_lasts_until_the_browser_closes(client, settings):
    settings.FORDELA_PASSWORD_LOGIN = True
    make_user("kalle")
    response = client.post("/logga-in/", {"username": "kalle", "password": "pw"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


# --- gunicorn names no software ------------------------------------------------


def server_header_from_gunicorn(*config: str) -> str | None:
    """Start the production app under a real gunicorn on 127.0.0.1, ask it
    for a page and return its Server header (None when there is none)."""
    port = free_port()
    env = production_env(SECURE_SSL_REDIRECT="1")
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), *config, "--no-control-socket", "-w", "1"]
    command += ["-b", f"127.0.0.1:{port}", "fordela.wsgi:application"]
    server = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        # The arbiter listens before its worker has imported Django; a busy
        # machine (the suite runs on two workers) can take many seconds over it.
        deadline = time.monotonic() + 60
        while True:
            try:
                # The HTTPS redirect needs no database; any answer carries the header.
                request = urllib.request.Request(f"http://127.0.0.1:{port}/om/")
                request.add_header("Host", "fordela.example.se")
                opener = urllib.request.build_opener(NoRedirect)
                try:
                    response = opener.open(request, timeout=30)
                except urllib.error.HTTPError as answer:
                    response = answer
                assert response.status == 301
                return response.headers.get("Server")
            except (ConnectionError, TimeoutError, urllib.error.URLError):
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_with_the_projects_config_names_no_software():
    assert server_header_from_gunicorn("-c", "gunicorn.conf.py") in (None, "")


def test_gunicorn_without_the_config_would_name_itself():
    # What gunicorn.conf.py is for: gunicorn's own default.
    assert server_header_from_gunicorn("-c", "/dev/null") == "gunicorn"


# --- Error pages -----------------------------------------------------------------


def assert_layout_page(response, status: int, heading: str, language: str = "sv") -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert f'<html lang="{language}"' in page and 'class="site-header"' in page
    expected = swedish(heading) if language == "sv" else heading
    assert f">{expected}</h1>" in page
    return page


def test_the_404_page_is_in_the_layout(client):
    assert_layout_page(client.get("/finns-inte/"), 404, "Page not found")


def test_the_404_page_is_english_when_the_visitor_chose_english(client):
    english(client)
    page = assert_layout_page(client.get("/finns-inte/"), 404, "Page not found", "en")
    assert "the start page" in page


def test_the_403_page_is_in_the_layout(client):
    client.force_login(make_user("kalle"))
    response = client.get("/handlaggning/ombudsansokningar/")
    page = assert_layout_page(response, 403, "You do not have access to this page")
    assert 'href="/mina-sidor/"' in page


def test_the_403_page_is_english_when_the_visitor_chose_english(client):
    client.force_login(make_user("kalle"))
    english(client)
    response = client.get("/handlaggning/ombudsansokningar/")
    assert_layout_page(response, 403, "You do not have access to this page", "en")


WHAT_TO_DO_AFTER_AN_EXPIRED_FORM = (
    "Go back, reload the page and try again. You may need to enter what you typed once more."
)


def test_an_expired_form_gets_the_csrf_page_in_the_layout():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = assert_layout_page(response, 403, "The form had expired")
    assert swedish(WHAT_TO_DO_AFTER_AN_EXPIRED_FORM) in page


def test_the_csrf_page_is_english_when_the_visitor_chose_english():
    client = Client(enforce_csrf_checks=True)
    english(client)
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    page = assert_layout_page(response, 403, "The form had expired", "en")
    assert WHAT_TO_DO_AFTER_AN_EXPIRED_FORM in page


def test_the_500_page_stands_alone_in_swedish_with_english_below(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/_test/raises/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="sv"' in page
    assert ">Något gick fel</h1>" in page and "Försök igen om en stund." in page
    assert '<div lang="en">' in page and "Something went wrong" in page
    assert "Traceback" not in page and "a bug" not in page
