"""The start pages show recovery work (issue 18): the handläggare the reports
that need a recovery decision, the beslutsfattare the proposals to decide
(never their own), ekonomi the incoming payments to resolve and the overdue
invoices, and the organisation its open invoices with amount and due date.
The page's queries do not grow with the work."""

import datetime

from django.conf import settings
from django.urls import reverse

from fordela.core.formatting import kronor
from fordela.recovery.models import Invoice, RecoveryDecision
from fordela.recovery.services import decisions, payments
from tests.access.test_start_pages import work_items
from tests.query_budget import query_budget
from tests.recovery.conftest import (  # noqa: F401 - fixtures
    _media_root,
    clock_at,
    decided_claim,
    english,
    propose_claim,
    recovery_world,
    report_form,
    round_,
)


def start_page(client, user, language="en") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("access:my_pages"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_handlaggare_sees_the_reports_that_need_a_recovery_decision(
    client,
    recovery_world,  # noqa: F811
):
    world = recovery_world
    items = work_items(start_page(client, world.handlaggare))
    href, count = items["Reports that need a recovery decision"]
    assert href == reverse("recovery:decisions") + "?status=candidate"
    assert count == "3"  # approved with unused money, rejected, missing after a reminder
    proposal = propose_claim(world)
    decisions.return_recovery_proposal(world.beslutsfattare, proposal, "Fel grund.")
    page = start_page(client, world.handlaggare)
    assert work_items(page)["Reports that need a recovery decision"][1] == "2"
    assert "1 of your proposals sent back to you" in page
    # Neither ekonomi nor the organisation sees the handläggare's list.
    assert "Reports that need a recovery decision" not in start_page(client, world.users["ekonomi"])
    assert "Reports that need a recovery decision" not in start_page(client, world.users["ombud"])


def test_the_beslutsfattare_sees_proposals_to_decide_but_not_their_own(
    client,
    recovery_world,  # noqa: F811
):
    world = recovery_world
    items = work_items(start_page(client, world.beslutsfattare))
    assert items["Recovery proposals to decide"] == (
        reverse("recovery:decisions") + "?status=proposed",
        "0",
    )
    proposal = propose_claim(world)
    page = start_page(client, world.beslutsfattare)
    assert work_items(page)["Recovery proposals to decide"][1] == "1"
    assert f"{kronor(proposal.amount_sek)} to claim back in all" in page
    decisions.decide_recovery(world.beslutsfattare, proposal)
    assert work_items(start_page(client, world.users["beslutsfattare2"]))[
        "Recovery proposals to decide"
    ][1] == ("0")
    assert "Recovery proposals to decide" not in start_page(client, world.handlaggare)


def test_ekonomi_sees_payments_to_resolve_and_overdue_invoices(
    client,
    recovery_world,  # noqa: F811
    clock_at,  # noqa: F811
):
    world = recovery_world
    ekonomi = world.users["ekonomi"]
    decided_claim(world)
    invoice = Invoice.objects.get()
    items = work_items(start_page(client, ekonomi))
    assert items["Incoming payments to resolve"][1] == "0"
    assert items["Overdue recovery invoices"][1] == "0"

    payments.register_payment(
        ekonomi, reference="Återbetalning Ale", amount_sek=1_500, paid_on=datetime.date(2022, 4, 4)
    )
    clock_at(f"{invoice.due_on + datetime.timedelta(days=1)}T09:00")
    page = start_page(client, ekonomi)
    items = work_items(page)
    assert items["Incoming payments to resolve"][1] == "1"
    assert f"Unmatched or paid in excess: {kronor(1_500)}" in page
    assert items["Overdue recovery invoices"][1] == "1"
    assert f"{kronor(invoice.amount_sek)} still claimed after the due date" in page
    assert "Incoming payments to resolve" not in start_page(client, world.handlaggare)


def test_the_organisation_sees_its_open_invoice_with_amount_and_due_date(
    client,
    recovery_world,  # noqa: F811
    clock_at,  # noqa: F811
):
    world = recovery_world
    decided_claim(world)
    invoice = Invoice.objects.get()
    label = f"Pay recovery invoice {invoice.number}"
    page = start_page(client, world.users["ombud"])
    href, status = work_items(page)[label]
    # The organisation's recovery page: its invoices with their PDFs.
    assert href == reverse("recovery:organisation", args=[invoice.organisation_id])
    assert client.get(href).status_code == 200
    assert status == "Issued"
    assert f"{kronor(invoice.amount_sek)} to pay by {invoice.due_on:%-d %B %Y}" in page
    assert invoice.ocr in page
    # Another organisation's ombud does not see it.
    assert label not in start_page(client, world.users["ombud_b"])

    payments.register_payment(
        world.users["ekonomi"],
        reference=invoice.ocr,
        amount_sek=1_000,
        paid_on=datetime.date(2022, 4, 4),
    )
    clock_at(f"{invoice.due_on + datetime.timedelta(days=1)}T09:00")
    page = start_page(client, world.users["ombud"], "sv")
    assert f"{kronor(invoice.amount_sek - 1_000)} att betala senast" in page
    href, status = work_items(page)[f"Betala återkravsfaktura {invoice.number}"]
    assert status == "Förfallen"

    payments.register_payment(
        world.users["ekonomi"],
        reference=invoice.ocr,
        amount_sek=invoice.amount_sek - 1_000,
        paid_on=invoice.due_on,
    )
    assert "Betala återkravsfaktura" not in start_page(client, world.users["ombud"], "sv")


def test_the_start_pages_do_not_grow_with_recovery_work(
    client,
    recovery_world,  # noqa: F811
):
    world = recovery_world
    decided_claim(world)
    ekonomi = world.users["ekonomi"]

    def unmatched(amount):
        payments.register_payment(
            ekonomi, reference="Okänd", amount_sek=amount, paid_on=datetime.date(2022, 4, 4)
        )

    unmatched(50)
    more_work = {
        "handlaggare": lambda: propose_claim(world, world.rejected),
        "beslutsfattare": lambda: propose_claim(world, world.missing),
        "ekonomi": lambda: [unmatched(amount) for amount in (100, 200)],
        # Bjurholm's first invoice.
        "ombud_b": lambda: decisions.decide_recovery(
            world.beslutsfattare, RecoveryDecision.objects.get(report=world.rejected)
        ),
    }
    for name, add in more_work.items():
        client.force_login(world.users[name])
        with query_budget(client, reverse("access:my_pages")):
            add()
    assert Invoice.objects.count() == 2
