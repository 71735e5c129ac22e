"""The e-mailed report link (issue 17 §7): signed for the contact person it
was sent to. While current it leads to the report page (which still asks for
a login with the FILL_IN right); after the contact person is changed, or once
it is older than the report period, it shows "Länken gäller inte längre"
(410) and changes nothing; an altered link names no report (404)."""

import pytest
from django.core import signing
from django.urls import reverse

from fordela.audit.models import AuditEvent
from fordela.reports import services
from fordela.reports.models import Report
from fordela.reports.reminders import send_report_reminders

from .conftest import client_for
from .links import emailed_link


@pytest.fixture
def report(paid_round, mailoutbox):
    services.open_report_period(2021)
    return Report.objects.get(organisation=paid_round.ale)


def anna_link(mailoutbox) -> str:
    (mail,) = [m for m in mailoutbox if m.to == ["anna@example.se"]]
    return emailed_link(mail.body)


def sv_get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    return response, response.content.decode()


def state(report) -> tuple:
    report.refresh_from_db()
    return (
        report.contact_email,
        report.status,
        report.answers,
        report.updated_at,
        AuditEvent.objects.count(),
    )


def test_a_current_link_leads_to_the_report_page_behind_the_login(report, paid_round, mailoutbox):
    link = anna_link(mailoutbox)
    assert f"/aterrapport/{report.pk}/" not in mailoutbox[0].body  # only the signed link
    edit = reverse("reports:edit", args=[report.pk])
    # Logged out: to the report page, which asks for a login first.
    response = client_for_anonymous().get(link)
    assert (response.status_code, response["Location"]) == (302, edit)
    response = client_for_anonymous().get(link, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("access:login"))
    # Logged in with the FILL_IN right: the form.
    filler = client_for(paid_round.users["uppgiftssamordnare"])
    response = filler.get(link, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(edit, 302)]
    # The link gives no right of its own: another organisation's ombud is refused.
    assert client_for(paid_round.users["ombud_b"]).get(link, follow=True).status_code == 403


def client_for_anonymous():
    from django.test import Client

    return Client()


def test_a_changed_contact_person_gets_a_new_link_and_the_old_one_stops(
    report, paid_round, mailoutbox
):
    old = anna_link(mailoutbox)
    mailoutbox.clear()
    ombud = paid_round.users["ombud"]
    services.change_contact(ombud, report, "Berit Berg", "berit@ale.se", "0303-1")
    services.change_contact(ombud, report, "Berit Berg", "berit@ale.se", "0303-2")
    (mail,) = mailoutbox  # once, however often the details are saved
    assert mail.to == ["berit@ale.se"]
    new = emailed_link(mail.body)
    assert new != old
    assert client_for_anonymous().get(new)["Location"] == reverse("reports:edit", args=[report.pk])

    before = state(report)
    response, html = sv_get(client_for_anonymous(), old)
    assert response.status_code == 410
    assert "Länken gäller inte längre" in html
    assert "bytt kontaktperson" in html
    assert "ombud" in html and "Logga in" in html
    assert report.case_number in html
    assert "berit@ale.se" not in html  # the old person is not told who the new one is
    # Logged in, the page offers the report itself (still behind the matrix).
    response, html = sv_get(client_for(paid_round.users["ombud"]), old)
    assert response.status_code == 410
    assert reverse("reports:edit", args=[report.pk]) in html
    assert state(report) == before


def test_an_expired_link_says_so_and_a_reminder_brings_a_fresh_one(
    report, paid_round, mailoutbox, clock_at, settings
):
    settings.FORDELA_REPORT_LINK_MAX_AGE_DAYS = 183
    link = anna_link(mailoutbox)  # sent 10 January 2022 09:00
    clock_at("2022-07-12T08:59")
    assert client_for_anonymous().get(link).status_code == 302
    clock_at("2022-07-12T09:01")
    before = state(report)
    response, html = sv_get(client_for_anonymous(), link)
    assert response.status_code == 410
    assert "Länken gäller inte längre" in html
    assert "10 januari 2022" in html and "12 juli 2022" in html
    assert state(report) == before
    # A link in a reminder is signed when the reminder is sent.
    mailoutbox.clear()
    clock_at("2022-04-01T07:00")  # the day after the deadline: the reminder "after:1"
    assert send_report_reminders() == 2
    reminder = next(m for m in mailoutbox if "anna@example.se" in m.to)
    fresh = emailed_link(reminder.body)
    clock_at("2022-07-12T09:01")
    assert client_for_anonymous().get(fresh).status_code == 302


@pytest.mark.parametrize(
    "alter",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "x" + token,  # the payload
        lambda token: token.split(":")[0],  # cut short
        lambda token: "nonsense",
    ],
    ids=["signature", "payload", "cut-short", "nonsense"],
)
def test_an_altered_link_names_no_report_and_changes_nothing(report, mailoutbox, alter):
    token = anna_link(mailoutbox).rstrip("/").rsplit("/", 1)[1]
    url = reverse("reports:contact_link", args=[alter(token)])
    before = state(report)
    response, html = sv_get(client_for_anonymous(), url)
    assert response.status_code == 404
    assert "Länken fungerar inte" in html
    assert report.case_number not in html
    assert state(report) == before


def test_a_link_signed_for_something_else_is_not_a_report_link(report):
    # The same payload under another salt (or Django's default) is refused.
    payload = {"r": report.pk, "e": report.contact_email, "t": 1_700_000_000}
    for salt in ("django.core.signing", "fordela.something-else"):
        token = signing.Signer(salt=salt).sign_object(payload, compress=True)
        response = client_for_anonymous().get(reverse("reports:contact_link", args=[token]))
        assert response.status_code == 404


def test_a_report_that_no_longer_exists(report, mailoutbox):
    link = anna_link(mailoutbox)
    Report.objects.filter(pk=report.pk).delete()
    assert client_for_anonymous().get(link).status_code == 404
