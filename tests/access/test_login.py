"""Password login (demo only), the lockout (django-axes) for it and for the
admin's login, the admin's login in production, and auditing of failures."""

import datetime
import threading

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from fordela.access.backends import PasswordBackend
from fordela.access.lockout import client_ip
from fordela.audit.models import AuditEvent

LOCKED = "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen."


@pytest.fixture
def password_login(settings):
    settings.FORDELA_PASSWORD_LOGIN = True


def post_login(client, username, password, ip="127.0.0.1", **extra):
    return client.post(
        reverse("access:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def post_admin_login(client, username, password, ip="127.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def failed_login_events():
    return AuditEvent.objects.filter(action="access.login_failed").order_by("id")


def test_password_login_is_off_unless_enabled(client, make_user):
    make_user("kalle")
    assert post_login(client, "kalle", "pw").status_code == 404
    assert "password" not in client.get(reverse("access:login")).content.decode().lower()


def test_password_backend_checks_no_password_unless_enabled(make_user):
    make_user("kalle")
    request = RequestFactory().post("/logga-in/", REMOTE_ADDR="127.0.0.1")
    assert authenticate(request, username="kalle", password="pw") is None


def test_password_login_works_when_enabled(client, make_user, password_login):
    make_user("kalle")
    response = post_login(client, "kalle", "pw")
    assert response.status_code == 302
    assert response.url == reverse("access:my_pages")
    assert logged_in(client)


def test_failed_login_is_audited_and_stored(client, make_user, password_login):
    make_user("kalle")
    response = post_login(client, "kalle", "wrong", ip="10.0.0.7")
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address, failure.locked_out) == (
        "kalle",
        "10.0.0.7",
        False,
    )
    (event,) = failed_login_events()
    assert event.actor_label == "login:kalle"
    assert (event.object_type, event.object_id) == ("axes.accessfailurelog", str(failure.pk))
    assert event.after == {
        "username": "kalle",
        "ip": "10.0.0.7",
        "reason": "password",
        "locked_out": False,
    }


def test_fifth_failure_locks_and_the_right_password_is_then_refused(
    client, make_user, password_login
):
    make_user("kalle")
    for _ in range(4):
        assert post_login(client, "kalle", "wrong").status_code == 400
    assert post_login(client, "kalle", "wrong").status_code == 429
    response = post_login(client, "kalle", "pw")
    assert response.status_code == 429
    assert not logged_in(client)
    reasons = [event.after["reason"] for event in failed_login_events()]
    assert reasons == ["password"] * 5 + ["locked"]
    assert [event.after["locked_out"] for event in failed_login_events()] == [False] * 4 + [
        True
    ] * 2


def test_lockout_page_is_swedish_in_the_products_layout(client, make_user, password_login):
    make_user("kalle")
    for _ in range(5):
        response = post_login(client, "kalle", "wrong")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="sv"' in page
    assert "<title>Logga in – Fördela</title>" in page
    assert LOCKED in page
    assert 'class="site-header"' in page


def test_lock_is_per_username_from_any_address(client, make_user, password_login):
    make_user("kalle")
    make_user("lisa")
    for number in range(5):
        post_login(client, "kalle", "wrong", ip=f"10.0.0.{number + 1}")
    assert post_login(client, "kalle", "pw", ip="10.0.9.9").status_code == 429
    assert post_login(client, "lisa", "pw", ip="10.0.8.8").status_code == 302


def test_lock_is_per_address_for_any_username(client, make_user, password_login):
    make_user("kalle")
    for number in range(5):
        post_login(client, f"gissning{number}", "wrong", ip="10.0.0.1")
    assert post_login(client, "kalle", "pw", ip="10.0.0.1").status_code == 429
    assert post_login(client, "kalle", "pw", ip="10.0.0.2").status_code == 302


def test_lock_ends_when_the_cool_off_has_passed(client, make_user, password_login):
    make_user("kalle")
    for _ in range(5):
        post_login(client, "kalle", "wrong")
    assert post_login(client, "kalle", "pw").status_code == 429
    # 15 minutes (AXES_COOLOFF_TIME) after the last attempt. Axes reads the
    # real time, not fordela.core.clock, so the attempts are moved back.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16)
    )
    assert post_login(client, "kalle", "pw").status_code == 302


def test_a_spoofed_forwarded_for_does_not_escape_the_lock(client, make_user, password_login):
    make_user("kalle")
    for number in range(5):
        post_login(
            client, f"gissning{number}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}"
        )
    response = post_login(client, "kalle", "pw", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_lock_is_on_the_forwarded_address(
    client, make_user, password_login, settings
):
    settings.FORDELA_TRUSTED_PROXY_COUNT = 1
    make_user("kalle")
    for number in range(5):
        post_login(
            client, f"gissning{number}", "wrong", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1"
        )
    assert AccessFailureLog.objects.filter(ip_address="192.0.2.1").count() == 5
    proxied = {"ip": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.1"}
    assert post_login(client, "kalle", "pw", **proxied).status_code == 429
    proxied["HTTP_X_FORWARDED_FOR"] = "192.0.2.1, 192.0.2.2"
    assert post_login(client, "kalle", "pw", **proxied).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.1"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "198.51.100.9, 192.0.2.1", "192.0.2.1"),
        (2, "198.51.100.9, 192.0.2.1, 10.0.0.5", "192.0.2.1"),
        (2, "192.0.2.1", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded_for, expected):
    settings.FORDELA_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("login_url", ["access:login", "admin:login"])
def test_simultaneous_guesses_get_no_more_password_checks_than_the_limit(
    login_url, make_user, password_login, monkeypatch
):
    make_user("kalle", is_staff=True)
    guesses = 20
    checked = []
    original = PasswordBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(password)  # list.append is atomic across threads
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(PasswordBackend, "authenticate", counting)
    start = threading.Barrier(guesses)

    def guess(number: int) -> None:
        try:
            browser = Client()
            start.wait()
            browser.post(reverse(login_url), {"username": "kalle", "password": f"fel{number}"})
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(checked) == 5
    assert AccessAttempt.objects.get().failures_since_start == guesses
    assert failed_login_events().count() == guesses
    browser = Client()
    response = browser.post(reverse(login_url), {"username": "kalle", "password": "pw"})
    assert response.status_code == 429
    assert len(checked) == 5
    assert not logged_in(browser)


def test_safe_next_only(client, make_user, password_login):
    make_user("kalle")
    response = client.post(
        reverse("access:login"),
        {"username": "kalle", "password": "pw", "next": "https://evil.example/"},
    )
    assert response.url == reverse("access:my_pages")


# --- the admin's login ---------------------------------------------------------


def test_admin_password_login_is_locked_after_five_failures(client, make_user, password_login):
    make_user("chef", is_staff=True, is_superuser=True)
    for _ in range(5):
        post_admin_login(client, "chef", "wrong")
    response = post_admin_login(client, "chef", "pw")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    assert failed_login_events().count() == 6
    assert client.get("/admin/").status_code == 302


def test_admin_password_login_works_in_the_demo(client, make_user, password_login):
    make_user("chef", is_staff=True, is_superuser=True)
    response = post_admin_login(client, "chef", "pw")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_without_password_login_the_admin_logs_in_by_e_identification(client, make_user):
    make_user("chef", is_staff=True, is_superuser=True)
    response = client.get("/admin/login/?next=/admin/access/staffassignment/")
    assert response.status_code == 302
    assert response.url == "/logga-in/?next=/admin/access/staffassignment/"
    response = post_admin_login(client, "chef", "pw")
    assert response.status_code == 302
    assert response.url.startswith("/logga-in/")
    assert not logged_in(client)
    assert not AccessFailureLog.objects.exists()


def test_a_logged_in_non_staff_user_is_refused_the_admin(client, make_user):
    client.force_login(make_user("kalle"))
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_staff_logged_in_by_e_identification_reach_the_admin(client, make_user):
    client.force_login(make_user("chef", is_staff=True, is_superuser=True))
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- e-identification ------------------------------------------------------------


def test_failed_e_identification_is_audited_but_locks_nothing(client, make_user, password_login):
    make_user("kalle")
    for _ in range(6):
        assert client.get(reverse("oidc_authentication_callback")).status_code == 302
    assert [event.after["reason"] for event in failed_login_events()] == [
        "oidc:callback_failed"
    ] * 6
    assert not AccessAttempt.objects.exists()
    assert post_login(client, "kalle", "pw").status_code == 302


def test_oidc_backend_maps_claims_and_hashes_personal_number(db, settings):
    from fordela.access.oidc import FordelaOIDCBackend
    from fordela.access.services import hash_personal_number

    backend = FordelaOIDCBackend()
    claims = {
        "sub": "abc-123",
        "email": "asa@example.se",
        "name": "Åsa Öberg",
        settings.OIDC_PERSONAL_NUMBER_CLAIM: "19121212-1212",
    }
    user = backend.create_user(claims)
    assert (user.first_name, user.last_name, user.email) == ("Åsa", "Öberg", "asa@example.se")
    stored = user.profile.personal_id_hash
    assert stored == hash_personal_number("191212121212")
    assert "1212" not in stored
    assert list(backend.filter_users_by_claims({"sub": "abc-123"})) == [user]


def test_seed_demo_users_is_idempotent(db, ale):
    from django.core.management import call_command

    from fordela.access.models import Membership, StaffAssignment

    from .conftest import other_organisation

    gotland = other_organisation(
        name="Region Gotland", municipality_code="0980", region_county_code="09"
    )
    region = other_organisation(
        name="Region Västra Götaland",
        kind="region",
        municipality_code=None,
        region_county_code="14",
    )
    call_command("seed_demo_users", verbosity=0)
    call_command("seed_demo_users", verbosity=0)
    assert StaffAssignment.objects.count() == 4
    usernames = set(Membership.objects.values_list("user__username", flat=True))
    assert usernames == {"ombud-1440", "ombud-0980", "ombud-r14"}
    assert Membership.objects.get(organisation=gotland).user.username == "ombud-0980"
    assert Membership.objects.get(organisation=region).role == "ombud"
