"""Redistribution (omfördelning) of what was not requisitioned by the deadline
(decisions.md 4): to opted-in organisations with on-time full requisitions,
by largest remainder over the same population key."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from fordela.organisations.models import Organisation
from fordela.payments.models import Payable, PayableSource
from fordela.requisitions import exports, services
from fordela.requisitions.ledger import pool_ledger
from fordela.requisitions.models import Redistribution
from fordela.requisitions.redistribution import Position, redistribute
from tests.spreadsheets import HOSTILE_NAMES, csv_records, csv_table

from .conftest import filled

OMBUD = ("ombud", "ombud_b", "ombud_f", "ombud_g")


def submit(round_, index, amount=None, opt_in=False):
    user = round_.users[OMBUD[index]]
    org = round_.organisations[index]
    draft = services.start_requisition(user, org, round_.pool)
    amount = amount or round_.allocation(org)
    return services.submit_requisition(
        user, draft, filled(amount_sek=amount, wants_redistribution=opt_in)
    )


def test_unrequisitioned_amount_goes_to_opted_in_full_requisitions(round_, clock_at):
    submit(round_, 0, opt_in=True)  # Ale, full, opts in
    submit(round_, 1, amount=1000)  # Bjurholm, partial
    submit(round_, 2)  # Falun, full, no opt-in
    # Gävle requisitions nothing.
    clock_at("2021-10-04T09:00")
    preview = services.preview_redistribution(round_.pool)
    unrequisitioned = (
        round_.allocation(round_.organisations[1])
        - 1000
        + round_.allocation(round_.organisations[3])
    )
    assert preview.outcome.unrequisitioned_sek == unrequisitioned
    assert preview.outcome.shares == {"1440": unrequisitioned}

    redistribution = services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    assert redistribution.redistributed_sek == unrequisitioned
    assert redistribution.unallocated_sek == 0
    payable = Payable.objects.get(source=PayableSource.REDISTRIBUTION)
    assert payable.amount_sek == unrequisitioned
    assert payable.organisation == round_.ale
    assert pool_ledger(round_.pool).balances


def test_nobody_opted_in_leaves_the_money_unallocated(round_, clock_at):
    submit(round_, 0)
    clock_at("2021-10-04T09:00")
    redistribution = services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    assert redistribution.redistributed_sek == 0
    assert redistribution.unallocated_sek == 5_000_000 - round_.allocation(round_.ale)
    assert not Payable.objects.filter(source=PayableSource.REDISTRIBUTION).exists()


def test_redistribution_before_the_deadline_is_refused(round_):
    with pytest.raises(ValidationError, match="after the last day"):
        services.confirm_redistribution(round_.users["handlaggare"], round_.pool)


def test_redistribution_is_confirmed_only_once(round_, clock_at):
    submit(round_, 0, opt_in=True)
    clock_at("2021-10-04T09:00")
    services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    with pytest.raises(ValidationError, match="already been confirmed"):
        services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    assert Redistribution.objects.count() == 1


def test_only_handlaggare_confirm_redistribution(round_, clock_at):
    clock_at("2021-10-04T09:00")
    with pytest.raises(PermissionDenied):
        services.confirm_redistribution(round_.users["ekonomi"], round_.pool)


def published_list_csv(round_) -> bytes:
    programme = round_.pool.programme_year.programme.slug
    url = reverse("requisitions:redistribution_list_csv", args=[programme, 2021, round_.pool.slug])
    response = Client().get(url)
    assert response["Content-Disposition"] == (
        f'attachment; filename="omfordelningslista-{programme}-2021-kommuner-pafyllnad.csv"'
    )
    return response.content


def test_redistribution_list_csv_has_swedish_headings_and_the_exact_amounts(round_, clock_at):
    submit(round_, 0, opt_in=True)  # Ale
    submit(round_, 2, opt_in=True)  # Falun
    clock_at("2021-10-04T09:00")
    redistribution = services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    rows = csv_records(published_list_csv(round_))
    assert list(rows[0]) == exports.REDISTRIBUTION_HEADER
    assert [row["Kod"] for row in rows] == ["1440", "2080"]
    ale, falun = round_.organisations[0], round_.organisations[2]
    assert [
        (row["Organisation"], row["Organisationsnummer"], row["Län"], row["Befolkning"])
        for row in rows
    ] == [
        ("Ale kommun", ale.formatted_organisation_number, "Stockholms län", "31868"),
        ("Falu kommun", falun.formatted_organisation_number, "Stockholms län", "59351"),
    ]
    assert [int(row["Rekvirerat (kr)"]) for row in rows] == [
        round_.allocation(ale),
        round_.allocation(falun),
    ]
    assert sum(int(row["Omfördelat (kr)"]) for row in rows) == redistribution.redistributed_sek


def test_the_command_prints_the_published_redistribution_list(round_, clock_at):
    submit(round_, 0, opt_in=True)
    clock_at("2021-10-04T09:00")
    services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    out = io.StringIO()
    programme = round_.pool.programme_year.programme.reference_number
    call_command("export_redistribution", programme, "2021", round_.pool.slug, stdout=out)
    assert out.getvalue().encode() == published_list_csv(round_)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_redistribution_list_shows_a_formula_like_name_as_text(round_, clock_at, name):
    submit(round_, 0, opt_in=True)
    clock_at("2021-10-04T09:00")
    services.confirm_redistribution(round_.users["handlaggare"], round_.pool)
    Organisation.objects.filter(pk=round_.ale.pk).update(name=name)
    assert csv_table(published_list_csv(round_))[1][1] == "'" + name


def test_shares_follow_population_by_largest_remainder():
    outcome = redistribute(
        [
            Position("a", 1, 10, 10, True),
            Position("b", 2, 10, 10, True),
            Position("c", 5, 10, 0, False),
        ]
    )
    assert outcome.shares == {"a": 3, "b": 7}  # 10/3 = 3.33, 20/3 = 6.67


@given(
    st.lists(
        st.tuples(
            st.integers(1, 10**6), st.integers(1, 10**7), st.integers(0, 10**7), st.booleans()
        ),
        min_size=1,
        max_size=30,
    )
)
def test_redistribution_always_balances(rows):
    positions = [
        Position(f"{i:04d}", population, allocation, min(requisitioned, allocation), opt_in)
        for i, (population, allocation, requisitioned, opt_in) in enumerate(rows)
    ]
    outcome = redistribute(positions)
    assert outcome.requisitioned_sek + outcome.unrequisitioned_sek == outcome.allocated_sek
    assert outcome.redistributed_sek + outcome.unallocated_sek == outcome.unrequisitioned_sek
    eligible = [p for p in positions if p.opted_in and p.requisitioned_sek == p.allocation_sek]
    if eligible:
        assert outcome.unallocated_sek == 0
    else:
        assert outcome.redistributed_sek == 0
    assert all(amount >= 0 for amount in outcome.shares.values())
