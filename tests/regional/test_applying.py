"""Applying in a region's own round (issue 20 §3): who may apply and how,
the draft, the check page, the submission with its case number and receipt,
withdrawing, the public pages and the applicant's start page."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fordela.access.models import OrganisationRole
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.regional.models import (
    ApplicantKind,
    RoundStatus,
    SubGrantApplication,
    SubGrantDecision,
    SubGrantOutcome,
    SubGrantStatus,
)
from fordela.regional.services import applying
from tests.access.conftest import other_organisation
from tests.mail_sink import smtp_sink  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    """``text`` with the no-break spaces of amounts as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


ANSWERS = {"q_purpose": "Utbildning för personal i tandvården.", "q_target_group": "Patienter."}


@pytest.fixture(autouse=True)
def _spring_2022(clock_at):
    clock_at("2022-04-01T10:00")


@pytest.fixture
def round_(make_round):
    return make_round(
        summary="Utvecklingsmedel för arbetet mot våld i nära relationer.",
        purposes="Hälso- och sjukvård inklusive tandvård.\nSamverkan mellan regioner.",
        contact="Chefen för VKV, vkv@vgregion.se",
    )


def filled(**changes) -> dict:
    data = {
        "project_title": "Våld i nära relationer i tandvården",
        "requested_sek": "150 000",
        "contact_name": "Karin Berg",
        "contact_email": "karin.berg@boras.se",
        "contact_phone": "033-35 70 00",
        **ANSWERS,
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(round_, actor_ombud, actor):
    return applying.start_application(actor_ombud, round_, actor)


@pytest.fixture
def ready(draft, actor_ombud):
    assert applying.save_draft(actor_ombud, draft, filled()) == {}
    draft.refresh_from_db()
    return draft


# ---------------------------------------------------------------- starting


def test_an_external_actor_applies_with_its_organisation_number(draft, actor):
    assert draft.kind == ApplicantKind.EXTERNAL
    assert draft.organisation == actor
    assert draft.unit_code == ""
    assert draft.status == SubGrantStatus.DRAFT
    assert draft.question_set == draft.round.question_set
    assert AuditEvent.objects.filter(action=AuditAction.SUBGRANT_STARTED).count() == 1


def test_a_draft_keeps_the_question_version_it_was_started_with(
    draft, round_, region_ombud, region
):
    from fordela.regional.models import RoundQuestionSet

    second = RoundQuestionSet.objects.create(
        round=round_,
        version=2,
        questions=[{"key": "budget", "text": "Hur ser budgeten ut?", "max_length": 500}],
        status="published",
        published_at=datetime.datetime(2022, 4, 1, 9, tzinfo=datetime.UTC),
    )
    round_.question_set = second
    round_.save(update_fields=["question_set"])
    draft.refresh_from_db()
    assert [q["key"] for q in applying.questions_of(draft)] == [
        "purpose",
        "target_group",
        "cooperation",
    ]
    later = applying.start_application(
        region_ombud, round_, region, unit_code="12", unit_name="Enhet"
    )
    assert later.question_set == second
    assert [q["key"] for q in applying.questions_of(later)] == ["budget"]


def test_the_region_applies_for_one_of_its_own_units(round_, region, region_ombud):
    application = applying.start_application(
        region_ombud, round_, region, unit_code="4711", unit_name="Kvinnokliniken"
    )
    assert application.kind == ApplicantKind.OWN_UNIT
    assert (application.unit_code, application.unit_name) == ("4711", "Kvinnokliniken")
    assert application.applicant_name == "Kvinnokliniken (4711)"


def test_the_region_needs_a_unit_code(round_, region, region_ombud):
    with pytest.raises(ValidationError) as refused:
        applying.start_application(region_ombud, round_, region, unit_name="Kvinnokliniken")
    assert "unit_code" in refused.value.message_dict
    assert not SubGrantApplication.objects.exists()


def test_another_region_cannot_apply_as_the_rounds_own_unit(round_, other_region, member):
    other_ombud = member(other_region, OrganisationRole.OMBUD, "ombud-varmland")
    with pytest.raises(ValidationError) as refused:
        applying.start_application(
            other_ombud, round_, other_region, unit_code="123", unit_name="Enhet"
        )
    [message] = refused.value.message_dict["unit_code"]
    assert "Västra Götalandsregionen" in message
    assert not SubGrantApplication.objects.exists()


def test_an_organisation_without_organisation_number_cannot_apply(round_, member):
    nameless = other_organisation(name="Förening utan nummer", organisation_number="")
    ombud = member(nameless, OrganisationRole.OMBUD, "ombud-forening")
    with pytest.raises(ValidationError, match=r"organisation number|organisationsnummer"):
        applying.start_application(ombud, round_, nameless)


def test_an_organisation_number_with_a_wrong_check_digit_cannot_apply(round_, member):
    wrong = other_organisation(name="Förening med fel nummer", organisation_number="8024001236")
    ombud = member(wrong, OrganisationRole.OMBUD, "ombud-fel")
    with pytest.raises(ValidationError, match="8024001236"):
        applying.start_application(ombud, round_, wrong)
    assert not SubGrantApplication.objects.exists()


def test_the_start_page_says_in_swedish_why_a_wrong_number_cannot_apply(round_, member, client):
    wrong = other_organisation(name="Förening med fel nummer", organisation_number="8024001236")
    client.force_login(member(wrong, OrganisationRole.OMBUD, "ombud-fel"))
    page = client.get(reverse("regional:apply_start", args=[round_.pk])).content.decode()
    assert "kontrollsiffra" in page and "start-form" not in page


def test_uppgiftssamordnare_cannot_start(round_, actor, member):
    coordinator = member(actor, OrganisationRole.UPPGIFTSSAMORDNARE, "us-boras")
    with pytest.raises(PermissionDenied):
        applying.start_application(coordinator, round_, actor)


def test_someone_outside_the_organisation_cannot_start(round_, actor, regional_admin):
    with pytest.raises(PermissionDenied):
        applying.start_application(regional_admin, round_, actor)


def test_starting_twice_gives_the_same_draft(draft, round_, actor_ombud, actor):
    assert applying.start_application(actor_ombud, round_, actor).pk == draft.pk


def test_a_unit_may_have_its_own_application_beside_another_units(round_, region, region_ombud):
    first = applying.start_application(region_ombud, round_, region, unit_code="1", unit_name="A")
    second = applying.start_application(region_ombud, round_, region, unit_code="2", unit_name="B")
    assert first.pk != second.pk


def test_a_round_not_open_cannot_be_applied_to(make_round, actor_ombud, actor):
    closed = make_round(title="Stängd", status=RoundStatus.CLOSED)
    with pytest.raises(ValidationError, match=r"not open|inte öppen"):
        applying.start_application(actor_ombud, closed, actor)


def test_no_start_after_the_last_day(round_, actor_ombud, actor, clock_at):
    clock_at("2022-05-16T00:00:01")
    with pytest.raises(ValidationError, match=r"15 (May|maj) 2022"):
        applying.start_application(actor_ombud, round_, actor)


# ------------------------------------------------------------------ drafts


def test_a_draft_keeps_what_is_saved(draft, actor_ombud):
    assert applying.save_draft(actor_ombud, draft, filled()) == {}
    draft.refresh_from_db()
    assert draft.requested_sek == 150_000
    assert draft.answers["purpose"] == ANSWERS["q_purpose"]
    assert draft.contact_phone == "033-35 70 00"


def test_uppgiftssamordnare_can_fill_in(draft, actor, member):
    coordinator = member(actor, OrganisationRole.UPPGIFTSSAMORDNARE, "us-boras")
    assert applying.save_draft(coordinator, draft, {"project_title": "Nytt namn"}) == {}
    draft.refresh_from_db()
    assert draft.project_title == "Nytt namn"


def test_regional_staff_cannot_fill_in_an_applicants_draft(draft, regional_admin):
    with pytest.raises(PermissionDenied):
        applying.save_draft(regional_admin, draft, {"project_title": "Ändrat av regionen"})
    draft.refresh_from_db()
    assert draft.project_title == ""


def test_the_amount_is_at_most_the_rounds_budget(draft, actor_ombud):
    problems = applying.save_draft(actor_ombud, draft, {"requested_sek": "1 000 001"})
    assert list(problems) == ["requested_sek"]
    assert "1 000 000 kr" in plain(problems["requested_sek"][0])
    assert applying.save_draft(actor_ombud, draft, {"requested_sek": "1 000 000"}) == {}


def test_over_long_text_is_refused_in_swedish_and_not_saved(draft, actor_ombud, client):
    problems = applying.save_draft(
        actor_ombud,
        draft,
        {"project_title": "x" * 201, "q_purpose": "y" * 2001, "contact_phone": "031-123 45 67"},
    )
    assert set(problems) == {"project_title", "q_purpose"}
    draft.refresh_from_db()
    assert (draft.project_title, draft.answers.get("purpose", "")) == ("", "")
    assert draft.contact_phone == "031-123 45 67"  # what keeps its rules is saved all the same
    client.force_login(actor_ombud)
    response = client.post(
        reverse("regional:apply_edit", args=[draft.pk]), {**filled(), "q_purpose": "y" * 2001}
    )
    assert response.status_code == 400
    assert "Skriv högst 2000 tecken" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers.get("purpose", "") == ""


def test_own_money_counts_in_the_budget(make_round, actor_ombud, actor):
    round_ = make_round(title="Med egna medel", own_funding_sek=250_000)
    application = applying.start_application(actor_ombud, round_, actor)
    assert applying.save_draft(actor_ombud, application, {"requested_sek": "1250000"}) == {}


# -------------------------------------------------------------- submitting


def test_missing_names_everything_to_fill_in(draft, actor_ombud):
    # The contact person starts as whoever started the draft: their e-mail
    # is filled in (their name too when the account has one).
    assert draft.contact_email == actor_ombud.email
    problems = applying.missing(draft)
    assert set(problems) == {
        "project_title",
        "requested_sek",
        "q_purpose",
        "q_target_group",
        "contact_phone",
    } | ({"contact_name"} if not draft.contact_name else set())


def test_the_optional_question_may_stay_empty(ready):
    assert applying.missing(ready) == {}


def test_submit_gives_a_case_number_of_the_regional_series(ready, actor_ombud):
    submitted = applying.submit_application(actor_ombud, ready)
    assert submitted.status == SubGrantStatus.SUBMITTED
    assert re.fullmatch(r"2022-30-\d{4}", submitted.case_number)
    assert submitted.submitted_by == actor_ombud
    assert submitted.submitted_at is not None
    event = AuditEvent.objects.get(action=AuditAction.SUBGRANT_SUBMITTED)
    assert event.after["case_number"] == submitted.case_number


def test_case_numbers_run_on(ready, actor_ombud, round_, region, region_ombud):
    first = applying.submit_application(actor_ombud, ready)
    unit = applying.start_application(region_ombud, round_, region, unit_code="9", unit_name="X")
    applying.save_draft(region_ombud, unit, filled())
    second = applying.submit_application(region_ombud, unit)
    assert int(second.case_number[-4:]) == int(first.case_number[-4:]) + 1


def test_uppgiftssamordnare_cannot_submit(ready, actor, member):
    coordinator = member(actor, OrganisationRole.UPPGIFTSSAMORDNARE, "us-boras")
    with pytest.raises(PermissionDenied, match="ombud"):
        applying.submit_application(coordinator, ready)
    ready.refresh_from_db()
    assert ready.status == SubGrantStatus.DRAFT


def test_an_incomplete_application_is_not_submitted(draft, actor_ombud):
    with pytest.raises(ValidationError) as refused:
        applying.submit_application(actor_ombud, draft)
    assert "project_title" in refused.value.message_dict
    draft.refresh_from_db()
    assert (draft.status, draft.case_number) == (SubGrantStatus.DRAFT, "")


def test_submission_at_2359_on_the_last_day_is_on_time(ready, actor_ombud, clock_at):
    clock_at("2022-05-15T23:59:59")
    assert applying.submit_application(actor_ombud, ready).case_number


def test_late_submission_is_refused_in_swedish(ready, actor_ombud, clock_at, client):
    clock_at("2022-05-16T00:00:01")
    with pytest.raises(ValidationError) as refused:
        applying.submit_application(actor_ombud, ready)
    assert "15 maj 2022" in refused.value.message_dict["__all__"][0]
    client.force_login(actor_ombud)
    url = reverse("regional:apply_check", args=[ready.pk])
    page = client.get(url).content.decode()
    assert "Sista dag att ansöka var 15 maj 2022" in page
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert "Sista dag att ansöka var 15 maj 2022" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == SubGrantStatus.DRAFT


def test_a_submitted_application_cannot_be_changed(ready, actor_ombud):
    applying.submit_application(actor_ombud, ready)
    with pytest.raises(ValidationError, match="2022-30-"):
        applying.save_draft(actor_ombud, ready, {"project_title": "Ändrad"})


def test_the_receipt_goes_to_the_contact_person_over_smtp(
    ready,
    actor_ombud,
    smtp_sink,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = applying.submit_application(actor_ombud, ready)
    [message] = smtp_sink.parsed()
    assert submitted.case_number in message["Subject"]
    assert "Västra Götalandsregionen" in message["Subject"]
    recipients = {address.strip() for address in message["To"].split(",")}
    assert recipients == {"karin.berg@boras.se", actor_ombud.email}
    body = plain(message.get_content())
    assert "150 000 kr" in body
    assert "30 juni 2022" in body  # the decision date
    assert "Chefen för VKV" in body


# ------------------------------------------------------------- withdrawing


def test_a_draft_can_be_withdrawn(draft, actor_ombud):
    applying.withdraw_draft(actor_ombud, draft)
    draft.refresh_from_db()
    assert draft.status == SubGrantStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action=AuditAction.SUBGRANT_WITHDRAWN).count() == 1


def test_a_submitted_application_cannot_be_withdrawn(ready, actor_ombud):
    applying.submit_application(actor_ombud, ready)
    with pytest.raises(ValidationError):
        applying.withdraw_draft(actor_ombud, ready)


def test_uppgiftssamordnare_cannot_withdraw(draft, actor, member):
    coordinator = member(actor, OrganisationRole.UPPGIFTSSAMORDNARE, "us-boras")
    with pytest.raises(PermissionDenied):
        applying.withdraw_draft(coordinator, draft)


def test_withdraw_page_asks_first(draft, actor_ombud, client):
    client.force_login(actor_ombud)
    url = reverse("regional:apply_withdraw", args=[draft.pk])
    assert "Ja, ta tillbaka utkastet" in client.post(url).content.decode()
    draft.refresh_from_db()
    assert draft.status == SubGrantStatus.DRAFT
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == SubGrantStatus.WITHDRAWN


# ------------------------------------------------------------------- pages


def test_the_public_round_page_shows_the_vkv_facts(round_, client):
    page = client.get(reverse("regional:apply_round", args=[round_.pk])).content.decode()
    for text in (
        "Västra Götalandsregionen",
        "Statliga medel 2022",
        "Hälso- och sjukvård inklusive tandvård",
        "15 maj 2022",
        "30 juni 2022",
        "1 januari 2022",
        "31 december 2022",
        "15 januari 2023",
        "fakturerar",
        "Chefen för VKV",
        "kostnadsställe",
        "organisationsnummer",
    ):
        assert text in page, text
    assert reverse("regional:apply_start", args=[round_.pk]) in page


def test_a_draft_round_is_not_public(make_round, client):
    draft_round = make_round(title="Utkast", status=RoundStatus.DRAFT)
    assert client.get(reverse("regional:apply_round", args=[draft_round.pk])).status_code == 404
    assert "Utkast" not in client.get(reverse("regional:apply_rounds")).content.decode()


def test_the_public_list_shows_open_rounds_first(make_round, client):
    closed = make_round(title="Förra omgången", status=RoundStatus.CLOSED)
    open_ = make_round(title="Öppen omgång")
    page = client.get(reverse("regional:apply_rounds")).content.decode()
    assert page.index(open_.title) < page.index(closed.title)


def test_the_national_calls_link_to_the_regional_rounds(client):
    page = client.get(reverse("applications:calls")).content.decode()
    assert reverse("regional:apply_rounds") in page


def test_someone_in_no_organisation_is_told_clearly(round_, make_user, client):
    client.force_login(make_user("ensam"))
    page = client.get(reverse("regional:apply_start", args=[round_.pk])).content.decode()
    assert "no-organisation" in page
    assert "start-form" not in page


def test_the_start_page_offers_the_unit_fields_only_to_the_region(
    round_, region_ombud, actor_ombud, client
):
    url = reverse("regional:apply_start", args=[round_.pk])
    client.force_login(region_ombud)
    assert 'id="own-unit"' in client.get(url).content.decode()
    client.force_login(actor_ombud)
    assert 'id="own-unit"' not in client.get(url).content.decode()


def test_starting_through_the_page(round_, region, region_ombud, client):
    client.force_login(region_ombud)
    url = reverse("regional:apply_start", args=[round_.pk])
    response = client.post(
        url, {"organisation": region.pk, "unit_code": "4711", "unit_name": "Kvinnokliniken"}
    )
    application = SubGrantApplication.objects.get()
    assert response.url == reverse("regional:apply_edit", args=[application.pk])


def test_another_members_application_is_refused(draft, member, other_region, client):
    outsider = member(other_organisation(name="Ale kommun 2"), OrganisationRole.OMBUD, "annan")
    client.force_login(outsider)
    for name in ("apply_edit", "apply_check", "apply_receipt"):
        assert client.get(reverse(f"regional:{name}", args=[draft.pk])).status_code == 403
    assert (
        client.post(
            reverse("regional:apply_autosave", args=[draft.pk]), {"project_title": "X"}
        ).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.project_title == ""


def test_regional_staff_cannot_open_the_applicants_draft(draft, regional_admin, client):
    client.force_login(regional_admin)
    url = reverse("regional:apply_edit", args=[draft.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, filled()).status_code == 403


def test_the_form_has_a_character_count_for_each_question(draft, actor_ombud, client):
    client.force_login(actor_ombud)
    page = client.get(reverse("regional:apply_edit", args=[draft.pk])).content.decode()
    assert page.count('data-module="govuk-character-count"') == 3
    assert 'data-maxlength="2000"' in page
    # Without JavaScript the limit is written out.
    assert "Du kan skriva upp till 2000 tecken" in page or "2 000 tecken" in page


def test_the_whole_journey_through_the_pages(
    round_,
    actor,
    actor_ombud,
    client,
    smtp_sink,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client.force_login(actor_ombud)
    response = client.post(
        reverse("regional:apply_start", args=[round_.pk]), {"organisation": actor.pk}
    )
    application = SubGrantApplication.objects.get()
    edit = reverse("regional:apply_edit", args=[application.pk])
    assert response.url == edit
    response = client.post(edit, {**filled(), "action": "check"})
    check = reverse("regional:apply_check", args=[application.pk])
    assert response.url == check
    page = client.get(check).content.decode()
    assert 'id="complete"' in page and "Våld i nära relationer i tandvården" in page
    assert "Skicka in ansökan" in client.post(check).content.decode()  # the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check, {"confirmed": "1"})
    application.refresh_from_db()
    assert response.url == reverse("regional:apply_receipt", args=[application.pk]) + "?kvittens=1"
    page = client.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in page and application.case_number in page
    assert len(smtp_sink.messages) == 1
    start = client.get(reverse("access:my_pages")).content.decode()
    assert f"work-regional-application-{application.pk}-status" in start
    assert application.case_number in start


def test_the_applicant_sees_the_decision_once_made(
    ready, actor_ombud, regional_admin, regional_decider, client
):
    submitted = applying.submit_application(actor_ombud, ready)
    moment = datetime.datetime(2022, 6, 20, 10, tzinfo=datetime.UTC)
    decision = SubGrantDecision.objects.create(
        application=submitted,
        round=submitted.round,
        outcome=SubGrantOutcome.GRANTED,
        amount_sek=120_000,
        motivation="Väl underbyggd ansökan.",
        proposed_by=regional_admin,
        proposed_at=moment,
    )
    SubGrantApplication.objects.filter(pk=submitted.pk).update(status=SubGrantStatus.PROPOSED)
    client.force_login(actor_ombud)
    url = reverse("regional:apply_receipt", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert "Väl underbyggd" not in page  # a proposal is not the applicant's yet
    decision.decided_by, decision.decided_at = regional_decider, moment
    decision.save()
    SubGrantApplication.objects.filter(pk=submitted.pk).update(status=SubGrantStatus.DECIDED)
    page = plain(client.get(url).content.decode())
    assert "Beviljad" in page and "120 000 kr" in page and "Väl underbyggd" in page
    start = plain(client.get(reverse("access:my_pages")).content.decode())
    assert "120 000 kr" in start
    client.logout()
    public = plain(
        client.get(reverse("regional:apply_round", args=[submitted.round_id])).content.decode()
    )
    assert 'id="granted"' in public and "Borås stad" in public and "120 000 kr" in public
