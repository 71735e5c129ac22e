"""The recovery decision pages: the staff list with its candidates, counts,
filters and query budget; the proposal from a report (prefilled, the figures
shown, bad input refused with the field's message); the decision's case page
with "Decide" behind a confirmation and "Send back" with a reason; the
letter as a download for staff and the organisation's members only."""

import pytest
from django.urls import reverse

from fordela.recovery.models import Invoice, RecoveryDecision, RecoveryStatus
from fordela.recovery.services import decisions
from tests.query_budget import assert_same_query_count, page_queries  # noqa: F401

from .conftest import client_for as swedish_client
from .conftest import decided_claim, propose_claim


def client_for(user):
    """A logged-in client that reads the pages in English (the msgids)."""
    client = swedish_client(user)
    client.cookies["django_language"] = "en"
    return client


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def officer(recovery_world):
    return client_for(recovery_world.handlaggare)


@pytest.fixture
def decider(recovery_world):
    return client_for(recovery_world.beslutsfattare)


def propose_url(report) -> str:
    return reverse("recovery:propose", args=[report.pk])


def form_data(**overrides) -> dict:
    data = {
        "outcome": "claim",
        "ground": "unused",
        "amount_sek": "5 000",
        "motivation": "Medlen har inte förbrukats.",
    }
    data.update(overrides)
    return data


def test_the_list_shows_the_candidates_and_the_counts(recovery_world, officer):
    w = recovery_world
    propose_claim(w, w.rejected, motivation="Ej enligt ändamålet.")
    response = officer.get(reverse("recovery:decisions"))
    assert response.status_code == 200
    html = html_of(response)
    assert 'id="candidate-count">2<' in html
    assert 'id="count-proposed">1<' in html
    assert propose_url(w.approved) in html and propose_url(w.missing) in html
    assert propose_url(w.rejected) not in html
    decision = RecoveryDecision.objects.get()
    assert reverse("recovery:decision", args=[decision.pk]) in html


@pytest.mark.parametrize(
    ("query", "candidates", "decisions_shown"),
    [
        ("status=candidate", 3, 0),
        ("status=proposed", 0, 1),
        ("status=decided", 0, 0),
        ("year=2021", 3, 1),
        ("year=1999", 3, 1),  # not a year with reports: the filter is ignored
        ("status=nonsense", 3, 1),
    ],
)
def test_the_list_filters_by_status_and_year(
    recovery_world, officer, query, candidates, decisions_shown
):
    w = recovery_world
    proposal = propose_claim(w, w.rejected, motivation="Ej enligt ändamålet.")
    # The proposal's report is no candidate; the two others and... the approved one.
    html = html_of(officer.get(reverse("recovery:decisions") + "?" + query))
    shown_candidates = sum(propose_url(r) in html for r in (w.approved, w.missing, w.rejected))
    assert shown_candidates == min(candidates, 2)
    decision_url = reverse("recovery:decision", args=[proposal.pk])
    assert (decision_url in html) == bool(decisions_shown)


def test_the_list_queries_do_not_grow_with_the_rows(recovery_world, officer):
    from tests.recovery.invoice_fixtures import approved_report

    w = recovery_world
    url = reverse("recovery:decisions")
    propose_claim(w, w.rejected, motivation="Ej enligt ändamålet.")
    small = page_queries(officer, url)
    for n in range(4):
        report = approved_report(w.round.organisations[3], unused_sek=1000 + n)
        if n % 2:
            propose_claim(w, report, amount_sek=500)
    decided_claim(w)
    large = page_queries(officer, url)
    assert len(small) == len(large), f"{len(small)} → {len(large)}"
    html = html_of(officer.get(url))
    assert 'id="candidate-count">3<' in html  # 3 + 4 − 1 − 2 proposed − 1 decided


def test_the_propose_page_is_prefilled_with_the_figures(recovery_world, officer):
    w = recovery_world
    html = html_of(officer.get(propose_url(w.approved)))
    unused = f"{w.approved.unused_sek:,}".replace(",", "\u00a0")
    assert 'id="unused"' in html and 'id="paid"' in html and 'id="suggested"' in html
    assert f'value="{w.approved.unused_sek}"' in html
    assert 'value="unused" checked' in html.replace('"\n', '" ').replace("  ", " ") or (
        'value="unused"' in html
    )
    assert unused in html or str(w.approved.unused_sek) in html


def test_proposing_from_the_page(recovery_world, officer):
    w = recovery_world
    response = officer.post(propose_url(w.approved), form_data())
    decision = RecoveryDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:decision", args=[decision.pk])
    assert (decision.amount_sek, decision.proposed_by) == (5000, w.handlaggare)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("tusen", "digits only"),
        ("-5", "digits only"),
        ("12,50", "digits only"),
        ("0", "at least 1 kr"),
        ("", "Enter the amount"),
        ("999 999 999 999 999 999 999", "Enter at most"),
        ("PAID+1", "cannot be more than"),
    ],
)
def test_a_bad_amount_on_the_page_is_a_field_error(recovery_world, officer, amount, message):
    w = recovery_world
    if amount == "PAID+1":
        amount = str(w.approved.received_sek + 1)
    response = officer.post(propose_url(w.approved), form_data(amount_sek=amount))
    assert response.status_code == 400
    html = html_of(response)
    assert message in html
    assert ("govuk-error-summary" in html and 'id="amount_sek-error"' in html) or "error" in html
    assert not RecoveryDecision.objects.exists()


@pytest.mark.parametrize(
    ("motivation", "message"), [("", "Write the motivation"), ("x" * 4001, "at most 4000")]
)
def test_a_bad_motivation_on_the_page_is_a_field_error(
    recovery_world, officer, motivation, message
):
    response = officer.post(propose_url(recovery_world.approved), form_data(motivation=motivation))
    assert response.status_code == 400
    assert message in html_of(response)
    assert not RecoveryDecision.objects.exists()


def test_a_report_that_needs_no_decision_has_no_propose_page(recovery_world, officer):
    from fordela.reports.models import ReportReminder

    w = recovery_world
    ReportReminder.objects.filter(report=w.missing).delete()
    for response in (
        officer.get(propose_url(w.missing)),
        officer.post(propose_url(w.missing), form_data(ground="no_report")),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:staff_case", args=[w.missing.pk])
    assert not RecoveryDecision.objects.exists()


def test_a_report_with_a_proposal_leads_to_it(recovery_world, officer):
    w = recovery_world
    proposal = propose_claim(w)
    response = officer.post(propose_url(w.approved), form_data())
    assert response["Location"] == reverse("recovery:decision", args=[proposal.pk])
    assert RecoveryDecision.objects.get().amount_sek == w.approved.unused_sek


def test_the_decision_page_offers_decide_and_send_back_to_a_beslutsfattare(
    recovery_world, officer, decider
):
    w = recovery_world
    proposal = propose_claim(w)
    url = reverse("recovery:decision", args=[proposal.pk])
    html = html_of(decider.get(url))
    assert 'id="decide-form"' in html and 'id="return-form"' in html
    assert reverse("reports:staff_case", args=[w.approved.pk]) in html
    assert "Recovery was proposed" in html  # the history
    html = html_of(officer.get(url))
    assert 'id="decide-form"' not in html and 'id="return-form"' not in html


def test_deciding_asks_first_then_decides_once(recovery_world, decider):
    w = recovery_world
    proposal = propose_claim(w)
    url = reverse("recovery:decide", args=[proposal.pk])
    page = decider.post(url)
    assert page.status_code == 200
    assert "Yes, decide" in html_of(page) and 'name="confirmed"' in html_of(page)
    assert RecoveryDecision.objects.get().status == RecoveryStatus.PROPOSED
    response = decider.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert RecoveryDecision.objects.get().status == RecoveryStatus.DECIDED
    assert Invoice.objects.count() == 1
    # A second press (double submit, another tab): refused, nothing twice.
    again = decider.post(url, {"confirmed": "1"}, follow=True)
    assert "already been decided" in html_of(again)
    assert Invoice.objects.count() == 1
    html = html_of(decider.get(reverse("recovery:decision", args=[proposal.pk])))
    assert 'id="invoice-ocr"' in html and Invoice.objects.get().ocr in html


def test_a_beslutsfattare_who_proposed_cannot_decide_on_the_page(recovery_world):
    from fordela.access.models import StaffAssignment, StaffRole

    w = recovery_world
    StaffAssignment.objects.create(user=w.handlaggare, role=StaffRole.BESLUTSFATTARE)
    proposal = propose_claim(w)
    client = client_for(w.handlaggare)
    html = html_of(client.get(reverse("recovery:decision", args=[proposal.pk])))
    assert 'id="own-proposal"' in html and 'id="decide-form"' not in html
    response = client.post(
        reverse("recovery:decide", args=[proposal.pk]), {"confirmed": "1"}, follow=True
    )
    assert "someone other than the person who proposed" in html_of(response)
    assert RecoveryDecision.objects.get().status == RecoveryStatus.PROPOSED


def test_sending_back_needs_a_reason_then_the_officer_proposes_again(
    recovery_world, officer, decider
):
    w = recovery_world
    proposal = propose_claim(w)
    url = reverse("recovery:return_proposal", args=[proposal.pk])
    response = decider.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Say why" in html_of(response)
    assert RecoveryDecision.objects.get().status == RecoveryStatus.PROPOSED
    decider.post(url, {"reason": "Motivera beloppet."})
    assert RecoveryDecision.objects.get().status == RecoveryStatus.RETURNED
    html = html_of(officer.get(reverse("recovery:decision", args=[proposal.pk])))
    assert 'id="propose-again"' in html and "Motivera beloppet." in html
    html = html_of(officer.get(propose_url(w.approved)))
    assert 'id="returned-reason"' in html
    officer.post(propose_url(w.approved), form_data(amount_sek="1 000"))
    again = RecoveryDecision.objects.get()
    assert (again.status, again.amount_sek) == (RecoveryStatus.PROPOSED, 1000)


def test_the_report_page_shows_the_way_to_propose_then_the_decision(
    recovery_world, officer, decider
):
    w = recovery_world
    url = reverse("reports:staff_case", args=[w.approved.pk])
    html = html_of(officer.get(url))
    assert 'id="propose-recovery"' in html and propose_url(w.approved) in html
    assert 'id="propose-recovery"' not in html_of(decider.get(url))
    proposal = propose_claim(w)
    html = html_of(officer.get(url))
    assert 'id="report-recovery"' in html
    assert reverse("recovery:decision", args=[proposal.pk]) in html


def test_a_report_without_recovery_shows_nothing_of_it(recovery_world, officer):
    from tests.recovery.invoice_fixtures import approved_report

    all_used = approved_report(recovery_world.round.organisations[3], unused_sek=0)
    html = html_of(officer.get(reverse("reports:staff_case", args=[all_used.pk])))
    assert 'id="recovery-heading"' not in html


def test_the_letter_is_a_download_for_staff_and_members_only(
    recovery_world, django_capture_on_commit_callbacks
):
    w = recovery_world
    with django_capture_on_commit_callbacks(execute=True):
        decided = decided_claim(w)
    url = reverse("recovery:decision_letter", args=[decided.pk])
    for user in (w.handlaggare, w.beslutsfattare, w.users["ekonomi"], w.users["ombud"]):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content)[:4] == b"%PDF"
    # Another organisation's ombud: 403.
    assert client_for(w.users["ombud_b"]).get(url).status_code == 403
    from django.test import Client

    assert Client().get(url).status_code == 302


def test_the_letter_before_it_is_made_says_so(recovery_world):
    w = recovery_world
    decided = decided_claim(w)  # the letter's task is not run here
    response = client_for(w.users["ombud"]).get(
        reverse("recovery:decision_letter", args=[decided.pk])
    )
    assert response.status_code == 404
    assert 'id="letter-pending"' in html_of(response)


def test_an_undecided_proposal_has_no_letter(recovery_world):
    w = recovery_world
    proposal = propose_claim(w)
    url = reverse("recovery:decision_letter", args=[proposal.pk])
    assert client_for(w.handlaggare).get(url).status_code == 404
    assert client_for(w.users["ombud_b"]).get(url).status_code == 403


def test_decisions_candidates_are_listed_for_the_report_of_the_page(recovery_world):
    assert decisions.candidate_for(recovery_world.approved) is not None
