"""Sessions and the logged-in user, read together with one plain query
(fordela.core.sessions, fordela.access.backends): they behave as Django's."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fordela.access.backends import PasswordBackend
from fordela.core import rows, sessions
from fordela.core.models import Session


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


def test_the_session_and_its_user_are_read_in_one_query(client, make_user):
    user = make_user("kalle")
    client.force_login(user)
    assert Session.objects.get().user_id == user.pk
    by_id, _ = rows._select_sql(get_user_model(), "default")
    with CaptureQueriesContext(connection) as captured:
        response = my_pages(client)
    assert response.wsgi_request.user.pk == user.pk
    statements = [query["sql"] for query in captured]
    assert any("django_session" not in s and "core_session" in s for s in statements)
    # The user was not read again on its own (the log shows the parameters).
    assert not [s for s in statements if s.startswith(by_id.removesuffix("%s"))]


def test_a_session_whose_user_column_disagrees_trusts_its_data(client, make_user):
    # The column is written from the session data; should they ever differ,
    # the data decides (the user is then read on its own, as before).
    kalle, olle = make_user("kalle"), make_user("olle")
    client.force_login(kalle)
    Session.objects.update(user=olle)
    assert my_pages(client).wsgi_request.user.pk == kalle.pk


def test_the_user_is_offered_only_while_django_looks_it_up(client, make_user):
    user = make_user("kalle")
    client.force_login(user)
    assert my_pages(client).status_code == 200
    assert sessions.offered_user(user.pk) is None


def test_logging_out_and_deleting_the_user_delete_sessions(client, make_user):
    user = make_user("kalle")
    client.force_login(user)
    client.logout()
    assert not Session.objects.exists()
    client.force_login(user)
    user.delete()
    assert not Session.objects.exists()
