"""Every URL pattern × every role gets the status the table says.

A URL pattern without an entry in ``url_access_table.TABLE`` fails here."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fordela.access.models import Invitation, Membership
from fordela.allocation.services import compute_key, freeze_key
from tests.factories import PoolFactory, PopulationFactory

from .url_access_table import ROLES, SKIPPED_NAMESPACES, TABLE, role_statuses


def url_names(patterns=None, namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            names += url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>")
    return names


ALL_NAMES = sorted(set(url_names()))


def test_every_url_pattern_has_an_entry():
    missing = [name for name in ALL_NAMES if name not in TABLE]
    assert not missing, f"add these URL names to tests/access/url_access_table.py: {missing}"


def test_table_has_no_stale_entries():
    assert sorted(set(TABLE) - set(ALL_NAMES)) == []


@pytest.fixture
def full_world(world):
    for organisation in (world.organisation, world.other_organisation):
        PopulationFactory(organisation=organisation)
    pool = PoolFactory(programme_year__programme__reference_number="S2020/01591")
    freeze_key(compute_key(pool))
    world.extras["key_kwargs"] = {
        "programme": pool.programme_year.programme.slug,
        "year": pool.programme_year.year,
        "pool": pool.slug,
    }
    world.extras["invitation"] = Invitation.objects.get(organisation=world.organisation).pk
    world.extras["coordinator_membership"] = Membership.objects.get(
        user=world.users["uppgiftssamordnare"]
    ).pk
    return world


@pytest.mark.parametrize("name", [name for name in ALL_NAMES if name in TABLE])
def test_url_gives_each_role_the_expected_status(name, full_world):
    entry = TABLE[name]
    got = role_statuses(name, entry, full_world)
    mismatches = [
        f"{role}: {got[role]} (expected {entry.expected[role]})"
        for role in ROLES
        if got[role] != entry.expected[role]
    ]
    assert not mismatches, f"{entry.method.upper()} {name}: " + "; ".join(mismatches)


def admin_patterns(patterns) -> list[URLPattern]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += admin_patterns(pattern.url_patterns)
        elif pattern.name and pattern.name != "login":  # login: the table's admin_login
            found.append(pattern)
    return found


def admin_urls() -> list[str]:
    """Every named URL of Django's admin, with any object in it: the admin
    asks for is_staff before it looks anything up."""
    (admin,) = [
        pattern
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLResolver) and pattern.namespace == "admin"
    ]
    urls = []
    for pattern in admin_patterns(admin.url_patterns):
        arguments = {name: "1" for name in pattern.pattern.regex.groupindex}
        if "app_label" in arguments:
            arguments["app_label"] = "access"
        urls.append(reverse(f"admin:{pattern.name}", kwargs=arguments))
    return urls


def test_the_admin_lets_none_of_the_roles_in(full_world):
    """No role in the table is staff: every admin page sends each of them to
    the admin's login (its logout to the admin's start page)."""
    urls = admin_urls()
    assert len(urls) > 50
    let_in = []
    for role in ROLES:
        client = Client()
        if full_world.users[role] is not None:
            client.force_login(full_world.users[role])
        for url in urls:
            response = client.get(url)
            if response.status_code != 302 or not response["Location"].startswith("/admin/"):
                let_in.append(f"{role} {url}: {response.status_code}")
    assert not let_in, "\n".join(let_in)
