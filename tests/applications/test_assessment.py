"""Assessment: scores per criterion, the risk checklist, and a request for
completion that the applicant answers before the case resumes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fordela.applications.models import ApplicationStatus, Score
from fordela.applications.services import applying, assessment, decisions

from .conftest import pdf_bytes, submitted_ngo_application


def test_handlaggare_scores_each_criterion_1_to_5_with_motivation(world):
    application = submitted_ngo_application(world)
    assessment.score_criterion(world.users["handlaggare"], application, "goals", 4, "Tydliga mål")
    assessment.score_criterion(world.users["handlaggare2"], application, "goals", 2, "Vaga mål")
    assert assessment.average_scores(application) == {"goals": 3.0}


def test_rescoring_replaces_the_assessors_own_score(world):
    application = submitted_ngo_application(world)
    assessment.score_criterion(world.users["handlaggare"], application, "reach", 2, "")
    assessment.score_criterion(world.users["handlaggare"], application, "reach", 5, "Många nås")
    assert Score.objects.get().score == 5


def test_scores_outside_1_to_5_are_refused_by_service_and_database(world):
    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        assessment.score_criterion(world.users["handlaggare"], application, "goals", 6, "")
    row = assessment.score_criterion(world.users["handlaggare"], application, "goals", 3, "")
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=row.pk).update(score=0)


def test_unknown_criterion_is_refused(world):
    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError, match="Unknown criterion"):
        assessment.score_criterion(world.users["handlaggare"], application, "charm", 3, "")


def test_applicants_and_consultee_cannot_score(world):
    application = submitted_ngo_application(world)
    for name in ("ombud", "consultee", "beslutsfattare"):
        with pytest.raises(PermissionDenied):
            assessment.score_criterion(world.users[name], application, "goals", 5, "")


def test_risk_checklist_and_other_grants_to_the_organisation(world):
    from fordela.payments.models import PayableSource
    from fordela.payments.services import create_payable

    application = submitted_ngo_application(world)
    create_payable(
        source=PayableSource.GRANT,
        reference="grant:older",
        organisation=world.ngo,
        pool=world.stimulus_call.pool,
        case_number="2020-20-0007",
        amount_sek=40_000,
        bank_giro="50501055",
        received_on=datetime.date(2020, 3, 1),
    )
    check = assessment.save_risk_check(
        world.users["handlaggare"],
        application,
        other_public_funding_checked=True,
        other_agency_grants_checked=True,
        founded_year=1995,
        register_checked=True,
        notes="Kommunalt bidrag 50 000 kr för samma verksamhet; ingen dubbelfinansiering.",
    )
    assert check.founded_year == 1995
    assert [p.case_number for p in assessment.other_agency_grants(application)] == ["2020-20-0007"]


def test_request_for_completion_pauses_the_case_until_the_applicant_answers(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_ngo_application(world)
    with django_capture_on_commit_callbacks(execute=True):
        assessment.request_completion(
            world.users["handlaggare"],
            application,
            "Revisionsberättelsen saknar underskrift.",
            datetime.date(2021, 12, 1),
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETION_REQUESTED
    assert "Revisionsberättelsen" in mailoutbox[-1].body
    with pytest.raises(ValidationError, match="Only an assessed application"):
        decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")

    applying.attach_file(world.users["ombud"], application, "audit_report", "rev2.pdf", pdf_bytes())
    assessment.answer_completion(
        world.users["ombud"], application, "Ny revisionsberättelse bifogad."
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    request = application.completion_requests.get()
    assert request.answered_by == world.users["ombud"]
    decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")


def test_uppgiftssamordnare_cannot_send_the_completion(world):
    application = submitted_ngo_application(world)
    assessment.request_completion(
        world.users["handlaggare"], application, "Mer info", datetime.date(2021, 12, 1)
    )
    with pytest.raises(PermissionDenied):
        assessment.answer_completion(world.users["uppgiftssamordnare"], application, "Svar")


def test_only_one_open_completion_request(world):
    application = submitted_ngo_application(world)
    assessment.request_completion(
        world.users["handlaggare"], application, "Mer info", datetime.date(2021, 12, 1)
    )
    with pytest.raises(ValidationError, match="cannot be changed that way"):
        assessment.request_completion(
            world.users["handlaggare"], application, "Ännu mer", datetime.date(2021, 12, 1)
        )
