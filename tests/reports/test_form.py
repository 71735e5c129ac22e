"""The report form (issue 17 §2): the questions of the report's form version,
the economic statement (received read-only from the ledger, used in whole
kronor within 0…received, unused computed on the server), autosave, the
check page, free-text limits that the server keeps and a counter that also
works without JavaScript. Bad input gets a Swedish message and changes
nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from fordela.reports import services
from fordela.reports.models import Report, ReportForm

from .conftest import client_for

ANSWERS = {
    "activities_socialtjanst": "Utbildning i FREDA för socialsekreterare.",
    "results": "Fler våldsutsatta fick stöd.",
    "lessons": "Samverkan med regionen fungerade; arbetet fortsätter i ordinarie verksamhet.",
}


@pytest.fixture
def report(paid_round):
    services.open_report_period(2021)
    return Report.objects.get(organisation=paid_round.ale)


@pytest.fixture
def filler(paid_round):
    return client_for(paid_round.users["uppgiftssamordnare"])


def sv(response) -> str:
    return response.content.decode()


def post(client, report, data, view="reports:edit", **extra):
    return client.post(reverse(view, args=[report.pk]), data, HTTP_ACCEPT_LANGUAGE="sv", **extra)


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_the_form_has_the_versions_questions_and_the_received_amount(report, filler):
    html = sv(filler.get(reverse("reports:edit", args=[report.pk])))
    for question in report.form.questions:
        assert question["text"] in html
        assert f'name="{question["key"]}"' in html
    assert "Hälso- och sjukvården, inklusive tandvården" in html
    assert "Genomförda insatser" in html and "Ekonomisk redovisning" in html
    # Received is shown, not asked: there is no input for it.
    assert 'name="received_sek"' not in html
    assert "Omfördelat till er" in html
    # Free text: GOV.UK's character count, and the limit said without JS.
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="4000"' in html
    assert "Du kan skriva upp till 4000 tecken" in html
    assert 'id="id_results-info"' in html
    assert 'data-autosave-url="' + reverse("reports:autosave", args=[report.pk]) in html


def test_saving_keeps_the_answers_and_computes_unused(report, filler):
    response = post(filler, report, {**ANSWERS, "used_sek": "1 000", "action": "save"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.answers["results"] == ANSWERS["results"]
    assert report.used_sek == 1000
    assert report.unused_sek == report.received_sek - 1000


def test_a_posted_unused_amount_is_ignored(report, filler):
    post(filler, report, {"used_sek": "1000", "unused_sek": "0", "action": "save"})
    report.refresh_from_db()
    assert report.unused_sek == report.received_sek - 1000


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("99999999", "kan inte vara större än"),
        ("-5", "Skriv beloppet i hela kronor"),
        ("12,5", "Skriv beloppet i hela kronor"),
        ("tusen", "Skriv beloppet i hela kronor"),
    ],
)
def test_a_bad_amount_is_refused_in_swedish_and_changes_nothing(report, filler, typed, message):
    post(filler, report, {"used_sek": "500", "action": "save"})
    response = post(filler, report, {**ANSWERS, "used_sek": typed, "action": "save"})
    assert response.status_code == 400
    html = sv(response)
    assert message in html
    assert "govuk-error-summary" in html
    assert html.count(message) == 2  # in the summary and beside the field, once each
    report.refresh_from_db()
    assert report.used_sek == 500
    # What else was typed is kept: the valid answers are saved.
    assert report.answers["results"] == ANSWERS["results"]


def test_the_server_keeps_the_character_limit(report, filler):
    response = post(filler, report, {"results": "x" * 4001, "lessons": "Bra.", "action": "save"})
    assert response.status_code == 400
    assert "Skriv högst 4000 tecken (du skrev 4001)." in sv(response)
    report.refresh_from_db()
    assert "results" not in report.answers
    assert report.answers["lessons"] == "Bra."


def test_autosave_saves_what_it_can_and_names_the_rest(report, filler):
    response = filler.post(
        reverse("reports:autosave", args=[report.pk]),
        {"results": "Sparat i farten.", "used_sek": "-1"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False
    assert "used_sek" in body["fields"]
    assert "results" in body["valid"]
    report.refresh_from_db()
    assert report.answers["results"] == "Sparat i farten."
    assert report.used_sek is None
    response = filler.post(reverse("reports:autosave", args=[report.pk]), {"used_sek": "0"})
    assert response.json()["saved"] is True
    report.refresh_from_db()
    assert (report.used_sek, report.unused_sek) == (0, report.received_sek)


def test_the_check_page_shows_everything_and_what_is_missing(report, filler):
    response = filler.get(reverse("reports:check", args=[report.pk]))
    html = sv(response)
    assert "Kontrollera er återrapport" in html
    assert "Beskriv insatserna inom minst ett område." in html
    assert "Ange hur mycket av pengarna som har använts." in html
    post(filler, report, {**ANSWERS, "used_sek": "1000", "action": "save"})
    html = sv(filler.get(reverse("reports:check", args=[report.pk])))
    assert "Allt är ifyllt" in html
    assert ANSWERS["lessons"] in html
    assert 'id="unused"' in html


def test_save_and_check_goes_to_the_check_page(report, filler):
    response = post(filler, report, {**ANSWERS, "used_sek": "1000", "action": "check"})
    assert response["Location"] == reverse("reports:check", args=[report.pk])


def test_someone_elses_report_is_refused(report, paid_round):
    other = client_for(paid_round.users["ombud_b"])
    for view in ("reports:edit", "reports:check"):
        assert other.get(reverse(view, args=[report.pk])).status_code == 403
    response = post(other, report, {"results": "Intrång", "action": "save"})
    assert response.status_code == 403
    response = post(other, report, {"results": "Intrång"}, view="reports:autosave")
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.answers == {}


def test_a_report_keeps_its_form_version(report):
    """A new version is for new reports; the open one keeps its own."""
    newer = ReportForm.objects.create(
        version=2,
        status="published",
        published_at=timezone.now(),
        questions=[{"key": "other", "section": "results", "text": "Annan fråga", "required": True}],
    )
    assert services.current_form() == newer
    report.refresh_from_db()
    assert report.form.version == 1
