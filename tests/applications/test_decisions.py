"""Proposals and decisions: four eyes, amounts that fit the outcome, the
call's budget, the letter (made by the decision's task; its download never
writes) and the payable."""

import email
import email.policy
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from fordela.applications.letters import render_letter
from fordela.applications.models import AppealParagraph, ApplicationStatus, Decision, Outcome
from fordela.applications.services import decisions
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.payments.services import create_batch

from .conftest import submitted_for, submitted_ngo_application


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def proposed(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(
        world.users["handlaggare"],
        application,
        Outcome.PARTIAL,
        "Delvis: budgeten är hög.",
        amount_sek=250_000,
    )
    application.refresh_from_db()
    return application


def test_proposal_of_a_partial_grant(proposed):
    assert proposed.status == ApplicationStatus.PROPOSED
    assert proposed.decision.amount_sek == 250_000
    assert not proposed.decision.is_decided


def test_partial_grant_must_be_less_than_applied_for(world):
    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError) as error:
        decisions.propose_decision(
            world.users["handlaggare"], application, Outcome.PARTIAL, "x", amount_sek=300_000
        )
    assert "amount_sek" in error.value.message_dict


def test_full_grant_is_the_amount_applied_for_and_refusal_is_zero(world):
    application = submitted_ngo_application(world)
    decision = decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
    assert decision.amount_sek == 300_000
    # The database refuses an amount that does not fit the outcome.
    for outcome, amount in (("refused", 300_000), ("refused", 5), ("partial", 300_000)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Decision.objects.filter(pk=decision.pk).update(outcome=outcome, amount_sek=amount)


def test_proposal_needs_reasons(world):
    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError) as error:
        decisions.propose_decision(world.users["handlaggare"], application, "refused", "  ")
    assert "reasons" in error.value.message_dict


def test_applicant_cannot_propose(world):
    application = submitted_ngo_application(world)
    with pytest.raises(PermissionDenied):
        decisions.propose_decision(world.users["ombud"], application, "granted", "Vi själva")


def test_handlaggare_cannot_decide(proposed, world):
    with pytest.raises(PermissionDenied):
        decisions.decide(world.users["handlaggare"], proposed)


def test_proposer_cannot_decide_even_with_both_roles(proposed, world):
    from fordela.access.models import StaffAssignment, StaffRole

    StaffAssignment.objects.create(user=world.users["handlaggare"], role=StaffRole.BESLUTSFATTARE)
    with pytest.raises(ValidationError, match="someone other"):
        decisions.decide(world.users["handlaggare"], proposed)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=proposed.decision.pk).update(
            decided_by=world.users["handlaggare"], decided_at=proposed.submitted_at
        )


def test_decision_creates_a_payable_that_goes_into_the_next_batch(proposed, world):
    decision = decisions.decide(world.users["beslutsfattare"], proposed, send_letter=False)
    proposed.refresh_from_db()
    assert proposed.status == ApplicationStatus.DECIDED
    payable = Payable.objects.get(reference=f"grant:{decision.pk}")
    assert payable.source == PayableSource.GRANT
    assert payable.amount_sek == 250_000
    assert payable.pool == world.ngo_call.pool
    result = create_batch(world.users["ekonomi"], payable.due_on)
    payable.refresh_from_db()
    assert payable.status == PayableStatus.BATCHED
    assert result.batch.total_sek == 250_000


def test_refusal_creates_no_payable(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(world.users["handlaggare"], application, "refused", "Utanför")
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    assert not Payable.objects.exists()


def test_a_decision_is_made_once(proposed, world):
    decisions.decide(world.users["beslutsfattare"], proposed, send_letter=False)
    with pytest.raises(ValidationError, match="already been decided"):
        decisions.decide(world.users["beslutsfattare2"], proposed, send_letter=False)


def test_granted_total_never_exceeds_the_budget(world, settings):
    from fordela.access.models import OrganisationRole

    from .conftest import member, organisation

    world.ngo_call.pool.amount_sek = 500_000
    world.ngo_call.pool.save()
    apps = []
    for n in range(2):
        org = organisation(f"Jour {n}", "nonprofit")
        user = member(org, OrganisationRole.OMBUD, f"ombud-jour-{n}")
        application = submitted_for(world, org, user, world.ngo_call, requested=300_000)
        decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
        apps.append(application)
    decisions.decide(world.users["beslutsfattare"], apps[0], send_letter=False)
    with pytest.raises(ValidationError, match="exceed the call's budget"):
        decisions.decide(world.users["beslutsfattare"], apps[1], send_letter=False)
    assert decisions.granted_total(world.ngo_call) == 300_000


def test_letter_has_organisation_amount_conditions_report_date_and_appeal(proposed, world):
    AppealParagraph.objects.create(
        outcome=Outcome.PARTIAL, text="Beslutet kan överklagas hos förvaltningsrätten i Linköping."
    )
    decision = decisions.decide(world.users["beslutsfattare"], proposed, send_letter=False)
    text = " ".join(pdf_text(render_letter(decision)).replace("\u202f", " ").split())
    assert "Kvinnojouren Ale" in text
    assert "250 000 kronor" in text
    assert "Villkor" in text
    assert "31 mars 2023" in text
    assert "förvaltningsrätten i Linköping" in text
    assert proposed.case_number in text


def test_letter_arrives_by_email_as_a_pdf_attachment(
    proposed, world, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(world.users["beslutsfattare"], proposed)
    messages = [
        email.message_from_bytes(m.content, policy=email.policy.default) for m in smtp_sink.messages
    ]
    letter = next(m for m in messages if proposed.case_number in m["Subject"])
    attachment = next(letter.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = pdf_text(attachment.get_content())
    assert "250 000 kronor" in text.replace("\u202f", " ")
    proposed.decision.refresh_from_db()
    assert proposed.decision.letter.name.endswith(".pdf")


def test_beslutsfattare_can_send_a_proposal_back(proposed, world):
    with pytest.raises(PermissionDenied):
        decisions.return_proposal(world.users["handlaggare"], proposed, "Nej")
    decisions.return_proposal(world.users["beslutsfattare"], proposed, "Motivera beloppet bättre.")
    proposed.refresh_from_db()
    assert proposed.status == ApplicationStatus.SUBMITTED
    assert not Decision.objects.exists()
    decisions.propose_decision(
        world.users["handlaggare"], proposed, Outcome.GRANTED, "Hela beloppet behövs."
    )
    decision = decisions.decide(world.users["beslutsfattare"], proposed, send_letter=False)
    assert decision.amount_sek == 300_000


def test_a_decided_application_cannot_be_sent_back(proposed, world):
    decisions.decide(world.users["beslutsfattare"], proposed, send_letter=False)
    with pytest.raises(ValidationError, match="no undecided proposal"):
        decisions.return_proposal(world.users["beslutsfattare2"], proposed, "För sent")


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_get_of_a_letter_not_yet_made_says_so_and_writes_nothing(
    proposed, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    decision = decisions.decide(world.users["beslutsfattare"], proposed, send_letter=False)
    client = Client()
    client.force_login(world.users["ombud"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:letter", args=[proposed.pk]))
    assert response.status_code == 404
    assert 'id="letter-pending"' in response.content.decode()
    assert writes(queries) == []
    assert files_under(tmp_path) == []
    decision.refresh_from_db()
    assert not decision.letter
    status = client.get(reverse("applications:status", args=[proposed.pk])).content.decode()
    assert 'id="letter-pending"' in status


def test_the_letter_made_by_the_task_downloads_and_the_get_writes_nothing(
    proposed, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(world.users["beslutsfattare"], proposed)
    stored = files_under(tmp_path)
    assert len(stored) == 1
    client = Client()
    client.force_login(world.users["ombud"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applications:letter", args=[proposed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="beslut-{proposed.case_number}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert writes(queries) == []
    assert files_under(tmp_path) == stored
