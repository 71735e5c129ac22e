"""The load benchmark's baseline endpoint exists only in the bench profile."""

import pytest

from fordela.core.models import BenchmarkHit

pytestmark = pytest.mark.django_db


def test_baseline_endpoint_is_not_routed_outside_the_bench_profile(client):
    assert client.get("/_bench/insert/").status_code == 404
    assert not BenchmarkHit.objects.exists()


def test_baseline_endpoint_inserts_one_row(client, settings):
    settings.ROOT_URLCONF = "fordela.core.bench_urls"
    response = client.get("/insert/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert BenchmarkHit.objects.count() == 1
