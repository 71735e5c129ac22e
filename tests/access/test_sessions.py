"""Sessions and the logged-in user: Django's database sessions and its
backends (a deactivated account or a changed password logs out)."""

import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from fordela.access.backends import PasswordBackend
from fordela.access.oidc import FordelaOIDCBackend


def my_pages(client):
    return client.get(reverse("access:my_pages"))


def test_a_logged_in_user_is_loaded_with_every_field(client, make_user):
    user = make_user("kalle", first_name="Kalle", last_name="Anka")
    client.force_login(user)
    response = my_pages(client)
    assert response.status_code == 200
    loaded = response.wsgi_request.user
    assert loaded.pk == user.pk
    assert (loaded.username, loaded.get_full_name(), loaded.email, loaded.password) == (
        "kalle",
        "Kalle Anka",
        "kalle@example.se",
        user.password,
    )
    assert loaded.date_joined == user.date_joined


def test_an_expired_session_is_logged_out(client, make_user):
    client.force_login(make_user("kalle"))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = my_pages(client)
    assert response.status_code == 302 and reverse("access:login") in response["Location"]


def test_an_unknown_session_key_is_logged_out(client, make_user):
    client.force_login(make_user("kalle"))
    Session.objects.all().delete()
    assert my_pages(client).status_code == 302


def test_a_deactivated_account_is_logged_out(client, make_user):
    user = make_user("kalle")
    client.force_login(user)
    user.is_active = False
    user.save()
    assert my_pages(client).status_code == 302


def test_a_changed_password_logs_out_other_sessions(client, make_user):
    user = make_user("kalle")
    client.force_login(user)
    user.set_password("ett nytt lösenord")
    user.save()
    assert my_pages(client).status_code == 302


def test_the_backend_finds_no_user_for_an_unknown_id(db):
    assert PasswordBackend().get_user(987654) is None


def test_the_oidc_backend_logs_out_a_deactivated_account(make_user):
    user = make_user("kalle")
    assert FordelaOIDCBackend().get_user(user.pk) == user
    user.is_active = False
    user.save()
    assert FordelaOIDCBackend().get_user(user.pk) is None


def test_logging_out_deletes_the_session_for_every_web_process(client, make_user):
    # Django's database sessions: a logout removes the row that every
    # process reads, so no other worker still knows the session.
    client.force_login(make_user("kalle"))
    assert Session.objects.count() == 1
    client.logout()
    assert not Session.objects.exists()
