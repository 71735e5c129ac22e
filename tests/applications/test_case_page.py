"""Words, not codes, on the applications' pages: criterion names in the
score table, a proposal called a proposal until it is decided, the
assessment read-only once decided, no "Apply" on a closed call, bank giro
numbers with their hyphen and one date style."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fordela.applications.models import RiskCheck
from fordela.applications.services import assessment, decisions

from .conftest import submitted_ngo_application
from .html import facts, headings, table_rows


def in_english(client: Client) -> Client:
    """The pages in English (the msgids), whatever the catalogue says."""
    client.cookies["django_language"] = "en"
    return client


def client_for(user) -> Client:
    client = in_english(Client())
    client.force_login(user)
    return client


def case_page(world, application, user="handlaggare") -> str:
    response = client_for(world.users[user]).get(
        reverse("applications:case", args=[application.pk])
    )
    return response.content.decode()


def propose(world, application):
    decisions.propose_decision(
        world.users["handlaggare"], application, "partial", "Delvis", amount_sek=200_000
    )


def risk_checked(world, application):
    return assessment.save_risk_check(
        world.users["handlaggare"],
        application,
        other_public_funding_checked=True,
        other_agency_grants_checked=False,
        founded_year=1995,
        register_checked=True,
        notes="Ingen dubbelfinansiering.",
    )


def test_the_score_table_names_the_criterion_not_its_key(world):
    application = submitted_ngo_application(world)
    assessment.score_criterion(world.users["handlaggare"], application, "goals", 4, "Bra")
    page = case_page(world, application)
    criteria = [row[0] for row in table_rows(page, "scores")]
    assert criteria == ["Mål- och resultatstyrning"]
    assert "goals" not in criteria


def test_a_proposal_is_labelled_a_proposed_decision_until_it_is_decided(world):
    application = submitted_ngo_application(world)
    propose(world, application)
    page = case_page(world, application, "beslutsfattare")
    assert headings(page)["decision"] == "Proposed decision"
    assert facts(page)["Proposed decision"] == "Granted in part"
    assert "Decision" not in facts(page)

    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    page = case_page(world, application, "beslutsfattare")
    assert headings(page)["decision"] == "Decision"
    assert "Proposed decision" not in page


def test_in_swedish_a_proposal_is_a_forslag_till_beslut(world):
    application = submitted_ngo_application(world)
    propose(world, application)
    swedish = Client()
    swedish.force_login(world.users["beslutsfattare"])
    page = swedish.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert headings(page)["decision"] == "Förslag till beslut"


def test_the_case_page_offers_the_assessment_forms_while_the_application_is_assessed(world):
    page = case_page(world, submitted_ngo_application(world))
    assert "score-form" in page and 'id="risk-form"' in page


def test_after_the_decision_the_case_page_shows_scores_and_risk_check_without_forms(world):
    application = submitted_ngo_application(world)
    assessment.score_criterion(world.users["handlaggare"], application, "goals", 4, "Bra")
    risk_checked(world, application)
    propose(world, application)
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    page = case_page(world, application)
    assert "score-form" not in page and 'id="risk-form"' not in page
    assert "Save score" not in page and "Save checklist" not in page
    assert [row[2] for row in table_rows(page, "scores")] == ["4"]
    assert 'id="risk-check"' in page and "1995" in page and "Ingen dubbelfinansiering." in page


def test_the_risk_checklist_cannot_be_changed_after_the_decision(world):
    application = submitted_ngo_application(world)
    risk_checked(world, application)
    propose(world, application)
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    with pytest.raises(ValidationError, match="while the application is assessed"):
        risk_checked(world, application)
    with pytest.raises(ValidationError, match="being assessed"):
        assessment.score_criterion(world.users["handlaggare"], application, "goals", 5, "")
    application.risk_check.refresh_from_db()
    assert application.risk_check.other_agency_grants_checked is False


def test_the_risk_checklist_form_after_the_decision_is_refused_with_a_message(world):
    application = submitted_ngo_application(world)
    propose(world, application)
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    officer = client_for(world.users["handlaggare"])
    response = officer.post(
        reverse("applications:risk", args=[application.pk]),
        {"risk-founded_year": "1990", "risk-notes": "Sent"},
        follow=True,
    )
    assert "while the application is assessed" in response.content.decode()
    assert not RiskCheck.objects.filter(application=application).exists()


def test_a_closed_call_offers_no_apply(world, client, clock_at):
    clock_at("2021-12-22T10:00")
    in_english(client)
    anonymous = client.get(reverse("applications:call", args=[world.ngo_call.pk])).content.decode()
    assert "The call is closed." in anonymous
    assert 'id="apply"' not in anonymous and "Log in to apply" not in anonymous
    ombud = client_for(world.users["ombud"])
    page = ombud.get(reverse("applications:call", args=[world.ngo_call.pk])).content.decode()
    assert "Start an application" not in page and 'id="apply"' not in page


def test_a_closed_call_still_links_to_the_application_sent_in(world, clock_at):
    application = submitted_ngo_application(world)
    clock_at("2021-12-22T10:00")
    ombud = client_for(world.users["ombud"])
    page = ombud.get(reverse("applications:call", args=[world.ngo_call.pk])).content.decode()
    assert reverse("applications:status", args=[application.pk]) in page
    assert 'id="apply"' not in page


def test_an_open_call_offers_apply(world, client):
    in_english(client)
    page = client.get(reverse("applications:call", args=[world.ngo_call.pk])).content.decode()
    assert 'id="apply"' in page and "Log in to apply" in page


def test_the_case_page_shows_the_bank_giro_with_its_hyphen(world):
    page = case_page(world, submitted_ngo_application(world))
    assert facts(page)["Bank giro"] == "5050-1055"


def test_dates_are_iso_in_the_call_table_and_in_words_on_the_call_page(world, client):
    in_english(client)
    listing = client.get(reverse("applications:calls")).content.decode()
    assert table_rows(listing, "calls")[0][1:3] == ["2021-10-18", "2021-12-21"]
    page = client.get(reverse("applications:call", args=[world.ngo_call.pk])).content.decode()
    dates = facts(page)
    assert dates["Open for applications from"] == "18 October 2021"
    assert dates["Last day to apply"] == "21 December 2021, 23:59"
