"""The application path in a browser: an NGO ombud applies to `ideella`
2022 with a budget and attachments; the handläggare scores and asks for
completion; the NGO completes; proposal; the beslutsfattare decides a partial
grant; the PDF letter arrives by e-mail with the amount; the grant is on the
public list and in the next payment batch. And a stimulus application goes to
Jämställdhetsmyndigheten, who sees nothing else and files an opinion.

Uses ``live_server`` with the world from tests/applications (committed data
the server thread can see; flushed after each test)."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from fordela.applications.models import Application, ApplicationStatus
from fordela.applications.services import applying, consultation, decisions
from fordela.payments.models import Payable, PaymentBatch
from tests.applications.conftest import (  # noqa: F401 - fixtures
    NGO_ANSWERS,
    clock_at,
    pdf_bytes,
    smtp_sink,
    submitted_for,
    world,
)
from tests.e2e.helpers import login, wait_for_mail


@pytest.fixture
def site(live_server, settings, world):  # noqa: F811
    settings.FORDELA_PASSWORD_LOGIN = True
    return live_server.url


def attach(page, item: str, name: str):
    page.select_option("#attachment-form #id_item", item)
    page.set_input_files(
        "#attachment-form #id_file",
        {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()},
    )
    page.locator("#attachment-form button[type=submit]").click()
    page.wait_for_load_state()


def fill_application(page):
    page.fill("#id_project_title", "Stöd till våldsutsatta i Ale")
    page.fill("#id_requested_sek", "300000")
    page.fill("#id_budget_personnel_sek", "200000")
    page.fill("#id_budget_activities_sek", "80000")
    page.fill("#id_budget_other_sek", "20000")
    page.fill("#id_other_public_funding", "Kommunalt föreningsbidrag 50 000 kr")
    page.fill("#id_contact_name", "Anna Andersson")
    page.fill("#id_contact_email", "anna@kvinnojouren.example")
    page.fill("#id_bank_giro", "5050-1055")
    for key in ("purpose", "goals", "people_reached", "municipalities", "founded"):
        page.fill(f"#id_q_{key}", NGO_ANSWERS[key])
    page.check(f"input[name=q_target_group][value='{NGO_ANSWERS['target_group']}']")
    page.check("#id_truth_declared")


def test_ngo_applies_is_assessed_completes_and_gets_a_partial_grant(
    site,
    browser,
    world,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    call = world.ngo_call

    # 1. The ombud reads the call page, starts, attaches the PDFs and fills in.
    ombud = login(browser, site, "ombud")
    ombud.goto(f"{site}/utlysningar/{call.pk}/")
    assert "Stadgar" in ombud.inner_text("#attachment-checklist")
    ombud.locator(f"form[action$='/utlysning/{call.pk}/ansok/'] button").click()
    ombud.wait_for_url("**/ansokan/*/")
    for item in call.attachment_checklist:
        attach(ombud, item["key"], f"{item['key']}.pdf")
    application = Application.objects.get(organisation=world.ngo)
    assert application.attachments.count() == 4
    fill_application(ombud)
    ombud.locator("button[name=action][value=check]").click()
    ombud.wait_for_url("**/kontrollera/")
    ombud.locator("#complete").wait_for()
    # The check page shows every answer, the budget and the attachments.
    assert "Stöd till våldsutsatta i Ale" in ombud.inner_text("#answers")
    assert "200 000" in ombud.inner_text("#budget").replace("\u202f", " ").replace("\xa0", " ")
    assert "statutes.pdf" in ombud.inner_text("#attachment-check")
    assert ombud.inner_text("nav .steps [aria-current=step]") == "Kontrollera"
    ombud.locator("#submit-form button[type=submit]").click()
    # Submitting asks first; nothing is sent until it is confirmed.
    ombud.get_by_role("heading", name="Skicka in ansökan?").wait_for()
    application.refresh_from_db()
    assert application.is_draft
    ombud.get_by_role("button", name="Ja, skicka in ansökan").click()
    ombud.wait_for_url(re.compile(r"/status/\?kvittens=1$"))
    ombud.locator(".govuk-panel--confirmation").wait_for()
    case_number = ombud.inner_text(".case-number")
    application.refresh_from_db()
    assert application.case_number == case_number
    assert application.requested_sek == 300_000
    receipt = wait_for_mail(smtp_sink, 1)
    assert case_number in receipt[0]["Subject"]

    # 2. The handläggare finds it in the queue, scores and asks for completion.
    officer = login(browser, site, "handlaggare")
    officer.goto(f"{site}/handlaggning/ansokningar/utlysning/{call.pk}/")
    officer.locator(f"#queue a:text('{case_number}')").click()
    officer.wait_for_url(f"**/handlaggning/ansokningar/{application.pk}/")
    officer.check("form[data-criterion=goals] input[name='goals-score'][value='4']")
    officer.fill("form[data-criterion=goals] textarea", "Tydliga mål och uppföljning.")
    officer.locator("form[data-criterion=goals] button").click()
    officer.wait_for_load_state()
    assert application.scores.get().score == 4
    officer.fill("#id_completion-message", "Revisionsberättelsen saknar underskrift.")
    officer.fill("#id_completion-reply_by", "2021-12-01")
    officer.locator("#completion-request-form button").click()
    officer.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETION_REQUESTED
    wait_for_mail(smtp_sink, 2)

    # 3. The NGO sees the request, attaches a signed report and answers.
    ombud.reload()
    assert "Revisionsberättelsen saknar underskrift." in ombud.inner_text("#completion")
    attach(ombud, "audit_report", "revisionsberattelse-signerad.pdf")
    ombud.fill("#id_answer", "Underskriven revisionsberättelse bifogad.")
    ombud.locator("#completion-form button").click()
    # Sending the completion asks first; nothing is sent until it is confirmed.
    ombud.get_by_role("heading", name="Skicka kompletteringen?").wait_for()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETION_REQUESTED
    ombud.get_by_role("button", name="Ja, skicka kompletteringen").click()
    ombud.wait_for_url(re.compile(r"/status/$"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    # 4. The handläggare proposes a partial grant.
    officer.reload()
    officer.check("#proposal-form input[name='proposal-outcome'][value=partial]")
    officer.fill("#id_proposal-amount_sek", "250000")
    officer.fill(
        "#id_proposal-reasons", "Budgeten för aktiviteter är hög i förhållande till målen."
    )
    officer.locator("#proposal-form button").click()
    officer.get_by_role("button", name="Ja, föreslå beslutet").click()
    officer.locator("#decision-amount").wait_for()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PROPOSED

    # 5. The beslutsfattare decides; the letter arrives as a PDF with the amount.
    decider = login(browser, site, "beslutsfattare")
    decider.goto(f"{site}/handlaggning/ansokningar/{application.pk}/")
    decider.locator(f"form[action$='/{application.pk}/beslut/'] button").click()
    decider.get_by_role("heading", name="Besluta enligt förslaget?").wait_for()
    decider.get_by_role("button", name="Ja, besluta").click()
    decider.locator("a[href$='beslut.pdf']").wait_for()
    mail = wait_for_mail(smtp_sink, 3)
    letter = next(m for m in mail if "Beslut" in m["Subject"] or "Decision" in m["Subject"])
    attachment = next(letter.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "250 000 kronor" in text.replace("\u202f", " ")
    assert world.ngo.name in text

    # 6. The grant is on the public list, and the applicant sees the decision.
    public = browser.new_page()
    public.goto(f"{site}/utlysningar/{call.pk}/beviljade/")
    row = public.inner_text("#granted")
    assert world.ngo.name in row and "250" in row
    ombud.reload()
    assert ombud.locator("#decision").count() == 1

    # 7. Ekonomi's next payment batch pays it.
    clerk = login(browser, site, "ekonomi")
    clerk.goto(f"{site}/handlaggning/utbetalningar/")
    clerk.fill("#id_payment_date", "2021-12-20")
    clerk.locator("form[action$='/utbetalningar/ny/'] button").click()
    clerk.wait_for_url("**/utbetalningar/*/")
    batch = PaymentBatch.objects.get()
    assert batch.total_sek == 250_000
    assert Payable.objects.get().case_number == case_number


def test_stimulus_application_goes_to_the_consultee_who_sees_nothing_else(
    site,
    browser,
    world,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    from tests.applications.conftest import submitted_ngo_application

    other = submitted_ngo_application(world)
    stimulus = submitted_for(
        world, world.lansstyrelse, world.users["ombud_lst"], world.stimulus_call, 1_000_000
    )

    officer = login(browser, site, "handlaggare")
    officer.goto(f"{site}/handlaggning/ansokningar/{stimulus.pk}/")
    officer.fill("#id_consultation-reply_by", "2021-12-10")
    officer.fill("#id_consultation-message", "Vi ber om era synpunkter på ansökan.")
    officer.locator("#consultation-form button").click()
    officer.wait_for_load_state()
    request = stimulus.consultations.get()

    consultee = login(browser, site, "jamy")
    consultee.goto(f"{site}/remisser/")
    listing = consultee.inner_text("#consultations")
    assert stimulus.case_number in listing and other.case_number not in listing
    response = consultee.goto(f"{site}/handlaggning/ansokningar/{other.pk}/")
    assert response.status == 403
    response = consultee.goto(f"{site}/ansokan/{other.pk}/status/")
    assert response.status == 403
    consultee.goto(f"{site}/remisser/{request.pk}/")
    consultee.fill("#id_text", "Jämställdhetsmyndigheten tillstyrker ansökan.")
    consultee.select_option("#id_recommendation", "partial")
    consultee.fill("#id_amount_sek", "800000")
    consultee.locator("#opinion-form button").click()
    consultee.locator("#opinion").wait_for()
    request.refresh_from_db()
    assert request.opinion.amount_sek == 800_000

    officer.reload()
    assert "tillstyrker" in officer.inner_text("#opinion")
    decision = decisions.propose_decision(
        world.users["handlaggare"], stimulus, "partial", "Enligt yttrandet.", amount_sek=800_000
    )
    assert decision.consultation == "answered"


def test_application_pages_have_no_serious_accessibility_violations(
    site,
    browser,
    world,  # noqa: F811
):
    from tests.applications.conftest import submitted_ngo_application
    from tests.e2e.axe import axe_violations, format_violations

    public = browser.new_page()
    found = {}
    for name, path in [
        ("calls", "/utlysningar/"),
        ("call", f"/utlysningar/{world.ngo_call.pk}/"),
        ("granted", f"/utlysningar/{world.ngo_call.pk}/beviljade/"),
    ]:
        public.goto(site + path)
        found[name] = axe_violations(public)
    draft = applying.start_application(world.users["representant"], world.ngo, world.ngo_call)
    ombud = login(browser, site, "ombud")
    for name, path in [
        ("form", f"/ansokan/{draft.pk}/"),
        ("check", f"/ansokan/{draft.pk}/kontrollera/"),
    ]:
        ombud.goto(site + path)
        found[name] = axe_violations(ombud)
    Application.objects.filter(pk=draft.pk).delete()
    submitted = submitted_ngo_application(world)
    ombud.goto(f"{site}/ansokan/{submitted.pk}/status/")
    found["status"] = axe_violations(ombud)
    stimulus = submitted_for(
        world, world.lansstyrelse, world.users["ombud_lst"], world.stimulus_call, 500_000
    )
    request = consultation.send_to_consultation(
        world.users["handlaggare"], stimulus, datetime.date(2021, 12, 10)
    )
    officer = login(browser, site, "handlaggare")
    for name, path in [
        ("staff calls", "/handlaggning/ansokningar/"),
        ("queue", f"/handlaggning/ansokningar/utlysning/{world.ngo_call.pk}/"),
        ("case", f"/handlaggning/ansokningar/{submitted.pk}/"),
        ("stimulus case", f"/handlaggning/ansokningar/{stimulus.pk}/"),
    ]:
        officer.goto(site + path)
        found[name] = axe_violations(officer)
    consultee = login(browser, site, "jamy")
    for name, path in [("requests", "/remisser/"), ("request", f"/remisser/{request.pk}/")]:
        consultee.goto(site + path)
        found[name] = axe_violations(consultee)
    found = {name: v for name, v in found.items() if v}
    assert not found, "axe found problems:\n" + format_violations(found)


def test_autosave_keeps_the_draft_and_shows_a_bad_amount_beside_its_field(
    site,
    browser,
    world,  # noqa: F811
):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    ombud = login(browser, site, "ombud")
    ombud.goto(f"{site}/ansokan/{application.pk}/")
    ombud.fill("#id_project_title", "Sparas ändå")
    ombud.fill("#id_requested_sek", "tre hundra tusen")
    error = ombud.locator("#id_requested_sek_error")
    error.wait_for()
    assert "hela kronor" in error.inner_text()
    assert "govuk-form-group--error" in ombud.locator(
        ".govuk-form-group:has(#id_requested_sek)"
    ).get_attribute("class")
    assert "id_requested_sek_error" in ombud.get_attribute("#id_requested_sek", "aria-describedby")
    # What was typed stays; everything else was saved.
    assert ombud.input_value("#id_requested_sek") == "tre hundra tusen"
    application.refresh_from_db()
    assert application.project_title == "Sparas ändå"
    # Corrected, the problem goes away.
    ombud.fill("#id_requested_sek", "300 000")
    error.wait_for(state="detached")
    application.refresh_from_db()
    assert application.requested_sek == 300_000


def test_the_ombud_deletes_a_draft_after_confirming(site, browser, world):  # noqa: F811
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    ombud = login(browser, site, "ombud")
    ombud.goto(f"{site}/ansokan/{application.pk}/")
    ombud.locator("#delete-form button").click()
    ombud.get_by_role("heading", name="Radera utkastet till ansökan?").wait_for()
    assert Application.objects.filter(pk=application.pk).exists()
    ombud.get_by_role("button", name="Ja, radera utkastet").click()
    ombud.wait_for_url("**/ansokningar/")
    assert not Application.objects.filter(pk=application.pk).exists()


def test_application_draft_is_autosaved_while_typing(site, browser, world):  # noqa: F811
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    coordinator = login(browser, site, "samordnare")
    coordinator.goto(f"{site}/ansokan/{application.pk}/")
    coordinator.fill("#id_q_purpose", "Skrivet av samordnaren.")
    coordinator.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.trim() !== ''"
    )
    application.refresh_from_db()
    assert application.answers["purpose"] == "Skrivet av samordnaren."
