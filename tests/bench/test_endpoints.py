"""The load benchmark's baseline endpoint exists only in the bench profile."""

import pytest

from fordela.bench.models import BenchmarkHit

pytestmark = pytest.mark.django_db


def test_baseline_endpoint_is_not_routed_outside_the_bench_profile(client):
    assert client.get("/_bench/insert/").status_code == 404
    assert not BenchmarkHit.objects.exists()


def test_baseline_endpoint_inserts_one_row(client, settings):
    settings.ROOT_URLCONF = "fordela.bench.urls"
    response = client.get("/insert/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert BenchmarkHit.objects.count() == 1


def test_logged_in_floor_is_not_routed_outside_the_bench_profile(client):
    assert client.post("/_bench/logged-in/").status_code == 404


def test_logged_in_floor_redirects_a_logged_in_user_and_nobody_else(client, settings):
    from django.contrib.auth import get_user_model

    settings.ROOT_URLCONF = "fordela.bench.urls"
    settings.LOGIN_URL = "/login/"  # the bench URLconf alone has no login page to reverse
    assert client.post("/logged-in/")["Location"].startswith("/login/")
    client.force_login(get_user_model().objects.create_user("kalle"))
    response = client.post("/logged-in/")
    assert (response.status_code, response["Location"]) == (302, "/")
