"""Every ``next`` (and Referer) that Fördela follows stays on the site
(issue 14, item 15): the known ways of writing another site as a local
address are refused by each view that redirects to one."""

import html
import re
from urllib.parse import parse_qs, unquote, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

KNOWN_BYPASSES = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "/%09/evil.example",
    " //evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "//evil.example%2f..",
]
# Each as written and as it arrives once the query string is decoded
# ("/%09/evil.example" is "/<tab>/evil.example", which a browser reads as
# "//evil.example").
NEXTS = sorted(set(KNOWN_BYPASSES) | {unquote(value) for value in KNOWN_BYPASSES})


def stays_on_site(location: str) -> bool:
    """Whether a browser following ``location`` from a page of this site,
    over HTTPS or HTTP, stays on it: it ignores spaces and control characters
    around the address and tabs and newlines in it, and reads a backslash as
    a slash."""
    cleaned = location.strip("".join(chr(code) for code in range(0x21)))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned).replace("\\", "/")
    for base in ("https://testserver/sida/", "http://testserver/sida/"):
        target = urlsplit(urljoin(base, cleaned))
        if target.scheme not in {"http", "https"} or target.hostname != "testserver":
            return False
    return True


def assert_not_sent_off_site(response) -> None:
    if 300 <= response.status_code < 400:
        location = response["Location"]
        assert stays_on_site(location), location
        # A redirect to the login carries its own next, followed after it.
        for inner in parse_qs(urlsplit(location).query).get("next", []):
            assert stays_on_site(inner), location


def test_the_check_itself_catches_each_bypass():
    assert stays_on_site("/mina-sidor/") and stays_on_site("/logga-in/?next=/admin/")
    assert stays_on_site("/%09/evil.example")  # as a Location: a path on this site
    for value in set(NEXTS) - {"/%09/evil.example"}:
        assert not stays_on_site(value), value


def urlencode_next(target: str) -> str:
    return urlencode({"next": target})


@pytest.fixture
def kalle(db):
    return get_user_model().objects.create_user("kalle", "kalle@example.se", "pw")


@pytest.fixture
def password_login(settings):
    settings.FORDELA_PASSWORD_LOGIN = True


@pytest.mark.parametrize("target", NEXTS)
def test_login_does_not_follow_next_off_site(client, kalle, password_login, target):
    response = client.post("/logga-in/", {"username": "kalle", "password": "pw", "next": target})
    assert response.status_code == 302
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_login_does_not_follow_next_in_the_query_off_site(client, kalle, password_login, target):
    response = client.post(
        "/logga-in/?" + urlencode_next(target), {"username": "kalle", "password": "pw"}
    )
    assert response.status_code == 302
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_the_login_page_does_not_carry_next_to_another_site(
    client, settings, password_login, target
):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://broker.example/authorize"
    page = client.get("/logga-in/?" + urlencode_next(target)).content.decode()
    # Neither the password form nor the e-identification link passes it on.
    (hidden,) = re.findall(r'<input type="hidden" name="next" value="([^"]*)">', page)
    (link,) = re.findall(r'href="/oidc/authenticate/([^"]*)"', page)
    passed_on = [
        html.unescape(hidden),
        *parse_qs(urlsplit(html.unescape(link)).query).get("next", []),
    ]
    for value in passed_on:
        assert value == "" or stays_on_site(value), value


@pytest.mark.parametrize("target", NEXTS)
def test_logout_does_not_follow_next_off_site(client, kalle, target):
    client.force_login(kalle)
    response = client.post("/logga-ut/", {"next": target})
    assert response.status_code == 302
    assert_not_sent_off_site(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", NEXTS)
def test_logout_does_not_follow_next_in_the_query_off_site(client, kalle, target):
    client.force_login(kalle)
    response = client.post("/logga-ut/?" + urlencode_next(target))
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_the_language_switch_does_not_follow_next_off_site(client, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_the_language_switch_does_not_follow_the_referer_off_site(client, target):
    response = client.post("/i18n/setlang/", {"language": "en"}, HTTP_REFERER=target)
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_the_admins_login_in_production_does_not_pass_next_on_off_site(client, target):
    # Password login off: the admin's login sends to the product's login.
    response = client.get("/admin/login/?" + urlencode_next(target))
    assert response.status_code == 302
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_the_admins_password_login_does_not_follow_next_off_site(client, password_login, target):
    get_user_model().objects.create_superuser("admin", "admin@example.se", "pw")
    response = client.post("/admin/login/", {"username": "admin", "password": "pw", "next": target})
    assert response.status_code == 302
    assert_not_sent_off_site(response)


@pytest.mark.parametrize("target", NEXTS)
def test_e_identification_does_not_keep_next_to_another_site(client, settings, target):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://broker.example/authorize"
    settings.OIDC_RP_CLIENT_ID = "fordela"
    response = client.get("/oidc/authenticate/?" + urlencode_next(target))
    assert response.status_code == 302 and response["Location"].startswith(
        "https://broker.example/authorize?"
    )
    # Where the callback sends the person once logged in.
    kept = client.session.get("oidc_login_next")
    assert kept is None or stays_on_site(kept), kept
