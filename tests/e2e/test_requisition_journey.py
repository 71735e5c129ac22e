"""The money path in a browser: an ombud requisitions the full 2021
kommuner-pafyllnad amount with opt-in and gets a receipt page and e-mail; the
handläggare sees it; after the deadline the redistribution is confirmed;
ekonomi creates a payment batch, a second person approves it, the pain.001
file downloads and the case shows paid. And the refusals: late, too much,
bad bank giro, uppgiftssamordnare — each with a clear message and no change.

Uses ``live_server`` with the small round from tests/requisitions (committed
data the server thread can see; flushed after each test)."""

import pytest

from fordela.payments.models import Payable, PayableStatus, PaymentBatch
from fordela.requisitions.models import Redistribution, Requisition, RequisitionStatus
from tests.e2e.helpers import login, wait_for_mail
from tests.requisitions.conftest import clock_at, round_, smtp_sink  # noqa: F401 - fixtures


@pytest.fixture
def site(live_server, settings, round_):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


def start_requisition(page, site, round_):  # noqa: F811
    page.goto(f"{site}/organisation/{round_.ale.pk}/")
    page.locator(f"form[action$='/rekvisition/{round_.pool.pk}/starta/'] button").click()
    page.wait_for_url("**/rekvisition/*/")
    return Requisition.objects.get(organisation=round_.ale, pool=round_.pool)


def fill_form(page, **values):
    page.fill("#id_contact_name", values.get("name", "Anna Andersson"))
    page.fill("#id_contact_email", values.get("email", "anna@ale.example.se"))
    page.fill("#id_contact_phone", values.get("phone", "0303-33 00 00"))
    page.fill("#id_bank_giro", values.get("bank_giro", "5050-1055"))
    if "amount" in values:
        page.fill("#id_amount_sek", str(values["amount"]))
    page.check("#id_conditions_confirmed")


def submit(page):
    page.locator("button[name=action][value=submit]").click()


def confirm(page):
    """Press the confirmation page's button (core/confirm.html)."""
    page.locator("main form:has(input[name=confirmed]) button[type=submit]").click()


def test_full_requisition_to_payment(site, browser, round_, clock_at, smtp_sink):  # noqa: F811
    allocation = round_.allocation(round_.ale)

    # 1. The ombud sees the open pool, requisitions the full amount and opts in.
    ombud = login(browser, site, "ombud")
    ombud.goto(f"{site}/organisation/{round_.ale.pk}/")
    assert "Kommuner, påfyllnad" in ombud.inner_text("main")
    start_requisition(ombud, site, round_)
    assert ombud.input_value("#id_amount_sek") == str(allocation)
    fill_form(ombud)
    ombud.check("#id_wants_redistribution")
    submit(ombud)
    # The confirmation page says what happens; nothing is submitted before it.
    ombud.locator("main form:has(input[name=confirmed])").wait_for()
    assert "Skicka in rekvisitionen?" in ombud.inner_text("h1")
    assert "5050-1055" in ombud.inner_text("main")
    assert Requisition.objects.get().status == RequisitionStatus.DRAFT
    confirm(ombud)
    ombud.wait_for_url("**/kvittens/")
    assert ombud.locator(".govuk-panel--confirmation").count() == 1
    case_number = ombud.inner_text(".case-number")
    requisition = Requisition.objects.get()
    assert requisition.case_number == case_number
    assert requisition.status == RequisitionStatus.SUBMITTED
    assert requisition.wants_redistribution and requisition.amount_sek == allocation

    mail = wait_for_mail(smtp_sink)
    assert case_number in mail[0]["Subject"]
    assert case_number in mail[0].get_content()

    # 2. The handläggare sees it in the pool's list.
    officer = login(browser, site, "handlaggare")
    officer.goto(f"{site}/handlaggning/rekvisitioner/{round_.pool.pk}/")
    assert case_number in officer.inner_text("main")

    # 3. After the deadline, the redistribution is previewed and confirmed.
    clock_at("2021-10-04T09:00")
    officer.goto(f"{site}/handlaggning/rekvisitioner/{round_.pool.pk}/omfordelning/")
    officer.locator("main form[method=post] button").click()
    officer.locator("main form:has(input[name=confirmed])").wait_for()
    assert not Redistribution.objects.exists()
    confirm(officer)
    officer.locator("#redistributed-total").wait_for()
    redistribution = Redistribution.objects.get()
    assert redistribution.redistributed_sek == 5_000_000 - allocation

    # 4. Ekonomi creates a batch; the creator cannot approve it.
    clerk = login(browser, site, "ekonomi")
    clerk.goto(f"{site}/handlaggning/utbetalningar/")
    clerk.fill("#id_payment_date", "2021-10-20")
    clerk.locator("form[action$='/utbetalningar/ny/'] button").click()
    clerk.wait_for_url("**/utbetalningar/*/")
    batch = PaymentBatch.objects.get()
    assert batch.total_sek == 5_000_000  # requisition + redistribution
    assert clerk.locator("form[action$='/godkann/']").count() == 0

    # 5. A second person approves, downloads the file and marks it paid.
    approver = login(browser, site, "ekonomi2")
    approver.goto(f"{site}/handlaggning/utbetalningar/{batch.pk}/")
    approver.locator("form[action$='/godkann/'] button").click()
    approver.locator("main form:has(input[name=confirmed])").wait_for()
    assert batch.reference in approver.inner_text("h1")
    confirm(approver)
    approver.locator("a[href$='pain001.xml']").wait_for()
    with approver.expect_download() as info:
        approver.locator("a[href$='pain001.xml']").click()
    with open(info.value.path(), encoding="utf-8") as stream:
        xml = stream.read()
    assert "pain.001.001.03" in xml and case_number in xml and 'Ccy="SEK"' in xml
    clock_at("2021-10-20T15:00")  # a batch is marked paid on its payment date at the earliest
    approver.locator("form[action$='/betald/'] button").click()
    approver.locator("main form:has(input[name=confirmed])").wait_for()
    confirm(approver)
    approver.locator("#batch-status").wait_for()
    batch.refresh_from_db()
    assert batch.status == "paid"
    assert set(Payable.objects.values_list("status", flat=True)) == {PayableStatus.PAID}

    # 6. The case shows paid, to the organisation and to the handläggare.
    ombud.reload()
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.PAID
    assert ombud.inner_text("#requisition-status") == "Utbetald"  # Swedish, as the ombud sees it
    officer.goto(f"{site}/handlaggning/rekvisitioner/arende/{requisition.pk}/")
    trail = officer.inner_text(".audit-trail")
    # Who confirmed the payment, in Swedish words, at the product clock's time.
    assert "Ekonomi2: Rekvisitionen betalades ut" in trail
    assert all(" 2021 " in line for line in trail.splitlines()), trail


def snapshot():
    """What a refused submission must leave alone (autosave may still save
    draft fields while the user types)."""
    fields = ("status", "case_number", "submitted_at", "submitted_by", "amount_sek")
    return list(Requisition.objects.values(*fields)), Payable.objects.count()


def test_refused_submissions_show_clear_messages_and_change_nothing(
    site,
    browser,
    round_,  # noqa: F811
    clock_at,  # noqa: F811
):
    allocation = round_.allocation(round_.ale)
    ombud = login(browser, site, "ombud")
    start_requisition(ombud, site, round_)
    before = snapshot()

    # Amount above the allocation.
    fill_form(ombud, amount=allocation + 1)
    submit(ombud)
    error = ombud.locator(".govuk-form-group--error:has(#id_amount_sek)")
    error.wait_for()
    assert f"{allocation:,}".replace(",", "\u202f") in error.inner_text()
    assert snapshot() == before

    # A bank giro with the wrong check digit.
    fill_form(ombud, bank_giro="5050-1056")
    submit(ombud)
    ombud.locator(".govuk-form-group--error:has(#id_bank_giro)").wait_for()
    assert snapshot() == before

    # The uppgiftssamordnare has no submit button; a forged submit is refused.
    coordinator = login(browser, site, "samordnare")
    coordinator.goto(ombud.url)
    assert coordinator.locator("button[name=action][value=submit]").count() == 0
    fill_form(coordinator)
    coordinator.evaluate(
        "() => { const b = document.createElement('button'); b.name = 'action';"
        " b.value = 'submit'; b.id = 'forged'; document.getElementById('requisition-form')"
        ".appendChild(b); }"
    )
    coordinator.click("#forged")
    coordinator.locator(".govuk-error-summary").wait_for()
    assert "ombud" in coordinator.inner_text(".govuk-error-summary")
    assert Requisition.objects.get().status == RequisitionStatus.DRAFT
    assert Payable.objects.count() == 0

    # After the last day: refused with the date in the message.
    clock_at("2021-10-02T08:00")
    ombud.reload()
    fill_form(ombud)
    submit(ombud)
    ombud.locator(".govuk-error-summary").wait_for()
    summary = ombud.inner_text(".govuk-error-summary")
    assert "1 oktober 2021" in summary or "1 October 2021" in summary  # until translated
    assert Requisition.objects.get().status == RequisitionStatus.DRAFT
    assert Payable.objects.count() == 0


def test_requisition_pages_have_no_serious_accessibility_violations(
    site,
    browser,
    round_,  # noqa: F811
    clock_at,  # noqa: F811
):
    from tests.e2e.axe import axe_violations, format_violations

    ombud = login(browser, site, "ombud")
    start_requisition(ombud, site, round_)
    found = {"form": axe_violations(ombud)}
    fill_form(ombud, bank_giro="5050-1056")
    ombud.locator("button[name=action][value=save]").click()
    ombud.locator("#partly-saved").wait_for()
    found["form with errors"] = axe_violations(ombud)
    fill_form(ombud)
    submit(ombud)
    ombud.locator("main form:has(input[name=confirmed])").wait_for()
    found["confirmation"] = axe_violations(ombud)
    confirm(ombud)
    ombud.wait_for_url("**/kvittens/")
    found["receipt"] = axe_violations(ombud)
    officer = login(browser, site, "handlaggare")
    for name, path in [
        ("pool", f"/handlaggning/rekvisitioner/{round_.pool.pk}/"),
        ("ledger", f"/handlaggning/rekvisitioner/{round_.pool.pk}/avstamning/"),
        ("redistribution", f"/handlaggning/rekvisitioner/{round_.pool.pk}/omfordelning/"),
        ("case", f"/handlaggning/rekvisitioner/arende/{Requisition.objects.get().pk}/"),
    ]:
        officer.goto(site + path)
        found[name] = axe_violations(officer)
    clerk = login(browser, site, "ekonomi")
    clerk.goto(site + "/handlaggning/utbetalningar/")
    found["payments"] = axe_violations(clerk)
    found = {name: v for name, v in found.items() if v}
    assert not found, "axe found problems:\n" + format_violations(found)


def test_draft_is_autosaved_while_typing(site, browser, round_):  # noqa: F811
    coordinator = login(browser, site, "samordnare")
    requisition = Requisition.objects.create(
        organisation=round_.ale,
        pool=round_.pool,
        allocation=round_.pool.allocation_key.allocations.get(organisation=round_.ale),
        allocation_sek=round_.allocation(round_.ale),
        amount_sek=round_.allocation(round_.ale),
        created_by=round_.users["ombud"],
    )
    coordinator.goto(f"{site}/rekvisition/{requisition.pk}/")
    coordinator.fill("#id_contact_phone", "0303-12 34 56")
    coordinator.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.trim() !== ''"
    )
    requisition.refresh_from_db()
    assert requisition.contact_phone == "0303-12 34 56"
    assert requisition.status == RequisitionStatus.DRAFT


def test_autosave_shows_the_servers_message_beside_the_field_and_saves_the_rest(
    site,
    browser,
    round_,  # noqa: F811
):
    ombud = login(browser, site, "ombud")
    requisition = start_requisition(ombud, site, round_)
    ombud.fill("#id_contact_name", "Cecilia Berg")
    ombud.fill("#id_bank_giro", "5050-1056")
    error = ombud.locator(".govuk-form-group--error:has(#id_bank_giro) #id_bank_giro_error")
    error.wait_for()
    assert "kontrollsiffra" in error.inner_text()
    assert "id_bank_giro_error" in ombud.get_attribute("#id_bank_giro", "aria-describedby")
    requisition.refresh_from_db()
    assert requisition.contact_name == "Cecilia Berg"  # the rest is saved
    assert requisition.bank_giro == "50501055"  # the wrong number is not
    assert ombud.input_value("#id_bank_giro") == "5050-1056"  # and not cleared

    ombud.fill("#id_bank_giro", "1234-5674")
    error.wait_for(state="detached")
    requisition.refresh_from_db()
    assert requisition.bank_giro == "12345674"


def test_the_ombud_deletes_a_draft_and_starts_again(site, browser, round_):  # noqa: F811
    ombud = login(browser, site, "ombud")
    first = start_requisition(ombud, site, round_)
    ombud.locator("button[form=delete-draft-form]").click()
    ombud.locator("main form:has(input[name=confirmed])").wait_for()
    assert "Radera utkastet till rekvisition?" in ombud.inner_text("h1")
    assert Requisition.objects.filter(pk=first.pk).exists()
    confirm(ombud)
    ombud.wait_for_url(f"**/organisation/{round_.ale.pk}/")
    assert "Utkastet till rekvisition har raderats." in ombud.inner_text("main")
    assert not Requisition.objects.filter(pk=first.pk).exists()
    second = start_requisition(ombud, site, round_)
    assert second.pk != first.pk and second.is_draft
