"""Applying: who may start, fill in and submit; what must be complete; the
deadline at the end of the last day in Stockholm; the receipt."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from fordela.applications.forms import ApplicationForm
from fordela.applications.models import ApplicationStatus
from fordela.applications.services import applying

from .conftest import attach_all, ngo_filled, pdf_bytes, submitted_ngo_application


def test_ombud_of_an_ngo_starts_an_application(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    assert application.status == ApplicationStatus.DRAFT
    assert application.question_set == world.ngo_call.question_set


def test_representant_can_start(world):
    representant = world.users["representant"]
    application = applying.start_application(representant, world.ngo, world.ngo_call)
    assert application.status == ApplicationStatus.DRAFT
    assert application.created_by == representant


def test_uppgiftssamordnare_cannot_start(world):
    with pytest.raises(PermissionDenied):
        applying.start_application(world.users["uppgiftssamordnare"], world.ngo, world.ngo_call)


def test_a_kommun_cannot_apply_for_ngo_funds(world):
    with pytest.raises(ValidationError, match="cannot apply"):
        applying.start_application(world.users["ombud_kommun"], world.kommun, world.ngo_call)


def test_uppgiftssamordnare_fills_in_but_cannot_submit(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    coordinator = world.users["uppgiftssamordnare"]
    applying.save_draft(coordinator, application, ngo_filled())
    attach_all(application, coordinator)
    with pytest.raises(PermissionDenied):
        applying.submit_application(coordinator, application)
    application.refresh_from_db()
    assert application.is_draft
    assert application.requested_sek == 300_000


def test_autosave_keeps_answers_between_saves(world):
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    applying.save_draft(user, application, {"answers": {"purpose": "Första"}})
    applying.save_draft(user, application, {"answers": {"goals": "Andra"}})
    application.refresh_from_db()
    assert application.answers == {"purpose": "Första", "goals": "Andra"}


def test_check_page_lists_what_is_missing(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    missing = applying.missing(application)
    assert "requested_sek" in missing
    assert "q-purpose" in missing
    assert "a-statutes" in missing
    assert "truth_declared" in missing


def test_budget_lines_must_add_up_to_the_amount(world):
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    attach_all(application, user)
    with pytest.raises(ValidationError) as error:
        applying.submit_application(user, application, ngo_filled(budget_other_sek=25_000))
    assert "budget" in error.value.message_dict
    application.refresh_from_db()
    assert application.is_draft


def test_number_questions_are_checked(world):
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    attach_all(application, user)
    answers = dict(ngo_filled()["answers"], people_reached="många")
    with pytest.raises(ValidationError) as error:
        applying.submit_application(user, application, ngo_filled(answers=answers))
    assert "q-people_reached" in error.value.message_dict


def test_only_pdf_attachments(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    with pytest.raises(ValidationError, match="not a PDF"):
        applying.attach_file(world.users["ombud"], application, "statutes", "a.docx", b"PK\x03\x04")
    attachment = applying.attach_file(
        world.users["ombud"], application, "statutes", "stadgar.pdf", pdf_bytes(2)
    )
    assert attachment.pages == 2


def test_submission_gives_a_case_number_and_a_receipt_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_ngo_application(world)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.case_number == "2021-20-0001"
    assert len(mailoutbox) == 1
    assert application.case_number in mailoutbox[0].subject
    assert "anna@kvinnojouren.example" in mailoutbox[0].to


def test_submission_is_possible_until_the_end_of_the_last_day(world, clock_at):
    clock_at("2021-12-21T23:59:30")
    assert submitted_ngo_application(world).case_number


def test_submission_is_refused_after_the_last_day(world, clock_at):
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    attach_all(application, user)
    clock_at("2021-12-22T00:00:01")
    with pytest.raises(ValidationError, match="last day to apply"):
        applying.submit_application(user, application, ngo_filled())


def test_a_submitted_application_cannot_be_changed(world):
    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError, match="already been submitted"):
        applying.save_draft(world.users["ombud"], application, {"requested_sek": 1})


def test_a_bank_giro_of_too_many_digits_is_refused_by_the_form_and_the_autosave(world):
    field = ApplicationForm.base_fields["bank_giro"]
    assert field.clean("5050-1055") == "50501055"
    with pytest.raises(forms.ValidationError):
        field.clean("123456789012")
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    with pytest.raises(ValidationError) as refused:
        applying.save_draft(user, application, {"bank_giro": "123456789012"})
    assert "bank_giro" in refused.value.message_dict
    application.refresh_from_db()
    assert application.bank_giro != "123456789012"


def test_the_agencys_own_bank_giro_is_refused(world, settings):
    user = world.users["ombud"]
    application = applying.start_application(user, world.ngo, world.ngo_call)
    attach_all(application, user)
    with pytest.raises(ValidationError) as refused:
        applying.submit_application(
            user, application, ngo_filled(bank_giro=settings.FORDELA_AGENCY_BANKGIRO)
        )
    assert "agency's own" in " ".join(refused.value.message_dict["bank_giro"])
    application.refresh_from_db()
    assert application.is_draft
