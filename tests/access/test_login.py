"""Password login (demo only), the rate limit, and auditing of failures."""

import pytest
from django.urls import reverse

from fordela.access.models import LoginAttempt
from fordela.audit.models import AuditEvent


@pytest.fixture
def password_login(settings):
    settings.FORDELA_PASSWORD_LOGIN = True


def post_login(client, username, password):
    return client.post(reverse("access:login"), {"username": username, "password": password})


def test_password_login_is_off_unless_enabled(client, make_user):
    make_user("kalle")
    assert post_login(client, "kalle", "pw").status_code == 404
    assert "password" not in client.get(reverse("access:login")).content.decode().lower()


def test_password_login_works_when_enabled(client, make_user, password_login):
    make_user("kalle")
    response = post_login(client, "kalle", "pw")
    assert response.status_code == 302
    assert response.url == reverse("access:my_pages")


def test_failed_login_is_audited_and_stored(client, make_user, password_login):
    make_user("kalle")
    response = post_login(client, "kalle", "wrong")
    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert LoginAttempt.objects.filter(username="kalle", succeeded=False).count() == 1
    assert AuditEvent.objects.filter(action="access.login_failed").count() == 1


def test_login_is_locked_after_repeated_failures(client, make_user, password_login, settings):
    settings.FORDELA_LOGIN_MAX_FAILURES = 3
    make_user("kalle")
    for _ in range(3):
        post_login(client, "kalle", "wrong")
    response = post_login(client, "kalle", "pw")
    assert response.status_code == 400
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert AuditEvent.objects.filter(action="access.login_failed").count() == 4


def test_lock_is_per_username(client, make_user, password_login, settings):
    settings.FORDELA_LOGIN_MAX_FAILURES = 2
    make_user("kalle")
    make_user("lisa")
    for _ in range(2):
        post_login(client, "kalle", "wrong")
    assert post_login(client, "lisa", "pw").status_code == 302


def test_safe_next_only(client, make_user, password_login):
    make_user("kalle")
    response = client.post(
        reverse("access:login"),
        {"username": "kalle", "password": "pw", "next": "https://evil.example/"},
    )
    assert response.url == reverse("access:my_pages")


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
