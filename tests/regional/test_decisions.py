"""Assessment and decisions in a regional round (issue 20 §2–3): the region's
administrator proposes (a grant of 1 kr up to the amount applied for, or a
rejection, with a motivation); the region's decision maker, never the
proposer, decides as proposed or sends the proposal back. A grant never
takes the round past its state and own money less what is decided (the
service's check, the database's check, and two decisions at once); the
decision letter is the region's PDF; the granted applications are listed.
Bad input is refused in Swedish and changes nothing.

The applications are written with the ORM as submission leaves them (the
applying service has its own tests)."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fordela.access.models import RegionalRole
from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.core.formatting import kronor
from fordela.regional.models import (
    RoundStatus,
    SubGrantApplication,
    SubGrantDecision,
    SubGrantOutcome,
    SubGrantRound,
    SubGrantStatus,
)
from fordela.regional.services import decisions
from tests.access.conftest import regional
from tests.regional.after_fixtures import SUBMITTED_AT
from tests.regional.after_fixtures import submitted_application as submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swedish_and_clock(settings):
    settings.FORDELA_TODAY = "2022-06-01T10:00"
    with translation.override("sv"):
        yield


@pytest.fixture
def round_(make_round):
    return make_round(status=RoundStatus.CLOSED, state_funding_sek=1_000_000)


@pytest.fixture
def application(round_, actor, actor_ombud):
    return submitted(round_, actor, actor_ombud)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unchanged(application, round_decided=0):
    application.refresh_from_db()
    assert SubGrantRound.objects.get(pk=application.round_id).decided_sek == round_decided
    return application


# ------------------------------------------------------------------ propose


def test_the_administrator_proposes_a_grant_within_the_amount_applied_for(
    application, regional_admin
):
    decision = decisions.propose(
        regional_admin, application, SubGrantOutcome.GRANTED, "Väl motiverat.", 250_000
    )
    application.refresh_from_db()
    assert application.status == SubGrantStatus.PROPOSED
    assert (decision.amount_sek, decision.proposed_by, decision.decided_at) == (
        250_000,
        regional_admin,
        None,
    )
    assert events_for(application).filter(action=AuditAction.SUBGRANT_PROPOSED).count() == 1


@pytest.mark.parametrize("amount", [0, 300_001, 10**15])
def test_a_proposal_above_the_amount_applied_for_is_refused(application, regional_admin, amount):
    with pytest.raises(ValidationError) as refused:
        decisions.propose(regional_admin, application, SubGrantOutcome.GRANTED, "Bra.", amount)
    assert f"högst de {kronor(300_000)} som söktes" in " ".join(refused.value.messages)
    assert unchanged(application).status == SubGrantStatus.SUBMITTED
    assert not SubGrantDecision.objects.exists()


def test_a_rejection_grants_nothing(application, regional_admin):
    decision = decisions.propose(
        regional_admin, application, SubGrantOutcome.REJECTED, "Utanför syftet.", 100_000
    )
    assert decision.amount_sek == 0


def test_an_over_long_or_empty_motivation_is_refused(application, regional_admin):
    for motivation, message in (("x" * 4001, "Högst 4000 tecken"), ("  ", "motiveringen")):
        with pytest.raises(ValidationError) as refused:
            decisions.propose(regional_admin, application, SubGrantOutcome.REJECTED, motivation)
        assert message in str(refused.value)
    assert unchanged(application).status == SubGrantStatus.SUBMITTED


def test_the_decision_maker_and_other_regions_cannot_propose(
    application, regional_decider, make_user, other_region
):
    other_admin = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))
    for user in (regional_decider, other_admin):
        with pytest.raises(PermissionDenied):
            decisions.propose(user, application, SubGrantOutcome.REJECTED, "Nej.")
    assert unchanged(application).status == SubGrantStatus.SUBMITTED


# ------------------------------------------------------------------- decide


def proposed(application, admin, amount=300_000, outcome=SubGrantOutcome.GRANTED):
    decisions.propose(admin, application, outcome, "Väl motiverat och i linje med syftet.", amount)
    application.refresh_from_db()
    return application


def test_the_decision_maker_decides_and_the_round_counts_the_grant(
    application, regional_admin, regional_decider, mailoutbox, django_capture_on_commit_callbacks
):
    proposed(application, regional_admin, 250_000)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decisions.decide(regional_decider, application)
    application.refresh_from_db()
    assert application.status == SubGrantStatus.DECIDED
    assert decision.decided_by == regional_decider
    assert SubGrantRound.objects.get(pk=application.round_id).decided_sek == 250_000
    assert events_for(application).filter(action=AuditAction.SUBGRANT_DECIDED).count() == 1
    # The letter is e-mailed once, as the region, with the PDF attached.
    (message,) = mailoutbox
    assert message.to == ["kim@example.se", "ombud-boras@example.se"]
    assert "V=C3=A4stra_G=C3=B6talandsregionen" in message.from_email
    assert message.attachments[0][0] == f"beslut-{application.case_number}.pdf"


def test_the_proposer_cannot_decide_four_eyes(application, region, regional_admin):
    # Even someone who is both administrator and decision maker.
    regional(region, RegionalRole.DECISION_MAKER, regional_admin)
    proposed(application, regional_admin)
    with pytest.raises(ValidationError) as refused:
        decisions.decide(regional_admin, application)
    assert "någon annan än den som föreslog" in str(refused.value)
    assert unchanged(application).status == SubGrantStatus.PROPOSED
    assert not SubGrantDecision.objects.get().is_decided


def test_the_database_refuses_a_decision_by_its_proposer(application, regional_admin):
    proposed(application, regional_admin)
    decision = SubGrantDecision.objects.get()
    decision.decided_by, decision.decided_at = regional_admin, SUBMITTED_AT
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_the_administrator_and_other_regions_cannot_decide(
    application, regional_admin, make_user, other_region
):
    proposed(application, regional_admin)
    other_decider = regional(other_region, RegionalRole.DECISION_MAKER, make_user("varmland"))
    for user in (regional_admin, other_decider):
        with pytest.raises(PermissionDenied):
            decisions.decide(user, application)
    assert unchanged(application).status == SubGrantStatus.PROPOSED


def test_a_decision_above_the_remaining_budget_is_refused_and_changes_nothing(
    round_, actor, actor_ombud, regional_admin, regional_decider
):
    first = proposed(submitted(round_, actor, actor_ombud, requested=800_000), regional_admin)
    second = proposed(submitted(round_, actor, actor_ombud, requested=300_000), regional_admin)
    decisions.decide(regional_decider, first)  # 300 000 of 1 000 000
    third = proposed(
        submitted(round_, actor, actor_ombud, requested=800_000), regional_admin, 700_001
    )
    with pytest.raises(ValidationError) as refused:
        decisions.decide(regional_decider, third)
    assert refused.value.messages == [
        f"Att bevilja {kronor(700_001)} skulle överskrida utlysningens budget: "
        f"{kronor(700_000)} av {kronor(1_000_000)} återstår att besluta."
    ]
    assert unchanged(third, round_decided=300_000).status == SubGrantStatus.PROPOSED
    assert not SubGrantDecision.objects.get(application=third).is_decided
    decisions.decide(regional_decider, second)  # what fits is still decided
    assert SubGrantRound.objects.get(pk=round_.pk).remaining_sek == 400_000


def test_the_regions_own_money_adds_to_what_can_be_decided(
    make_round, actor, actor_ombud, regional_admin, regional_decider
):
    round_ = make_round(
        status=RoundStatus.CLOSED, state_funding_sek=100_000, own_funding_sek=50_000
    )
    application = proposed(
        submitted(round_, actor, actor_ombud, requested=150_000), regional_admin, 150_000
    )
    decisions.decide(regional_decider, application)
    round_.refresh_from_db()
    assert (round_.decided_sek, round_.remaining_sek) == (150_000, 0)


def test_a_draft_or_finished_round_decides_nothing(
    application, round_, regional_admin, regional_decider
):
    proposed(application, regional_admin)
    SubGrantRound.objects.filter(pk=round_.pk).update(status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        decisions.decide(regional_decider, application)
    assert "beslutar inte" in str(refused.value)
    assert unchanged(application).status == SubGrantStatus.PROPOSED


def test_the_decision_maker_sends_a_proposal_back(application, regional_admin, regional_decider):
    proposed(application, regional_admin)
    decisions.return_proposal(regional_decider, application, "Motivera beloppet.")
    application.refresh_from_db()
    assert application.status == SubGrantStatus.SUBMITTED
    assert not SubGrantDecision.objects.exists()
    event = events_for(application).get(action=AuditAction.SUBGRANT_RETURNED)
    assert event.after["reason"] == "Motivera beloppet."
    # The administrator may propose again.
    proposed(application, regional_admin, 100_000)


def test_a_decided_proposal_cannot_be_sent_back(application, regional_admin, regional_decider):
    proposed(application, regional_admin)
    decisions.decide(regional_decider, application)
    with pytest.raises(ValidationError):
        decisions.return_proposal(regional_decider, application, "För sent.")
    assert SubGrantDecision.objects.get().is_decided


# ------------------------------------------------ two decisions at the same time


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_that_together_exceed_the_budget_give_exactly_one(
    make_round, actor, actor_ombud, regional_admin, regional_decider, region, make_user, settings
):
    settings.FORDELA_TODAY = "2022-06-01T10:00"
    round_ = make_round(status=RoundStatus.CLOSED, state_funding_sek=1_000_000)
    applications = [
        proposed(submitted(round_, actor, actor_ombud, requested=600_000), regional_admin, 600_000)
        for _ in range(2)
    ]
    second_decider = regional(region, RegionalRole.DECISION_MAKER, make_user("vkv-chef-2"))
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def decide(index, user, application):
        translation.activate("sv")  # threads start without the test's language
        try:
            barrier.wait()
            outcomes[index] = decisions.decide(user, application)
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(index, user, application))
        for index, (user, application) in enumerate(
            zip((regional_decider, second_decider), applications, strict=True)
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    decided = [o for o in outcomes if isinstance(o, SubGrantDecision)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    assert "överskrida utlysningens budget" in str(refused[0])
    assert SubGrantRound.objects.get(pk=round_.pk).decided_sek == 600_000
    assert SubGrantDecision.objects.filter(decided_at__isnull=False).count() == 1
    statuses = sorted(SubGrantApplication.objects.values_list("status", flat=True))
    assert statuses == [SubGrantStatus.DECIDED, SubGrantStatus.PROPOSED]


# ----------------------------------------------------------------- the pages


def test_the_assessment_page_shows_the_answers_and_the_proposal_form(application, regional_admin):
    response = client_for(regional_admin).get(reverse("regional:assessment", args=[application.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Utbildning av personal" in page
    assert "Föreslå beslutet" in page
    assert reverse("regional:propose", args=[application.pk]) in page


def test_proposing_through_the_page_with_too_much_is_refused_in_swedish(
    application, regional_admin
):
    response = client_for(regional_admin).post(
        reverse("regional:propose", args=[application.pk]),
        {
            "proposal-outcome": "granted",
            "proposal-amount_sek": "99 999 999 999 999",
            "proposal-motivation": "Bra.",
        },
    )
    assert response.status_code == 400
    assert "kr" in response.content.decode()
    assert unchanged(application).status == SubGrantStatus.SUBMITTED
    response = client_for(regional_admin).post(
        reverse("regional:propose", args=[application.pk]),
        {
            "proposal-outcome": "granted",
            "proposal-amount_sek": "300 001",
            "proposal-motivation": "Bra.",
        },
    )
    assert response.status_code == 400
    assert f"högst de {kronor(300_000)} som söktes" in response.content.decode()
    assert unchanged(application).status == SubGrantStatus.SUBMITTED


def test_proposing_and_deciding_through_the_pages(
    application, regional_admin, regional_decider, mailoutbox, django_capture_on_commit_callbacks
):
    response = client_for(regional_admin).post(
        reverse("regional:propose", args=[application.pk]),
        {
            "proposal-outcome": "granted",
            "proposal-amount_sek": "200 000",
            "proposal-motivation": "Insatsen når våldsutsatta i hela kommunen.",
        },
    )
    assert response.status_code == 302
    decider = client_for(regional_decider)
    page = decider.get(reverse("regional:assessment", args=[application.pk])).content.decode()
    assert "Besluta enligt förslaget" in page
    url = reverse("regional:decide", args=[application.pk])
    confirm = decider.post(url)
    assert confirm.status_code == 200 and "Besluta enligt förslaget?" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert decider.post(url, {"confirmed": "1"}).status_code == 302
    assert unchanged(application, round_decided=200_000).status == SubGrantStatus.DECIDED
    assert len(mailoutbox) == 1


def test_the_proposer_sees_that_someone_else_decides(application, region, regional_admin):
    regional(region, RegionalRole.DECISION_MAKER, regional_admin)
    proposed(application, regional_admin)
    page = client_for(regional_admin).get(reverse("regional:assessment", args=[application.pk]))
    assert 'id="four-eyes"' in page.content.decode()
    assert reverse("regional:decide", args=[application.pk]) not in page.content.decode()


def test_another_regions_staff_get_403_and_the_agency_reads_without_forms(
    application, make_user, other_region, staff
):
    from fordela.access.models import StaffRole

    other_admin = regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))
    url = reverse("regional:assessment", args=[application.pk])
    assert client_for(other_admin).get(url).status_code == 403
    assert (
        client_for(other_admin)
        .post(reverse("regional:propose", args=[application.pk]), {"proposal-outcome": "rejected"})
        .status_code
        == 403
    )
    handlaggare = staff(StaffRole.HANDLAGGARE)
    page = client_for(handlaggare).get(url)
    assert page.status_code == 200
    assert reverse("regional:propose", args=[application.pk]) not in page.content.decode()
    response = client_for(handlaggare).post(
        reverse("regional:propose", args=[application.pk]),
        {"proposal-outcome": "rejected", "proposal-motivation": "Nej."},
    )
    assert response.status_code == 403
    assert unchanged(application).status == SubGrantStatus.SUBMITTED


def test_a_draft_application_is_not_the_regions_to_see(round_, actor, actor_ombud, regional_admin):
    draft = submitted(round_, actor, actor_ombud)
    SubGrantApplication.objects.filter(pk=draft.pk).update(status=SubGrantStatus.DRAFT)
    response = client_for(regional_admin).get(reverse("regional:assessment", args=[draft.pk]))
    assert response.status_code == 404


# ------------------------------------------------------- the letter and the list


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_decision_letter_is_the_regions_pdf(
    application, regional_admin, regional_decider, actor_ombud
):
    proposed(application, regional_admin, 250_000)
    decision = decisions.decide(regional_decider, application)
    url = reverse("regional:decision_letter", args=[decision.pk])
    response = client_for(regional_decider).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Västra Götalandsregionen beviljar er ansökan 250 000 kronor" in text
    assert "Borås stad" in text
    assert application.case_number in text
    assert "senast 15 januari 2023" in text
    # The applicant's own members read it too; another organisation does not.
    assert client_for(actor_ombud).get(url).status_code == 200


def test_a_rejection_letter_says_so(application, regional_admin, regional_decider):
    proposed(application, regional_admin, outcome=SubGrantOutcome.REJECTED)
    decision = decisions.decide(regional_decider, application)
    text = " ".join(
        pdf_text(
            client_for(regional_decider)
            .get(reverse("regional:decision_letter", args=[decision.pk]))
            .content
        ).split()
    )
    assert "Västra Götalandsregionen avslår er ansökan" in text
    assert "Återrapportering" not in text


def test_an_undecided_proposal_has_no_letter(application, regional_admin, regional_decider):
    decision = decisions.propose(regional_admin, application, SubGrantOutcome.REJECTED, "Nej.")
    url = reverse("regional:decision_letter", args=[decision.pk])
    assert client_for(regional_decider).get(url).status_code == 404


def test_the_granted_applications_are_listed_on_the_round_and_public_pages(
    round_, actor, actor_ombud, region, region_ombud, regional_admin, regional_decider
):
    granted = proposed(submitted(round_, actor, actor_ombud), regional_admin, 120_000)
    unit = proposed(submitted(round_, region, region_ombud, own_unit=True), regional_admin, 80_000)
    rejected = proposed(
        submitted(round_, actor, actor_ombud), regional_admin, outcome=SubGrantOutcome.REJECTED
    )
    waiting = proposed(submitted(round_, actor, actor_ombud), regional_admin, 50_000)
    for application in (granted, unit, rejected):
        decisions.decide(regional_decider, application)
    listed = list(decisions.granted_list(round_))
    assert [d.application for d in listed] == [granted, unit]
    assert waiting not in [d.application for d in listed]
    page = client_for(regional_admin).get(reverse("regional:round", args=[round_.pk]))
    section = page.content.decode().split('id="granted"')[1]
    assert kronor(120_000) in section and kronor(80_000) in section
    assert "Kvinnokliniken Södra Älvsborg" in section
    public = Client().get(reverse("regional:apply_round", args=[round_.pk]))
    assert public.status_code == 200
    assert kronor(120_000) in public.content.decode()
