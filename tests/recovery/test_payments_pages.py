# ruff: noqa: F811 - the fixtures imported from payment_fixtures
"""The incoming-payment pages: who may see and do what, the forms' errors,
the upload, the confirmation before a resolution, the list's filters, sums
and query budget."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fordela.access.models import StaffRole
from fordela.recovery.models import BgMaxImport, IncomingPayment, InvoiceStatus
from fordela.recovery.services import payments
from tests.query_budget import query_budget
from tests.recovery.bgmax_files import bgmax_file, deposit, payment
from tests.recovery.payment_fixtures import (  # noqa: F401
    create_invoice,
    ekonomi,
    make_invoice,
    make_staff,
    today,
)

DATA = Path(__file__).parent / "data"
BG = "55555551"


@pytest.fixture
def client_as():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def sv(settings):
    settings.LANGUAGE_CODE = "sv"


def _text(response) -> str:
    """The page's text with its no-break spaces as spaces."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


def _upload(content: bytes, name="BGMAX.txt", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_pages_answer_ekonomi(ekonomi, make_invoice, client_as):
    invoice = make_invoice(10_000)
    queued = payments.register_payment(
        ekonomi, reference="", amount_sek=500, paid_on=datetime.date(2022, 6, 14)
    )
    imported = payments.import_bgmax(
        ekonomi, "a.txt", bgmax_file([deposit(BG, [payment(invoice.ocr, 100_00, 1)])])
    )
    client = client_as(ekonomi)
    for name, args in [
        ("recovery:payments", []),
        ("recovery:payment_queue", []),
        ("recovery:payment_register", []),
        ("recovery:payment_import", []),
        ("recovery:payment_import_result", [imported.pk]),
        ("recovery:payment", [queued.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("recovery:payment", args=[queued.pk])).content.decode()
    assert 'id="resolve-form"' in page


@pytest.mark.parametrize("role", [StaffRole.HANDLAGGARE, StaffRole.BESLUTSFATTARE])
def test_readers_read_but_do_not_act(make_invoice, client_as, role):
    ekonomi = make_staff(StaffRole.EKONOMI)
    queued = payments.register_payment(
        ekonomi, reference="", amount_sek=500, paid_on=datetime.date(2022, 6, 14)
    )
    client = client_as(make_staff(role))
    assert client.get(reverse("recovery:payments")).status_code == 200
    page = client.get(reverse("recovery:payment", args=[queued.pk]))
    assert page.status_code == 200 and b'id="resolve-form"' not in page.content
    assert client.get(reverse("recovery:payment_register")).status_code == 403
    assert client.get(reverse("recovery:payment_import")).status_code == 403
    posted = client.post(reverse("recovery:payment_import"), {"file": _upload(b"01BGMAX")})
    assert posted.status_code == 403
    resolve = client.post(
        reverse("recovery:payment_resolve", args=[queued.pk]),
        {"action": "close", "note": "x", "confirmed": "1"},
    )
    assert resolve.status_code == 403
    assert IncomingPayment.objects.count() == 1 and not BgMaxImport.objects.exists()


def test_a_consultee_and_an_organisation_are_refused(ekonomi, client_as, today):
    from django.contrib.auth import get_user_model

    consultee = make_staff(StaffRole.CONSULTEE)
    nobody = get_user_model().objects.create_user("nobody", password="pw")
    for user in (consultee, nobody):
        assert client_as(user).get(reverse("recovery:payments")).status_code == 403
    assert Client().get(reverse("recovery:payments")).status_code == 302


def test_registering_by_hand_and_the_double_submit(ekonomi, make_invoice, client_as, sv):
    invoice = make_invoice(10_000)
    client = client_as(ekonomi)
    key = str(uuid.uuid4())
    data = {
        "reference": invoice.ocr,
        "amount_sek": "4 000",
        "paid_on": "2022-06-14",
        "payer_name": "Ale kommun",
        "submission_key": key,
    }
    response = client.post(reverse("recovery:payment_register"), data, follow=True)
    assert response.status_code == 200
    assert "registrerad" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.paid_sek == 4_000 and invoice.status == InvoiceStatus.PARTLY_PAID
    again = client.post(reverse("recovery:payment_register"), data)
    assert again.status_code == 302
    invoice.refresh_from_db()
    assert invoice.paid_sek == 4_000 and IncomingPayment.objects.count() == 1


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"amount_sek": "-5"}, "hela kronor"),
        ({"amount_sek": "0"}, "1"),
        ({"amount_sek": "1,50"}, "hela kronor"),
        ({"amount_sek": "99999999999999999999999"}, "10 000 000 000"),
        ({"paid_on": "2099-01-01"}, "efter i dag"),
        ({"paid_on": "15/6"}, "2022-06-14"),
        ({"reference": "1" * 26}, "25"),
    ],
)
def test_bad_input_in_the_form_is_shown_and_nothing_registered(
    ekonomi, make_invoice, client_as, sv, changes, expected
):
    invoice = make_invoice(10_000)
    data = {"reference": invoice.ocr, "amount_sek": "100", "paid_on": "2022-06-14", **changes}
    response = client_as(ekonomi).post(reverse("recovery:payment_register"), data)
    assert response.status_code == 400
    body = _text(response)
    assert "govuk-error-summary" in body and expected in body
    assert not IncomingPayment.objects.exists()


def test_importing_the_sample_file_shows_the_result(ekonomi, make_invoice, client_as, sv):
    make_invoice(10_000), make_invoice(5_000)
    client = client_as(ekonomi)
    content = (DATA / "bgmax_three_payments.txt").read_bytes()
    response = client.post(reverse("recovery:payment_import"), {"file": _upload(content)})
    imported = BgMaxImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:payment_import_result", args=[imported.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="matched">2<' in page and 'id="queued">1' in page
    assert 'id="skipped-count">0<' in page
    # The same file again: refused on the form, nothing registered twice.
    again = client.post(reverse("recovery:payment_import"), {"file": _upload(content, "kopia.txt")})
    assert again.status_code == 400
    assert "redan inläst" in again.content.decode()
    assert IncomingPayment.objects.count() == 3
    # An overlapping file: its registered payment is listed as not registered.
    overlapping = client.post(
        reverse("recovery:payment_import"),
        {"file": _upload((DATA / "bgmax_overlapping.txt").read_bytes())},
        follow=True,
    )
    body = _text(overlapping)
    assert 'id="skipped-count">1<' in body and "660000000103" in body and "1 234,00" in body


@pytest.mark.parametrize(
    "upload, expected",
    [
        (_upload(b"%PDF-1.7\n1 0 obj\n", "faktura.pdf", "application/pdf"), "inte en BgMax-fil"),
        (_upload(b"", "tom.txt"), "tom"),
        (_upload((DATA / "bgmax_other_bankgiro.txt").read_bytes()), "991-2346"),
        (_upload((DATA / "bgmax_wrong_count.txt").read_bytes()), "Rad 14"),
        (_upload(b"x" * (payments.MAX_FILE_BYTES + 1)), "5 MB"),
    ],
)
def test_a_wrong_upload_is_refused_on_the_form(ekonomi, client_as, sv, today, upload, expected):
    response = client_as(ekonomi).post(reverse("recovery:payment_import"), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and expected in body
    assert not BgMaxImport.objects.exists()


def test_no_file_is_refused(ekonomi, client_as, sv, today):
    response = client_as(ekonomi).post(reverse("recovery:payment_import"), {})
    assert response.status_code == 400 and "Välj BgMax-filen" in response.content.decode()


def test_a_resolution_asks_first_then_resolves(ekonomi, make_invoice, client_as, sv):
    invoice = make_invoice(10_000)
    queued = payments.register_payment(
        ekonomi, reference="Ale återbetalning", amount_sek=3_000, paid_on=datetime.date(2022, 6, 14)
    )
    client = client_as(ekonomi)
    url = reverse("recovery:payment_resolve", args=[queued.pk])
    data = {"action": "apply", "invoice": invoice.number, "note": "Enligt mejl"}
    asked = client.post(url, data)
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    assert f"Föra inbetalningen till faktura {invoice.number}?" in asked.content.decode()
    invoice.refresh_from_db()
    assert invoice.paid_sek == 0
    done = client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302
    invoice.refresh_from_db()
    queued.refresh_from_db()
    assert invoice.paid_sek == 3_000 and queued.status == "resolved"


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"action": "apply", "invoice": "123"}, "Ingen faktura"),
        ({"action": "apply", "invoice": ""}, "Välj fakturan"),
        ({"action": "close", "note": "", "confirmed": "1"}, "varför"),
        ({"action": "explode"}, "Välj"),
        ({}, "Välj vad"),
    ],
)
def test_a_wrong_resolution_is_shown_on_the_payment(ekonomi, client_as, sv, today, data, expected):
    queued = payments.register_payment(
        ekonomi, reference="", amount_sek=3_000, paid_on=datetime.date(2022, 6, 14)
    )
    response = client_as(ekonomi).post(reverse("recovery:payment_resolve", args=[queued.pk]), data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    queued.refresh_from_db()
    assert queued.status == "to_resolve"


def test_the_list_filters_and_sums(ekonomi, make_invoice, client_as):
    invoice = make_invoice(10_000)
    payments.register_payment(
        ekonomi, reference=invoice.ocr, amount_sek=4_000, paid_on=datetime.date(2022, 6, 1)
    )
    payments.register_payment(
        ekonomi, reference="", amount_sek=700, paid_on=datetime.date(2022, 6, 10)
    )
    client = client_as(ekonomi)
    everything = client.get(reverse("recovery:payments"))
    assert everything.context["totals"]["amount"] == 4_700
    assert everything.context["totals"]["waiting"] == 700
    queued = client.get(reverse("recovery:payments"), {"status": "to_resolve"})
    assert [p.amount_sek for p in queued.context["page"]] == [700]
    dated = client.get(
        reverse("recovery:payments"), {"paid_from": "2022-06-01", "paid_to": "2022-06-05"}
    )
    assert [p.amount_sek for p in dated.context["page"]] == [4_000]
    wrong = client.get(
        reverse("recovery:payments"), {"paid_from": "2022-06-05", "paid_to": "2022-06-01"}
    )
    assert wrong.status_code == 200 and list(wrong.context["page"]) == []
    nonsense = client.get(reverse("recovery:payments"), {"status": "<script>", "paid_from": "x"})
    assert nonsense.status_code == 200
    queue = client.get(reverse("recovery:payment_queue"))
    assert [p.amount_sek for p in queue.context["page"]] == [700]


def test_the_lists_queries_do_not_grow_with_their_rows(ekonomi, make_invoice, client_as):
    invoices = [make_invoice(1_000) for _ in range(3)]
    client = client_as(ekonomi)

    def add():
        for number, invoice in enumerate(invoices, 1):
            payments.register_payment(
                ekonomi, reference=invoice.ocr, amount_sek=1_500, paid_on=datetime.date(2022, 6, 1)
            )
        content = bgmax_file(
            [deposit(BG, [payment(inv.ocr, 100_00, n) for n, inv in enumerate(invoices, 10)])]
        )
        payments.import_bgmax(ekonomi, "x.txt", content)

    payments.register_payment(
        ekonomi, reference="", amount_sek=100, paid_on=datetime.date(2022, 6, 1)
    )
    payments.import_bgmax(
        ekonomi,
        "first.txt",
        bgmax_file([deposit(BG, [payment("", 100_00, 1, reference_code="1")])]),
    )
    for url in (reverse("recovery:payments"), reverse("recovery:payment_queue")):
        with query_budget(client, url):
            add()
            invoices[:] = [make_invoice(1_000) for _ in range(3)]


def test_an_imports_page_runs_as_many_queries_for_many_payments(ekonomi, make_invoice, client_as):
    from tests.query_budget import assert_same_query_count

    small_invoices = [make_invoice(1_000)]
    large_invoices = [make_invoice(1_000) for _ in range(6)]
    small = payments.import_bgmax(
        ekonomi,
        "small.txt",
        bgmax_file(
            [deposit(BG, [payment(small_invoices[0].ocr, 1_500_00, 1), payment("", 100, 2)])]
        ),
    )
    large = payments.import_bgmax(
        ekonomi,
        "large.txt",
        bgmax_file(
            [
                deposit(
                    BG,
                    [payment(inv.ocr, 1_500_00, 10 + n) for n, inv in enumerate(large_invoices)]
                    + [payment("", 99, 30), payment("", 50, 31), payment("", 200_00, 1)],
                )
            ]
        ),
    )
    assert len(large.skipped) == 3 and small.skipped == []
    client = client_as(ekonomi)
    assert_same_query_count(
        client,
        reverse("recovery:payment_import_result", args=[small.pk]),
        reverse("recovery:payment_import_result", args=[large.pk]),
    )
