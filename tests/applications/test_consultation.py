"""Consultation (*remiss*) of stimulus applications with
Jämställdhetsmyndigheten: one opinion per request, a decision only when the
opinion is in or the reply date has passed, and the consultee sees nothing
but what was sent to it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fordela.applications.models import ConsultationOutcome
from fordela.applications.services import consultation, decisions

from .conftest import submitted_for, submitted_ngo_application


@pytest.fixture
def stimulus(world):
    return submitted_for(
        world, world.lansstyrelse, world.users["ombud_lst"], world.stimulus_call, 1_000_000
    )


def send(world, application, days=14):
    return consultation.send_to_consultation(
        world.users["handlaggare"],
        application,
        datetime.date(2021, 11, 15) + datetime.timedelta(days=days),
        "Vi ber om era synpunkter.",
    )


def test_ngo_applications_are_not_sent_for_consultation(world):
    application = submitted_ngo_application(world)
    with pytest.raises(ValidationError, match="not sent for consultation"):
        send(world, application)


def test_stimulus_decision_waits_for_the_consultation(world, stimulus):
    with pytest.raises(ValidationError, match="Jämställdhetsmyndigheten first"):
        decisions.propose_decision(world.users["handlaggare"], stimulus, "granted", "Bra")
    send(world, stimulus)
    with pytest.raises(ValidationError, match="Wait for the opinion"):
        decisions.propose_decision(world.users["handlaggare"], stimulus, "granted", "Bra")


def test_consultee_files_one_opinion_and_it_becomes_part_of_the_case(world, stimulus):
    request = send(world, stimulus)
    consultation.file_opinion(
        world.users["consultee"], request, "Insatsen är väl avvägd.", "partial", 800_000
    )
    with pytest.raises(ValidationError, match="already been filed"):
        consultation.file_opinion(world.users["consultee"], request, "Igen", "grant")
    decision = decisions.propose_decision(
        world.users["handlaggare"], stimulus, "partial", "Enligt yttrandet.", amount_sek=800_000
    )
    assert decision.consultation == ConsultationOutcome.ANSWERED
    assert request.opinion.text == "Insatsen är väl avvägd."


def test_decision_after_the_reply_date_records_that_it_expired(world, stimulus, clock_at):
    send(world, stimulus, days=7)
    clock_at("2021-11-23T08:00")
    decision = decisions.propose_decision(world.users["handlaggare"], stimulus, "granted", "Bra")
    assert decision.consultation == ConsultationOutcome.EXPIRED


def test_only_the_consultee_files_opinions(world, stimulus):
    request = send(world, stimulus)
    for name in ("handlaggare", "ombud_lst", "beslutsfattare"):
        with pytest.raises(PermissionDenied):
            consultation.file_opinion(world.users[name], request, "Nej", "none")


def test_consultee_sees_only_applications_sent_to_it(world, stimulus):
    other = submitted_ngo_application(world)
    request = send(world, stimulus)
    client = Client()
    client.force_login(world.users["consultee"])
    listing = client.get(reverse("applications:consultations"))
    assert stimulus.case_number in listing.content.decode()
    assert other.case_number not in listing.content.decode()
    assert client.get(reverse("applications:consultation", args=[request.pk])).status_code == 200
    for name in ("case", "status", "letter"):
        assert client.get(reverse(f"applications:{name}", args=[other.pk])).status_code == 403
    assert client.get(reverse("applications:queue", args=[world.ngo_call.pk])).status_code == 403
    not_sent = other.attachments.first()
    url = reverse("applications:attachment", args=[other.pk, not_sent.pk])
    assert client.get(url).status_code == 403
    sent = stimulus.attachments.first()
    url = reverse("applications:attachment", args=[stimulus.pk, sent.pk])
    assert client.get(url).status_code == 200


def test_consultee_files_the_opinion_on_its_page(world, stimulus):
    request = send(world, stimulus)
    client = Client()
    client.force_login(world.users["consultee"])
    response = client.post(
        reverse("applications:consultation", args=[request.pk]),
        {"text": "Tillstyrks.", "recommendation": "grant"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.opinion.recommendation == "grant"
