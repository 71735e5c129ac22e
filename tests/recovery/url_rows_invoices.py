"""The invoice pages' rows of the URL × role table
(tests/access/url_access_table.py): READ_RECOVERY (handläggare,
beslutsfattare, ekonomi) reads, MANAGE_INVOICES (ekonomi) credits and writes
off; the PDFs and the organisation's page are also for the organisation's
own members (uppgiftssamordnare, representant, ombud); anyone else logged in
gets 403, the anonymous the login page. The world's organisation has one
invoice (25 000 kr) with one credit note (1 000 kr)."""

from tests.access.url_access_table import Entry, expect

READERS_200 = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)
READERS_AND_MEMBERS_200 = expect(
    403,
    anonymous=302,
    handlaggare=200,
    beslutsfattare=200,
    ekonomi=200,
    uppgiftssamordnare=200,
    representant=200,
    ombud=200,
)
EKONOMI_ACTS = expect(403, anonymous=302, ekonomi=302)


def _objects(world) -> dict:
    if "invoices" not in world.extras:
        from fordela.recovery.services.invoices import credit_invoice
        from tests.recovery.invoice_fixtures import invoice_for, staff_users

        invoice = invoice_for(world.organisation, amount_sek=25_000)
        note = credit_invoice(staff_users()["ekonomi"], invoice, 1_000, "Fel belopp.")
        world.extras["invoices"] = {"invoice": invoice, "credit_note": note}
    return world.extras["invoices"]


def invoice_kwargs(world) -> dict:
    return {"pk": _objects(world)["invoice"].pk}


def credit_note_kwargs(world) -> dict:
    return {"pk": _objects(world)["credit_note"].pk}


def organisation_kwargs(world) -> dict:
    _objects(world)
    return {"organisation_id": world.organisation.pk}


ROWS = {
    "recovery:invoices": Entry(READERS_200),
    "recovery:invoice": Entry(READERS_200, kwargs=invoice_kwargs),
    "recovery:invoice_credit": Entry(
        EKONOMI_ACTS,
        kwargs=invoice_kwargs,
        method="post",
        data=lambda w: {"amount_sek": "500", "reason": "Fel belopp.", "confirmed": "1"},
        note="confirmed: a credit note, back to the invoice",
    ),
    "recovery:invoice_write_off": Entry(
        EKONOMI_ACTS,
        kwargs=invoice_kwargs,
        method="post",
        data=lambda w: {"reason": "Organisationen har upphört.", "confirmed": "1"},
        note="confirmed: written off, back to the invoice",
    ),
    "recovery:invoice_ubl": Entry(READERS_200, kwargs=invoice_kwargs),
    "recovery:credit_note_ubl": Entry(READERS_200, kwargs=credit_note_kwargs),
    "recovery:invoice_pdf": Entry(READERS_AND_MEMBERS_200, kwargs=invoice_kwargs),
    "recovery:credit_note_pdf": Entry(READERS_AND_MEMBERS_200, kwargs=credit_note_kwargs),
    "recovery:organisation": Entry(READERS_AND_MEMBERS_200, kwargs=organisation_kwargs),
}
# The same pages when they refuse: unconfirmed they ask (200 for ekonomi).
POST_ROWS = {
    "recovery:invoice_credit": Entry(
        expect(403, anonymous=302, ekonomi=200),
        kwargs=invoice_kwargs,
        method="post",
        data=lambda w: {"amount_sek": "500", "reason": "Fel belopp."},
        note="unconfirmed: the confirmation page",
    ),
    "recovery:invoice_write_off": Entry(
        expect(403, anonymous=302, ekonomi=400),
        kwargs=invoice_kwargs,
        method="post",
        data=lambda w: {"reason": ""},
        note="no reason: the invoice page with the error",
    ),
}
