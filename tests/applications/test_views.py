"""The pages: a plain-language call page, applying through the form with
autosave and the check page, the staff case page, the public list of grants
and the bulk decisions with their progress endpoint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fordela.applications.models import (
    Application,
    ApplicationStatus,
    BulkDecisionRun,
    BulkRunStatus,
    Decision,
)
from fordela.applications.services import applying, decisions
from tests.spreadsheets import HOSTILE_NAMES, csv_records

from .conftest import NGO_ANSWERS, attach_all, pdf_bytes, submitted_ngo_application
from .html import text_of


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_call_page_has_dates_attachments_and_time_left(world, client):
    page = client.get(reverse("applications:call", args=[world.ngo_call.pk])).content.decode()
    for text in ("18 ", "21 ", "Stadgar", "Revisionsberättelse", "37"):
        assert text in page
    assert "Mål- och resultatstyrning" in page


def test_call_list_shows_both_calls(world, client):
    page = client.get(reverse("applications:calls")).content.decode()
    assert world.ngo_call.title in page and world.stimulus_call.title in page


def form_data(**overrides) -> dict:
    data = {
        "project_title": "Stöd i Ale",
        "requested_sek": "300000",
        "budget_personnel_sek": "200000",
        "budget_activities_sek": "80000",
        "budget_other_sek": "20000",
        "other_public_funding": "Inget",
        "contact_name": "Anna Andersson",
        "contact_email": "anna@kvinnojouren.example",
        "bank_giro": "5050-1055",
        "truth_declared": "on",
    }
    data.update({f"q_{k}": v for k, v in NGO_ANSWERS.items()})
    data.update(overrides)
    return data


def test_apply_through_the_pages(world, mailoutbox, django_capture_on_commit_callbacks):
    ombud = client_for(world.users["ombud"])
    response = ombud.post(reverse("applications:start", args=[world.ngo.pk, world.ngo_call.pk]))
    application = Application.objects.get()
    assert response.url == reverse("applications:edit", args=[application.pk])
    assert ombud.get(response.url).status_code == 200

    saved = ombud.post(
        reverse("applications:autosave", args=[application.pk]), {"project_title": "Utkast"}
    )
    assert saved.json()["saved"]
    application.refresh_from_db()
    assert application.project_title == "Utkast"

    for item in world.ngo_call.attachment_checklist:
        ombud.post(
            reverse("applications:attach", args=[application.pk]),
            {
                "item": item["key"],
                "file": SimpleUploadedFile("f.pdf", pdf_bytes(), "application/pdf"),
            },
        )
    assert application.attachments.count() == 4

    response = ombud.post(
        reverse("applications:edit", args=[application.pk]),
        form_data(budget_other_sek="1", action="check"),
    )
    assert response.status_code == 302
    check = ombud.get(reverse("applications:check", args=[application.pk]))
    assert b'id="missing"' in check.content

    ombud.post(reverse("applications:edit", args=[application.pk]), form_data(action="check"))
    check = ombud.get(reverse("applications:check", args=[application.pk]))
    assert b'id="complete"' in check.content
    check_url = reverse("applications:check", args=[application.pk])
    # Submitting asks first; the unconfirmed post changes nothing.
    unconfirmed = ombud.post(check_url)
    assert unconfirmed.status_code == 200
    assert "Skicka in ansökan?" in unconfirmed.content.decode()
    application.refresh_from_db()
    assert application.is_draft and not application.case_number
    with django_capture_on_commit_callbacks(execute=True):
        response = ombud.post(check_url, {"confirmed": "1"})
    assert response.url == reverse("applications:status", args=[application.pk]) + "?kvittens=1"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    status = ombud.get(response.url).content.decode()
    assert application.case_number in text_of(status, "receipt")
    assert len(mailoutbox) == 1


def test_uppgiftssamordnare_sees_no_submit_button_and_cannot_submit(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    attach_all(application, world.users["uppgiftssamordnare"])
    coordinator = client_for(world.users["uppgiftssamordnare"])
    coordinator.post(reverse("applications:edit", args=[application.pk]), form_data())
    check = coordinator.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert 'id="complete"' in check
    assert 'id="submit-form"' not in check
    response = coordinator.post(
        reverse("applications:check", args=[application.pk]), {"confirmed": "1"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.is_draft


def test_a_word_file_is_refused_with_a_message(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    ombud = client_for(world.users["ombud"])
    response = ombud.post(
        reverse("applications:attach", args=[application.pk]),
        {"item": "statutes", "file": SimpleUploadedFile("s.docx", b"PK\x03\x04 word")},
        follow=True,
    )
    assert not application.attachments.exists()
    assert b"message-error" in response.content


def test_handlaggare_scores_and_proposes_on_the_case_page(world):
    application = submitted_ngo_application(world)
    officer = client_for(world.users["handlaggare"])
    assert officer.get(reverse("applications:case", args=[application.pk])).status_code == 200
    officer.post(
        reverse("applications:score", args=[application.pk]),
        {
            "criterion": "goals",
            "goals-criterion": "goals",
            "goals-score": "4",
            "goals-comment": "Bra",
        },
    )
    assert application.scores.get().score == 4
    officer.post(
        reverse("applications:propose", args=[application.pk]),
        {
            "proposal-outcome": "partial",
            "proposal-amount_sek": "200000",
            "proposal-reasons": "Delvis",
        },
    )
    # The proposal cannot be taken back by its maker: first a confirmation.
    assert not Decision.objects.filter(application=application).exists()
    officer.post(
        reverse("applications:propose", args=[application.pk]),
        {
            "proposal-outcome": "partial",
            "proposal-amount_sek": "200000",
            "proposal-reasons": "Delvis",
            "confirmed": "1",
        },
    )
    application.refresh_from_db()
    assert application.decision.amount_sek == 200_000


def granted(world, application, amount_sek=250_000):
    decisions.propose_decision(
        world.users["handlaggare"], application, "partial", "Delvis", amount_sek=amount_sek
    )
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)


def test_public_list_of_granted_applications(world, client):
    granted(world, submitted_ngo_application(world))
    page = client.get(reverse("applications:granted", args=[world.ngo_call.pk])).content.decode()
    assert "Kvinnojouren Ale" in page


def test_csv_of_granted_applications_has_swedish_headings_organisation_number_and_lan(
    world, client
):
    world.ngo.county_name = "Västra Götalands län"
    world.ngo.save()
    application = submitted_ngo_application(world)
    granted(world, application)
    response = client.get(reverse("applications:granted_csv", args=[world.ngo_call.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="beviljade-s2020-01591-2022-ideella.csv"'
    )
    assert csv_records(response.content) == [
        {
            "Diarienummer": application.case_number,
            "Organisation": "Kvinnojouren Ale",
            "Organisationsnummer": world.ngo.formatted_organisation_number,
            "Län": "Västra Götalands län",
            "Beviljat belopp (kr)": "250000",
        }
    ]


def test_csv_of_granted_applications_leaves_unknown_number_and_lan_empty(world, client):
    world.ngo.organisation_number = ""
    world.ngo.county_name = ""
    world.ngo.save()
    granted(world, submitted_ngo_application(world))
    response = client.get(reverse("applications:granted_csv", args=[world.ngo_call.pk]))
    [row] = csv_records(response.content)
    assert (row["Organisationsnummer"], row["Län"]) == ("", "")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_csv_of_granted_applications_shows_formula_like_names_as_text(world, client, name):
    world.ngo.name = name
    world.ngo.save()
    granted(world, submitted_ngo_application(world))
    response = client.get(reverse("applications:granted_csv", args=[world.ngo_call.pk]))
    [row] = csv_records(response.content)
    assert row["Organisation"] == "'" + name


@pytest.mark.django_db(transaction=True)
def test_bulk_decisions_run_in_the_background_and_report_progress(world, mailoutbox):
    from fordela.access.models import OrganisationRole

    from .conftest import member, organisation, submitted_for

    for n in range(3):
        org = organisation(f"Jour {n}", "nonprofit")
        user = member(org, OrganisationRole.OMBUD, f"ombud-jour-{n}")
        application = submitted_for(world, org, user, world.ngo_call, requested=100_000)
        decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
    decider = client_for(world.users["beslutsfattare"])
    bulk_url = reverse("applications:bulk_start", args=[world.ngo_call.pk])
    unconfirmed = decider.post(bulk_url)
    assert unconfirmed.status_code == 200
    assert "core/confirm.html" in [t.name for t in unconfirmed.templates]
    assert not BulkDecisionRun.objects.exists()
    response = decider.post(bulk_url, {"confirmed": "1"})
    run_id = int(response.url.rstrip("/").split("/")[-1])
    assert decider.get(response.url).status_code == 200
    progress = decider.get(reverse("applications:bulk_progress", args=[run_id])).json()
    assert progress["status"] == BulkRunStatus.DONE
    assert (progress["done"], progress["total"], progress["percent"]) == (3, 3, 100)
    assert decisions.granted_total(world.ngo_call) == 300_000
    letters = [m for m in mailoutbox if m.attachments]
    assert len(letters) == 3


def test_applicant_follows_the_status_on_my_applications(world):
    application = submitted_ngo_application(world)
    page = client_for(world.users["uppgiftssamordnare"]).get(reverse("applications:mine"))
    assert application.case_number in page.content.decode()
    other = client_for(world.users["ombud_kommun"]).get(reverse("applications:mine"))
    assert application.case_number not in other.content.decode()


def test_the_applicant_does_not_see_an_internal_proposal(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(world.users["handlaggare"], application, "refused", "Utanför")
    page = client_for(world.users["ombud"]).get(
        reverse("applications:status", args=[application.pk])
    )
    from django.utils import translation

    with translation.override("sv"):
        shown, hidden = (
            str(ApplicationStatus.SUBMITTED.label),
            str(ApplicationStatus.PROPOSED.label),
        )
    html = page.content.decode()
    assert f'id="application-status">{shown}<' in html
    assert hidden not in html
    assert 'id="decision"' not in html
