"""Forms that never lose work and confirmations before what cannot be undone
(issue 16 §4 and §1): the autosave keeps every field it can read and names
the others beside their fields; "Save draft" warns about an invalid bank giro
and saves the rest; a draft can be deleted by its organisation; the check
page shows every answer, the budget and the attachments; submitting, the
officer's proposal, the decision and the bulk decision ask first."""

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fordela.applications.forms import ApplicationForm
from fordela.applications.models import Application, Attachment, BulkDecisionRun, Decision
from fordela.applications.services import applying, decisions
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.core.confirm import CONFIRMED

from .conftest import NGO_ANSWERS, attach_all, submitted_ngo_application
from .html import facts, parse, table_rows, text_of


def client_for(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def form_data(**overrides) -> dict:
    data = {
        "project_title": "Stöd i Ale",
        "requested_sek": "300 000",
        "budget_personnel_sek": "200 000",
        "budget_activities_sek": "80 000",
        "budget_other_sek": "20 000",
        "other_public_funding": "Inget",
        "contact_name": "Anna Andersson",
        "contact_email": "anna@kvinnojouren.example",
        "bank_giro": "5050-1055",
        "truth_declared": "on",
    }
    data.update({f"q_{k}": v for k, v in NGO_ANSWERS.items()})
    data.update(overrides)
    return data


@pytest.fixture
def draft(world):
    return applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)


def confirmation_shown(response) -> bool:
    return response.status_code == 200 and "core/confirm.html" in [
        t.name for t in response.templates
    ]


# ------------------------------------------------------------ never lose work


def test_autosave_names_the_bad_field_for_its_place_and_saves_every_other(world, draft):
    response = client_for(world.users["ombud"]).post(
        reverse("applications:autosave", args=[draft.pk]),
        form_data(requested_sek="tre hundra tusen"),
    )
    assert response.status_code == 400
    answer = response.json()
    assert list(answer["fields"]) == ["requested_sek"]
    assert answer["fields"]["requested_sek"] == ["Enter the amount in whole kronor, digits only."]
    assert "requested_sek" not in answer["valid"]
    assert {"project_title", "bank_giro", "q_purpose"} <= set(answer["valid"])
    draft.refresh_from_db()
    assert draft.project_title == "Stöd i Ale"
    assert draft.budget_personnel_sek == 200_000
    assert draft.answers["purpose"] == NGO_ANSWERS["purpose"]
    assert draft.requested_sek == 0


def test_a_field_left_empty_is_no_problem_in_a_draft_and_is_saved_empty(world, draft):
    ombud = client_for(world.users["ombud"])
    ombud.post(reverse("applications:autosave", args=[draft.pk]), form_data())
    response = ombud.post(
        reverse("applications:autosave", args=[draft.pk]), form_data(project_title="")
    )
    assert response.status_code == 200, response.json()
    assert response.json()["fields"] == {}
    draft.refresh_from_db()
    assert draft.project_title == "" and draft.contact_name == "Anna Andersson"


def test_when_the_service_refuses_one_field_the_others_are_saved_all_the_same(
    world, draft, monkeypatch
):
    # A form that lets too long a name through: the service's own check refuses it.
    monkeypatch.setitem(
        ApplicationForm.base_fields, "contact_name", forms.CharField(required=False)
    )
    response = client_for(world.users["ombud"]).post(
        reverse("applications:autosave", args=[draft.pk]),
        form_data(contact_name="N" * 201, project_title="Sparat ändå"),
    )
    assert response.status_code == 400
    assert "contact_name" in response.json()["fields"]
    draft.refresh_from_db()
    assert draft.project_title == "Sparat ändå"
    assert draft.contact_name != "N" * 201


def test_save_draft_warns_about_an_invalid_bank_giro_beside_the_field_and_saves_the_rest(
    world, draft
):
    response = client_for(world.users["ombud"]).post(
        reverse("applications:edit", args=[draft.pk]),
        form_data(bank_giro="5050-1056", action="save"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be submitted with this number" in text_of(page, "id_bank_giro_error")
    summary = parse(page).find("div", class_="govuk-error-summary")
    links = [a.attrs["href"] for a in next(summary).find("a")]
    assert links == ["#id_bank_giro"]
    # What was typed stays in the field, and everything was saved.
    assert 'value="5050-1056"' in page
    draft.refresh_from_db()
    assert (draft.project_title, draft.bank_giro) == ("Stöd i Ale", "50501056")


def test_the_form_says_optional_only_where_the_submission_does_not_ask(world, draft):
    page = client_for(world.users["ombud"]).get(reverse("applications:edit", args=[draft.pk]))
    labels = {
        label.attrs.get("for"): label.text() for label in parse(page.content.decode()).find("label")
    }
    assert labels["id_project_title"] == "Project title"
    assert labels["id_bank_giro"] == "Bank giro number"
    assert labels["id_other_public_funding"].endswith("(optional)")
    assert all(text.count("(optional)") <= 1 for text in labels.values())


def test_the_attachment_upload_sits_before_the_submit_button(world, draft):
    page = client_for(world.users["ombud"]).get(reverse("applications:edit", args=[draft.pk]))
    html = page.content.decode()
    assert html.index('id="attachment-form"') < html.index('value="check"')
    assert 'form="application-form" name="action" value="check"' in html


# ----------------------------------------------------------------- the check page


def test_the_check_page_shows_every_answer_the_budget_and_the_attachments(world, draft):
    user = world.users["ombud"]
    attach_all(draft, user)
    ombud = client_for(user)
    ombud.post(reverse("applications:edit", args=[draft.pk]), form_data())
    page = ombud.get(reverse("applications:check", args=[draft.pk])).content.decode()
    assert 'id="complete"' in page and 'id="submit-form"' in page
    shown = facts(page)
    assert shown["Project title"] == "Stöd i Ale"
    for question in draft.question_set.questions.exclude(kind="file"):
        assert shown[question.text] == NGO_ANSWERS[question.key]
    assert shown["Bank giro number"] == "5050-1055"
    budget = dict((row[0], row[1]) for row in table_rows(page, "budget"))
    assert budget == {
        "Personnel": "200 000 kr",
        "Activities": "80 000 kr",
        "Other costs": "20 000 kr",
    }
    for item in world.ngo_call.attachment_checklist:
        assert shown[item["label"]] == f"{item['key']}.pdf"
    # Everything attached: no upload form; the steps say where the user is.
    assert 'id="attachment-form"' not in page
    assert 'aria-current="step">Check' in page


def test_the_check_page_offers_the_upload_of_what_is_missing_before_the_submit(world, draft):
    ombud = client_for(world.users["ombud"])
    page = ombud.get(reverse("applications:check", args=[draft.pk])).content.decode()
    assert 'id="missing"' in page and 'id="attachment-form"' in page
    assert 'name="next" value="check"' in page


def test_submitting_asks_first_and_only_the_confirmed_post_submits(world, draft):
    user = world.users["ombud"]
    attach_all(draft, user)
    ombud = client_for(user, language="sv")
    ombud.post(reverse("applications:edit", args=[draft.pk]), form_data())
    url = reverse("applications:check", args=[draft.pk])
    unconfirmed = ombud.post(url)
    assert confirmation_shown(unconfirmed)
    page = unconfirmed.content.decode()
    assert "Skicka in ansökan?" in page and "Ja, skicka in ansökan" in page
    assert 'aria-current="step">Skicka in' in page
    draft.refresh_from_db()
    assert draft.is_draft and draft.case_number is None
    confirmed = ombud.post(url, {CONFIRMED: "1"})
    draft.refresh_from_db()
    assert not draft.is_draft and draft.case_number
    receipt = ombud.get(confirmed.url).content.decode()
    assert "govuk-panel--confirmation" in receipt
    assert draft.case_number in text_of(receipt, "receipt")


# ------------------------------------------------------------- deleting a draft


def test_the_ombud_deletes_a_draft_after_a_confirmation(world, draft):
    user = world.users["ombud"]
    attach_all(draft, user)
    ombud = client_for(user, language="sv")
    url = reverse("applications:delete", args=[draft.pk])

    unconfirmed = ombud.post(url)
    assert confirmation_shown(unconfirmed)
    assert "Radera utkastet till ansökan?" in unconfirmed.content.decode()
    assert Application.objects.filter(pk=draft.pk).exists()

    response = ombud.post(url, {CONFIRMED: "1"})
    assert response.url == reverse("applications:mine")
    assert not Application.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.APPLICATION_DRAFT_DELETED)
    assert event.object_id == str(draft.pk) and event.actor == user
    assert len(event.before["attachments"]) == 4


def test_the_files_of_a_deleted_draft_are_removed_once_it_is_committed(
    world, draft, django_capture_on_commit_callbacks
):
    user = world.users["ombud"]
    attach_all(draft, user)
    files = [a.file.name for a in draft.attachments.all()]
    storage = Attachment._meta.get_field("file").storage
    assert all(storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        applying.delete_draft(user, draft)
    assert not any(storage.exists(name) for name in files)


def test_the_data_coordinator_may_not_delete_a_draft(world, draft):
    coordinator = client_for(world.users["uppgiftssamordnare"])
    page = coordinator.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert 'id="delete-form"' not in page
    response = coordinator.post(reverse("applications:delete", args=[draft.pk]), {CONFIRMED: "1"})
    assert response.status_code == 403
    assert Application.objects.filter(pk=draft.pk).exists()


def test_a_submitted_application_cannot_be_deleted(world):
    from django.core.exceptions import ValidationError

    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError, match="Only a draft"):
        applying.delete_draft(world.users["ombud"], application)
    response = client_for(world.users["ombud"]).post(
        reverse("applications:delete", args=[application.pk]), {CONFIRMED: "1"}
    )
    assert response.url == reverse("applications:status", args=[application.pk])
    assert Application.objects.filter(pk=application.pk).exists()


# ------------------------------------------------------- the officer and the decider


def proposal(**overrides) -> dict:
    data = {
        "proposal-outcome": "partial",
        "proposal-amount_sek": "200000",
        "proposal-reasons": "Delvis",
    }
    data.update(overrides)
    return data


def test_the_proposal_asks_first_because_its_maker_cannot_take_it_back(world):
    application = submitted_ngo_application(world)
    officer = client_for(world.users["handlaggare"], language="sv")
    url = reverse("applications:propose", args=[application.pk])
    unconfirmed = officer.post(url, proposal())
    assert confirmation_shown(unconfirmed)
    page = unconfirmed.content.decode()
    assert "Föreslå det här beslutet?" in page and "200 000" in page.replace("\xa0", " ").replace(
        "\u202f", " "
    )
    assert not Decision.objects.filter(application=application).exists()
    officer.post(url, proposal(**{CONFIRMED: "1"}))
    assert Decision.objects.get(application=application).amount_sek == 200_000


def test_an_invalid_proposal_is_not_confirmed_but_answered_beside_its_field(world):
    application = submitted_ngo_application(world)
    officer = client_for(world.users["handlaggare"])
    response = officer.post(
        reverse("applications:propose", args=[application.pk]),
        proposal(**{"proposal-reasons": ""}),
    )
    assert response.status_code == 400 and not confirmation_shown(response)
    page = response.content.decode()
    assert "required" in text_of(page, "id_proposal-reasons_error")
    assert 'href="#id_proposal-reasons"' in page  # the error summary links to it
    assert not Decision.objects.filter(application=application).exists()


def test_the_services_field_problem_is_shown_beside_the_field_too(world):
    application = submitted_ngo_application(world)
    officer = client_for(world.users["handlaggare"])
    response = officer.post(
        reverse("applications:propose", args=[application.pk]),
        proposal(**{"proposal-amount_sek": "999999999", CONFIRMED: "1"}),
    )
    assert response.status_code == 400
    assert "partial grant" in text_of(response.content.decode(), "id_proposal-amount_sek_error")
    assert not Decision.objects.filter(application=application).exists()


def test_the_decision_asks_first_and_only_the_confirmed_post_decides(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(
        world.users["handlaggare"], application, "partial", "Delvis", amount_sek=200_000
    )
    decider = client_for(world.users["beslutsfattare"], language="sv")
    url = reverse("applications:decide", args=[application.pk])
    unconfirmed = decider.post(url)
    assert confirmation_shown(unconfirmed)
    assert "Besluta enligt förslaget?" in unconfirmed.content.decode()
    assert Decision.objects.get(application=application).decided_at is None
    decider.post(url, {CONFIRMED: "1"})
    assert Decision.objects.get(application=application).decided_at is not None


def test_the_bulk_decision_asks_first(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
    decider = client_for(world.users["beslutsfattare"])
    response = decider.post(reverse("applications:bulk_start", args=[world.ngo_call.pk]))
    assert confirmation_shown(response)
    assert not BulkDecisionRun.objects.exists()
    assert Decision.objects.get(application=application).decided_at is None


def test_a_score_without_a_choice_is_answered_beside_the_radios(world):
    application = submitted_ngo_application(world)
    officer = client_for(world.users["handlaggare"])
    response = officer.post(
        reverse("applications:score", args=[application.pk]),
        {"criterion": "goals", "goals-criterion": "goals", "goals-comment": "Bra mål"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert text_of(page, "id_goals-score_error") == "Error: Choose a score from 1 to 5."
    assert "Bra mål" in page  # what was written stays
    assert not application.scores.exists()
