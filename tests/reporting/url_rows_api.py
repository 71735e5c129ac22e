"""The public API's rows of the URL × role table
(tests/access/url_access_table.py): every endpoint is public, so every role
gets 200 (no authentication, the same answer for everyone). ``api:v1:api-root``
is django-ninja's root, which exists only so the API can find its own path:
404 for everyone."""

import datetime

from fordela.core import clock
from fordela.programmes.models import Pool
from fordela.requisitions.models import Redistribution
from tests.access.url_access_table import EVERYONE_200, Entry, expect, key


def programme(world) -> dict:
    return {"programme": key(world)["programme"]}


def year(world) -> dict:
    return {"programme": key(world)["programme"], "year": str(key(world)["year"])}


def pool(world) -> dict:
    return {**year(world), "pool": key(world)["pool"]}


def redistributed_pool(world) -> dict:
    """The key's pool, with a confirmed redistribution (without shares)."""
    kwargs = pool(world)
    Redistribution.objects.get_or_create(
        pool=Pool.objects.get(
            slug=kwargs["pool"],
            programme_year__year=int(kwargs["year"]),
            programme_year__programme__slug=kwargs["programme"],
        ),
        defaults={
            "allocated_sek": 100,
            "requisitioned_sek": 100,
            "unrequisitioned_sek": 0,
            "redistributed_sek": 0,
            "unallocated_sek": 0,
            "population_date": datetime.date(2020, 12, 31),
            "confirmed_at": clock.now(),
        },
    )
    return kwargs


ROWS = {
    "api:v1:api-root": Entry(expect(404), note="django-ninja's root: no page"),
    "api:v1:openapi-json": Entry(EVERYONE_200),
    "api:v1:openapi-view": Entry(EVERYONE_200),
    "api:v1:programmes": Entry(EVERYONE_200),
    "api:v1:programme": Entry(EVERYONE_200, kwargs=programme),
    "api:v1:programme_year": Entry(EVERYONE_200, kwargs=year),
    "api:v1:pools": Entry(EVERYONE_200, kwargs=year),
    "api:v1:pool": Entry(EVERYONE_200, kwargs=pool),
    "api:v1:allocation_keys": Entry(EVERYONE_200, kwargs=programme),
    "api:v1:allocation_key": Entry(EVERYONE_200, kwargs=pool),
    "api:v1:allocations": Entry(EVERYONE_200, kwargs=pool),
    "api:v1:redistributions": Entry(EVERYONE_200, kwargs=programme),
    "api:v1:redistribution": Entry(EVERYONE_200, kwargs=redistributed_pool),
    "api:v1:redistribution_shares": Entry(EVERYONE_200, kwargs=redistributed_pool),
    "api:v1:grants": Entry(EVERYONE_200, kwargs=pool),
}
