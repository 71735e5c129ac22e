"""Security baseline: the production profile passes Django's deployment checks,
and every response carries the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from fordela.allocation.services import compute_key, freeze_key
from tests.factories import OrganisationFactory, PoolFactory, PopulationFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(**overrides) -> dict[str, str]:
    """A clean deployment environment: nothing from the test run leaks in
    (e.g. DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set)."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="fordela.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="fordela.example.se",
        FORDELA_AGENCY_ORGNR="2021000555",
        FORDELA_AGENCY_BANKGIRO="55555551",
        FORDELA_AGENCY_BIC="NDEASESS",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_profile_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_profile_refuses_a_short_secret_key():
    result = manage("check", env=production_env(SECRET_KEY="too-short"))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "name", ["FORDELA_AGENCY_ORGNR", "FORDELA_AGENCY_BANKGIRO", "FORDELA_AGENCY_BIC"]
)
def test_production_profile_refuses_to_run_without_the_agency_payment_details(name):
    result = manage("check", env=production_env(**{name: ""}))
    assert result.returncode != 0
    assert f"{name} must be set" in result.stderr


def test_production_profile_refuses_to_run_with_a_moved_clock():
    result = manage("check", env=production_env(FORDELA_TODAY="2022-06-15"))
    assert result.returncode != 0
    assert "FORDELA_TODAY must not be set in production" in result.stderr


def test_production_profile_refuses_the_password_login():
    result = manage("check", env=production_env(FORDELA_PASSWORD_LOGIN="1"))
    assert result.returncode != 0
    assert "FORDELA_PASSWORD_LOGIN must not be on in production" in result.stderr


def test_bench_profile_starts_with_its_own_example_payment_details():
    env = production_env(DJANGO_SETTINGS_MODULE="fordela.settings.bench")
    for name in ("FORDELA_AGENCY_ORGNR", "FORDELA_AGENCY_BANKGIRO", "FORDELA_AGENCY_BIC"):
        del env[name]
    result = manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# --- Headers ---------------------------------------------------------------

SCRIPT_PAGE = """{% extends "base.html" %}{% block content %}<h1>Skript</h1>{% endblock %}
{% block scripts %}<script nonce="{{ csp_nonce }}">document.title += "!";</script>{% endblock %}"""


def page_with_script(request):
    return HttpResponse(engines["django"].from_string(SCRIPT_PAGE).render({}, request))


urlpatterns = [path("_test/script/", page_with_script), path("", include("fordela.urls"))]


@pytest.fixture
def production_like(settings):
    """The HTTPS settings of fordela.settings.production (HSTS is only sent
    over HTTPS, so the tests use ``secure=True``)."""
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.ROOT_URLCONF = __name__
    return settings


@pytest.fixture
def key(db):
    for number in range(3):
        PopulationFactory(organisation=OrganisationFactory(), population=10_000 + number)
    pool = PoolFactory(programme_year__programme__reference_number="S2020/01591")
    return freeze_key(compute_key(pool))


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response) -> dict[str, list[str]]:
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = csp_directives(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] + csp["style-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    return csp


def test_every_kind_of_response_carries_the_security_headers(client, production_like, key):
    programme = key.pool.programme_year.programme
    key_page = f"/program/{programme.slug}/2021/kommuner/fordelningsnyckel"
    expected_status = {
        "/": 200,
        "/om/": 200,
        f"/program/{programme.slug}/": 200,
        key_page + "/": 200,
        key_page + ".csv": 200,
        key_page + ".xlsx": 200,
        "/finns-inte/": 404,
    }
    for url, status in expected_status.items():
        response = client.get(url, secure=True)
        assert response.status_code == status, url
        csp = assert_security_headers(response)
        if response["Content-Type"].startswith("text/html"):
            # Any script on our pages must carry the nonce the header allows.
            nonces = re.findall(rb"<script[^>]*\bnonce=\"([^\"]+)\"", response.content)
            assert len(nonces) == response.content.count(b"<script"), url
            for nonce in nonces:
                assert f"'nonce-{nonce.decode()}'" in csp["script-src"], url


def test_plain_http_is_redirected_to_https(client, production_like):
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_a_page_with_a_script_gets_a_fresh_nonce_in_its_policy(client, production_like):
    first = client.get("/_test/script/", secure=True)
    second = client.get("/_test/script/", secure=True)
    nonces = []
    for response in (first, second):
        csp = assert_security_headers(response)
        # Every script on the page carries the one nonce of this response.
        (nonce,) = set(re.findall(r'<script[^>]*\bnonce="([^"]+)"', response.content.decode()))
        assert f"'nonce-{nonce}'" in csp["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
