# ruff: noqa: F811 - the fixtures imported from tests.reports and tests.requisitions
"""A region's own round (issue 20 §1–3): set up by the region's
administrator, its VKV dates stored and checked, its state funding read from
the funding chain (the region's paid requisition plus its redistributed
share for the same year), its own money shown apart, its questions as
versions (a published version never changes), and its one way through
draft → open → closed → finished. Bad input is refused in Swedish and
changes nothing; every change leaves an audit event; the pages ask before
acting and show a refusal as a message.

Most tests use the shared round of conftest (Västra Götalandsregionen in
2022, its state funding written on the row, no paid requisition behind it).
The funding chain uses the paid round of tests/reports: Ale's 2021
requisition with its redistributed share, paid 11 October 2021, with Ale as
the region."""

import datetime
import threading
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from fordela.access.models import RegionalRole, StaffRole
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.audit.services import events_for
from fordela.core import clock
from fordela.core.cleaning import MAX_SEK
from fordela.core.formatting import kronor
from fordela.organisations.models import OrganisationKind
from fordela.programmes.models import ProgrammeYear
from fordela.regional import funding
from fordela.regional.models import (
    ROUND_TRANSITIONS,
    RoundQuestionSet,
    RoundStatus,
    SubGrantApplication,
    SubGrantOutcome,
    SubGrantRound,
    SubGrantStatus,
)
from fordela.regional.services import rounds
from fordela.requisitions.models import RedistributionShare, Requisition
from tests.access.conftest import regional
from tests.query_budget import page_queries, query_budget
from tests.reports.conftest import client_for, paid_round, report_form  # noqa: F401 - fixtures
from tests.requisitions.conftest import clock_at, round_  # noqa: F401 - fixtures

from .after_fixtures import decided_grant
from .conftest import QUESTIONS

pytestmark = pytest.mark.django_db

# The VKV dates of 2022 (issue 20): apply by 15 May, decisions by 30 June,
# the money used in 2022, the report by 15 January 2023.
VKV_2022 = {
    "apply_by": datetime.date(2022, 5, 15),
    "decide_by": datetime.date(2022, 6, 30),
    "use_from": datetime.date(2022, 1, 1),
    "use_to": datetime.date(2022, 12, 31),
    "report_by": datetime.date(2023, 1, 15),
}


@pytest.fixture(autouse=True)
def swedish_and_clock(settings):
    settings.FORDELA_TODAY = "2022-03-01T10:00"
    with translation.override("sv"):
        yield


def data(**changes) -> dict:
    """What the round form hands the services for VKV's 2022 round."""
    return {
        "title": "Statliga utvecklingsmedel 2022",
        "summary": "Utvecklingsmedel för arbetet mot våld i nära relationer.",
        "purposes": "Hälso- och sjukvård inklusive tandvård.",
        "contact": "Chefen för VKV, vkv@vgregion.se",
        **VKV_2022,
        "own_funding_sek": 0,
        **changes,
    }


def as_form(values: dict) -> dict:
    """``values`` as the round form posts them."""
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else str(value)
        for name, value in values.items()
    }


def messages_of(refused) -> str:
    return " ".join(refused.value.messages)


@pytest.fixture
def draft(make_round):
    return make_round(status=RoundStatus.DRAFT, own_funding_sek=25_000)


@pytest.fixture
def other_admin(other_region, make_user):
    return regional(other_region, RegionalRole.ADMINISTRATOR, make_user("varmland"))


def unchanged(round_: SubGrantRound) -> SubGrantRound:
    """The round as stored, after a refusal that must have changed nothing."""
    stored = SubGrantRound.objects.get(pk=round_.pk)
    for name in (*rounds.ROUND_FIELDS, "status", "state_funding_sek", "question_set_id"):
        assert getattr(stored, name) == getattr(round_, name), name
    return stored


# ---------------------------------------------------------- the funding chain


@dataclass
class Chain:
    """Ale as the region, with its paid 2021 state grant."""

    region: object
    admin: object
    year: ProgrammeYear
    requisition: Requisition
    redistributed_sek: int

    @property
    def paid_sek(self) -> int:
        return self.requisition.amount_sek + self.redistributed_sek

    def data(self, **changes) -> dict:
        """A 2021 round that can still open on 12 October 2021."""
        return data(
            **{
                "title": "Statliga medel 2021",
                "apply_by": datetime.date(2021, 11, 15),
                "decide_by": datetime.date(2021, 12, 1),
                "use_from": datetime.date(2021, 1, 1),
                "use_to": datetime.date(2021, 12, 31),
                "report_by": datetime.date(2022, 1, 15),
                **changes,
            }
        )


@pytest.fixture
def chain(paid_round, clock_at, make_user) -> Chain:
    ale = paid_round.ale
    ale.kind = OrganisationKind.REGION
    ale.region_county_code = "12"  # not conftest's Västra Götalandsregionen's 14
    ale.save(update_fields=["kind", "region_county_code"])
    requisition = Requisition.objects.get(organisation=ale, status="paid")
    share = RedistributionShare.objects.get(requisition=requisition).amount_sek
    assert share > 0  # Ale took part in the redistribution: both parts count
    clock_at("2021-10-12T09:00")  # the day after the payment
    return Chain(
        region=ale,
        admin=regional(ale, RegionalRole.ADMINISTRATOR, make_user("ale-admin")),
        year=paid_round.pool.programme_year,
        requisition=requisition,
        redistributed_sek=share,
    )


def test_the_state_grant_is_the_paid_requisition_plus_its_redistributed_share(chain):
    grant = funding.state_grant(chain.region, chain.year)
    assert (grant.requisitioned_sek, grant.redistributed_sek) == (
        chain.requisition.amount_sek,
        chain.redistributed_sek,
    )
    assert grant.requisition_ids == (chain.requisition.pk,)
    assert grant.available_sek == grant.paid_sek == chain.paid_sek


def test_a_round_is_backed_by_the_regions_paid_state_grant_with_its_own_money_apart(chain):
    round_ = rounds.create_round(
        chain.admin, chain.region, chain.year, chain.data(own_funding_sek=50_000)
    )
    assert round_.status == RoundStatus.DRAFT
    assert round_.state_funding_sek == chain.paid_sek
    assert round_.own_funding_sek == 50_000
    assert round_.budget_sek == chain.paid_sek + 50_000
    # The VKV dates are the round's own fields.
    assert (round_.apply_by, round_.report_by) == (
        datetime.date(2021, 11, 15),
        datetime.date(2022, 1, 15),
    )
    event = events_for(round_).get(action=AuditAction.ROUND_CREATED)
    assert event.actor == chain.admin
    assert event.after["state_funding_sek"] == chain.paid_sek
    assert event.after["own_funding_sek"] == 50_000
    assert event.after["requisitions"] == [chain.requisition.pk]
    assert event.after["apply_by"] == "2021-11-15"


def test_the_regions_state_grant_backs_its_rounds_once(chain):
    rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    with pytest.raises(ValidationError) as refused:
        rounds.create_round(chain.admin, chain.region, chain.year, chain.data(title="En till"))
    assert refused.value.messages == [
        f"Utlysningen har inte stöd i ett utbetalt statsbidrag: de {kronor(chain.paid_sek)} som "
        "Ale kommun fick för 2021 är redan bundna i regionens andra utlysningar."
    ]
    assert SubGrantRound.objects.count() == 1


def test_a_grant_paid_for_another_year_backs_no_round(chain):
    year_2022 = ProgrammeYear.objects.create(programme=chain.year.programme, year=2022)
    with pytest.raises(ValidationError) as refused:
        rounds.create_round(chain.admin, chain.region, year_2022, data())
    assert "Ale kommun har ingen utbetald rekvisition för 2022" in messages_of(refused)
    assert not SubGrantRound.objects.exists()


def test_a_round_is_opened_closed_and_finished_on_its_funding(chain, clock_at):
    round_ = rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    rounds.save_question_draft(chain.admin, round_, QUESTIONS)
    rounds.publish_questions(chain.admin, round_)
    opened = rounds.open_round(chain.admin, round_)
    assert opened.status == RoundStatus.OPEN
    clock_at("2021-11-16T08:00")  # the day after the last day to apply
    assert rounds.close_round(chain.admin, round_).status == RoundStatus.CLOSED
    assert rounds.finish_round(chain.admin, round_).status == RoundStatus.FINISHED
    actions = list(events_for(round_).order_by("id").values_list("action", flat=True))
    assert actions == [
        AuditAction.ROUND_CREATED,
        AuditAction.ROUND_CHANGED,  # the draft of the questions
        AuditAction.ROUND_QUESTIONS_PUBLISHED,
        AuditAction.ROUND_OPENED,
        AuditAction.ROUND_CLOSED,
        AuditAction.ROUND_FINISHED,
    ]
    opening = events_for(round_).get(action=AuditAction.ROUND_OPENED)
    assert (opening.before, opening.after) == (
        {"status": "draft"},
        {"status": "open", "state_funding_sek": chain.paid_sek},
    )


def test_a_round_counting_on_more_than_the_ledger_backs_is_not_opened(chain):
    round_ = rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    rounds.save_question_draft(chain.admin, round_, QUESTIONS)
    rounds.publish_questions(chain.admin, round_)
    # Another round of the year holds 100 000 kr of the same state grant.
    SubGrantRound.objects.create(
        region=chain.region,
        programme_year=chain.year,
        status=RoundStatus.FINISHED,
        state_funding_sek=100_000,
        **chain.data(title="Tidigare utlysning"),
    )
    round_.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        rounds.open_round(chain.admin, round_)
    assert refused.value.messages == [
        "Utlysningen har inte stöd i ett utbetalt statsbidrag: den räknar med "
        f"{kronor(chain.paid_sek)}, men huvudboken visar {kronor(chain.paid_sek - 100_000)} "
        "tillgängligt. Läs in finansieringen från huvudboken igen."
    ]
    assert unchanged(round_).status == RoundStatus.DRAFT
    # Read again from the ledger, it counts on what is left, and opens.
    refreshed = rounds.refresh_funding(chain.admin, round_)
    assert refreshed.state_funding_sek == chain.paid_sek - 100_000
    event = events_for(round_).get(action=AuditAction.ROUND_FUNDING_REFRESHED)
    assert event.before == {"state_funding_sek": chain.paid_sek}
    assert event.after["held_by_other_rounds_sek"] == 100_000
    assert rounds.open_round(chain.admin, round_).status == RoundStatus.OPEN


def test_the_funding_is_never_read_below_what_is_decided(chain):
    round_ = rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    # It has decided 200 000 kr of the 200 000 kr it counts on; a later
    # round took all the rest of the grant but 150 000 kr (written on the rows).
    SubGrantRound.objects.filter(pk=round_.pk).update(
        state_funding_sek=200_000, decided_sek=200_000
    )
    SubGrantRound.objects.create(
        region=chain.region,
        programme_year=chain.year,
        status=RoundStatus.OPEN,
        state_funding_sek=chain.paid_sek - 150_000,
        **chain.data(title="Senare utlysning"),
    )
    round_.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        rounds.refresh_funding(chain.admin, round_)
    assert refused.value.messages == [
        f"Huvudboken visar nu {kronor(150_000)} i statsbidrag för utlysningen, men den har "
        f"redan beslutat om {kronor(200_000)}: finansieringen sänks inte under det som är "
        "beslutat."
    ]
    assert unchanged(round_).state_funding_sek == 200_000
    assert not events_for(round_).filter(action=AuditAction.ROUND_FUNDING_REFRESHED).exists()


@pytest.mark.django_db(transaction=True)
def test_two_rounds_set_up_at_once_do_not_both_take_the_grant(chain, make_user):
    second_admin = regional(chain.region, RegionalRole.ADMINISTRATOR, make_user("ale-admin-2"))
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def create(index, user):
        translation.activate("sv")  # threads start without the test's language
        try:
            barrier.wait()
            outcomes[index] = rounds.create_round(
                user, chain.region, chain.year, chain.data(title=f"Omgång {index}")
            )
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=(index, user))
        for index, user in enumerate((chain.admin, second_admin))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    created = [o for o in outcomes if isinstance(o, SubGrantRound)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(created) == 1 and len(refused) == 1, outcomes
    assert "är redan bundna i regionens andra utlysningar" in " ".join(refused[0].messages)
    assert list(SubGrantRound.objects.values_list("state_funding_sek", flat=True)) == [
        chain.paid_sek
    ]


def test_setting_up_a_round_through_the_page(chain, other_region):
    client = client_for(chain.admin)
    url = reverse("regional:round_create")
    page = client.get(url)
    assert page.status_code == 200
    assert "Skapa en utlysning" in page.content.decode()
    form = as_form(chain.data(own_funding_sek="50 000"))
    # Another region's round is not the administrator's to set up.
    html = client.post(
        url, {"region": other_region.pk, "programme_year": chain.year.pk, **form}
    ).content.decode()
    assert "Välj en av era regioner." in html
    # A year without a paid state grant: the refusal above the form.
    year_2022 = ProgrammeYear.objects.create(programme=chain.year.programme, year=2022)
    html = client.post(
        url,
        {"region": chain.region.pk, "programme_year": year_2022.pk, **as_form(data())},
    ).content.decode()
    assert "Ale kommun har ingen utbetald rekvisition för 2022" in html
    assert not SubGrantRound.objects.exists()
    response = client.post(
        reverse("regional:round_create"),
        {"region": chain.region.pk, "programme_year": chain.year.pk, **form},
        follow=True,
    )
    round_ = SubGrantRound.objects.get()
    assert response.redirect_chain[-1][0] == reverse("regional:round", args=[round_.pk])
    assert "Utlysningen har lagts upp som utkast." in response.content.decode()
    assert (round_.state_funding_sek, round_.own_funding_sek) == (chain.paid_sek, 50_000)
    budget = response.content.decode().split('id="round-budget"')[1].split("</dl>")[0]
    assert kronor(chain.paid_sek) in budget and kronor(50_000) in budget
    assert "Regionens egna medel" in budget


# ------------------------------------------------------ who may set up a round


def test_without_a_paid_state_grant_no_round_is_set_up(region, regional_admin, programme):
    year = programme.years.get(year=2022)
    with pytest.raises(ValidationError) as refused:
        rounds.create_round(regional_admin, region, year, data())
    assert refused.value.messages == [
        "Utlysningen har inte stöd i ett utbetalt statsbidrag: Västra Götalandsregionen har "
        "ingen utbetald rekvisition för 2022. Utlysningen kan läggas upp när myndigheten har "
        "betalat ut regionens rekvisition."
    ]
    assert not SubGrantRound.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ROUND_CREATED).exists()


def test_only_the_regions_administrator_sets_up_its_rounds(
    region, regional_decider, other_admin, staff, programme
):
    year = programme.years.get(year=2022)
    for user in (regional_decider, other_admin, staff(StaffRole.HANDLAGGARE)):
        with pytest.raises(PermissionDenied):
            rounds.create_round(user, region, year, data())
    assert not SubGrantRound.objects.exists()


def test_the_round_form_is_only_for_a_regions_administrators(
    regional_admin, regional_decider, staff
):
    url = reverse("regional:round_create")
    assert client_for(regional_admin).get(url).status_code == 200
    for user in (regional_decider, staff(StaffRole.HANDLAGGARE)):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, as_form(data())).status_code == 403
    assert not SubGrantRound.objects.exists()


def test_another_regions_administrator_cannot_touch_the_round(draft, other_admin):
    for change in (
        lambda: rounds.edit_round(other_admin, draft, data()),
        lambda: rounds.refresh_funding(other_admin, draft),
        lambda: rounds.save_question_draft(other_admin, draft, QUESTIONS),
        lambda: rounds.start_question_draft(other_admin, draft),
        lambda: rounds.publish_questions(other_admin, draft),
        lambda: rounds.open_round(other_admin, draft),
        lambda: rounds.close_round(other_admin, draft),
        lambda: rounds.finish_round(other_admin, draft),
    ):
        with pytest.raises(PermissionDenied):
            change()
    unchanged(draft)
    assert not events_for(draft).exists()


def test_another_regions_administrator_gets_403_on_every_round_page(draft, other_admin):
    client = client_for(other_admin)
    for name in ("round", "round_edit", "round_questions"):
        assert client.get(reverse(f"regional:{name}", args=[draft.pk])).status_code == 403
    for name in (
        "round_edit",
        "round_questions",
        "round_questions_new",
        "round_questions_publish",
        "round_refresh_funding",
        "round_open",
        "round_close",
        "round_finish",
    ):
        url = reverse(f"regional:{name}", args=[draft.pk])
        assert client.post(url, {"confirmed": "1"}).status_code == 403, name
    unchanged(draft)
    page = client.get(reverse("regional:rounds")).content.decode()
    assert draft.title not in page


def test_the_agency_reads_every_round_without_buttons(draft, make_round, other_region, staff):
    theirs = make_round(region=other_region, title="Värmlands utvecklingsmedel")
    handlaggare = client_for(staff(StaffRole.HANDLAGGARE))
    listing = handlaggare.get(reverse("regional:rounds")).content.decode()
    assert draft.title in listing and theirs.title in listing
    assert reverse("regional:round_create") not in listing
    page = handlaggare.get(reverse("regional:round", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("round_edit", "round_open", "round_refresh_funding"):
        assert reverse(f"regional:{name}", args=[draft.pk]) not in html
    assert "Se frågorna" in html
    for name in (
        "round_open",
        "round_refresh_funding",
        "round_questions",
        "round_questions_new",
        "round_questions_publish",
    ):
        url = reverse(f"regional:{name}", args=[draft.pk])
        assert handlaggare.post(url, {"confirmed": "1"}).status_code == 403, name
    assert handlaggare.get(reverse("regional:round_edit", args=[draft.pk])).status_code == 403
    assert unchanged(draft).status == RoundStatus.DRAFT


def test_an_applicant_sees_no_staff_round_page(draft, actor_ombud):
    client = client_for(actor_ombud)
    assert client.get(reverse("regional:rounds")).status_code == 403
    assert client.get(reverse("regional:round", args=[draft.pk])).status_code == 403
    assert client.get(reverse("regional:round_create")).status_code == 403


def test_the_decision_maker_reads_the_round_but_does_not_change_it(draft, regional_decider):
    client = client_for(regional_decider)
    html = client.get(reverse("regional:round", args=[draft.pk])).content.decode()
    assert reverse("regional:round_open", args=[draft.pk]) not in html
    response = client.post(reverse("regional:round_open", args=[draft.pk]), {"confirmed": "1"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        rounds.open_round(regional_decider, draft)
    assert unchanged(draft).status == RoundStatus.DRAFT


# ------------------------------------------------------------------ the dates


def test_check_dates_takes_the_vkv_dates():
    rounds.check_dates(2022, VKV_2022)  # no error


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"apply_by": datetime.date(2022, 7, 1)},
            "decide_by",
            "Besluten kan inte komma före sista dag att ansöka.",
        ),
        (
            {"use_to": datetime.date(2022, 6, 1), "decide_by": datetime.date(2022, 6, 30)},
            "decide_by",
            "Besluten måste komma innan perioden då medlen får användas är slut.",
        ),
        (
            {"use_from": datetime.date(2022, 8, 1), "use_to": datetime.date(2022, 7, 31)},
            "use_to",
            "Perioden då medlen får användas kan inte sluta innan den börjar.",
        ),
        (
            {"use_from": datetime.date(2021, 12, 1)},
            "use_from",
            "Medlen används inom bidragsåret: mellan 1 januari 2022 och 31 december 2022.",
        ),
        (
            {"report_by": datetime.date(2022, 12, 31)},
            "report_by",
            "Återrapporten ska lämnas efter att perioden då medlen får användas har slutat.",
        ),
        (
            {"report_by": datetime.date(2099, 1, 15)},
            "report_by",
            "Återrapporten ska lämnas senast 31 december 2023.",
        ),
        (
            {"apply_by": datetime.date(9999, 12, 31), "decide_by": datetime.date(9999, 12, 31)},
            "apply_by",
            "Datumet ska ligga mellan 1 januari 2021 och 31 december 2022 (bidragsåret 2022).",
        ),
        (
            {"apply_by": datetime.date(1900, 1, 1)},
            "apply_by",
            "Datumet ska ligga mellan 1 januari 2021 och 31 december 2022 (bidragsåret 2022).",
        ),
    ],
)
def test_dates_out_of_order_are_refused_beside_their_field_and_change_nothing(
    draft, regional_admin, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        rounds.edit_round(regional_admin, draft, data(**changes))
    assert message in refused.value.message_dict[field]
    unchanged(draft)
    assert not events_for(draft).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "x" * 301}, "title", "Skriv högst 300 tecken."),
        ({"title": "   "}, "title", "Ge utlysningen en rubrik."),
        ({"contact": "x" * 301}, "contact", "Skriv högst 300 tecken."),
        ({"summary": "x" * 4001}, "summary", "Skriv högst 4000 tecken."),
        ({"own_funding_sek": 10**20}, "own_funding_sek", f"Skriv högst {kronor(MAX_SEK)}."),
        ({"own_funding_sek": -1}, "own_funding_sek", "Beloppet kan inte vara negativt."),
        ({"report_by": None}, "report_by", "Ange datumet."),
    ],
)
def test_bad_input_to_the_service_is_a_field_error_and_changes_nothing(
    draft, regional_admin, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        rounds.edit_round(regional_admin, draft, data(**changes))
    assert refused.value.message_dict[field] == [message]
    unchanged(draft)
    assert not events_for(draft).exists()


def test_the_administrator_changes_a_draft_and_the_change_is_audited(draft, regional_admin):
    changed = rounds.edit_round(
        regional_admin,
        draft,
        data(
            title="Utvecklingsmedel 2022",
            own_funding_sek=75_000,
            apply_by=datetime.date(2022, 5, 20),
        ),
    )
    stored = SubGrantRound.objects.get(pk=draft.pk)
    assert (stored.title, stored.own_funding_sek, stored.apply_by) == (
        "Utvecklingsmedel 2022",
        75_000,
        datetime.date(2022, 5, 20),
    )
    assert stored.state_funding_sek == draft.state_funding_sek  # the ledger's, not the form's
    event = events_for(changed).get(action=AuditAction.ROUND_CHANGED)
    assert event.before["own_funding_sek"] == 25_000
    assert event.after["own_funding_sek"] == 75_000
    assert event.after["apply_by"] == "2022-05-20"


def test_two_rounds_of_a_region_and_year_have_different_titles(draft, make_round, regional_admin):
    second = make_round(status=RoundStatus.DRAFT, title="Andra omgången")
    with pytest.raises(ValidationError) as refused:
        rounds.edit_round(regional_admin, second, data(title=draft.title))
    assert refused.value.message_dict["title"] == [
        "Regionen har redan en utlysning med den här rubriken för året."
    ]
    unchanged(second)


def test_only_a_draft_round_is_changed(make_round, regional_admin):
    opened = make_round(status=RoundStatus.OPEN)
    with pytest.raises(ValidationError) as refused:
        rounds.edit_round(regional_admin, opened, data(title="Nytt namn"))
    assert refused.value.messages == ["Bara en utlysning som är utkast kan ändras."]
    unchanged(opened)


# -------------------------------------------------------------- the questions


def test_the_first_questions_are_drafted_then_published(draft, regional_admin):
    SubGrantRound.objects.filter(pk=draft.pk).update(question_set=None)
    RoundQuestionSet.objects.filter(round=draft).delete()
    draft.refresh_from_db()
    saved = rounds.save_question_draft(regional_admin, draft, QUESTIONS[:2])
    assert (saved.version, saved.status, saved.published_at) == (1, "draft", None)
    # Saved again, the same draft changes (no new version).
    again = rounds.save_question_draft(regional_admin, draft, QUESTIONS)
    assert again.pk == saved.pk
    assert [q["key"] for q in again.questions] == ["purpose", "target_group", "cooperation"]
    published = rounds.publish_questions(regional_admin, draft)
    draft.refresh_from_db()
    assert draft.question_set == published
    assert (published.status, published.published_at) == ("published", clock.now())
    event = events_for(draft).get(action=AuditAction.ROUND_QUESTIONS_PUBLISHED)
    assert event.after == {"question_set": published.pk, "version": 1}


def test_a_published_version_never_changes_a_new_version_does(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.OPEN)
    first = round_.question_set
    draft = rounds.start_question_draft(regional_admin, round_)
    assert (draft.version, draft.status) == (2, "draft")
    assert draft.questions == first.questions  # copied from the published version
    # Asking again gives the same open draft.
    assert rounds.start_question_draft(regional_admin, round_).pk == draft.pk
    changed = [*QUESTIONS[:1], {**QUESTIONS[1], "text": "Vilka målgrupper når insatsen?"}]
    rounds.save_question_draft(regional_admin, round_, changed)
    first.refresh_from_db()
    assert first.questions == QUESTIONS and first.status == "published"
    round_.refresh_from_db()
    assert round_.question_set == first  # still the published version until v2 is published
    second = rounds.publish_questions(regional_admin, round_)
    round_.refresh_from_db()
    assert round_.question_set == second and second.version == 2
    assert [q["text"] for q in second.questions][1] == "Vilka målgrupper når insatsen?"
    first.refresh_from_db()
    assert first.questions == QUESTIONS and first.status == "published"
    # With no draft open, saving makes version 3; version 2 stays as published.
    third = rounds.save_question_draft(regional_admin, round_, QUESTIONS[:1])
    assert third.version == 3
    second.refresh_from_db()
    assert len(second.questions) == 2


def test_there_is_nothing_to_publish_without_a_draft(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        rounds.publish_questions(regional_admin, round_)
    assert refused.value.messages == ["Det finns inget utkast av frågorna att publicera."]
    assert not events_for(round_).exists()


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([], "Lägg till minst en fråga."),
        ([{**QUESTIONS[0]}] * 31, "En utlysning har högst 30 frågor."),
        (
            [{**QUESTIONS[0], "key": "Syfte med å"}],
            "Fråga 1: nyckeln är högst 40 tecken av bokstäverna a–z, siffror och _.",
        ),
        (
            [QUESTIONS[0], {**QUESTIONS[1], "key": "purpose"}],
            "Fråga 2: nyckeln purpose används redan.",
        ),
        ([{**QUESTIONS[0], "text": "  "}], "Fråga 1: skriv frågan."),
        (
            [{**QUESTIONS[0], "max_length": 10**9}],
            "Fråga 1: det längsta svaret är 1 till 10000 tecken.",
        ),
    ],
)
def test_bad_questions_are_refused_and_change_nothing(
    make_round, regional_admin, questions, message
):
    round_ = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        rounds.save_question_draft(regional_admin, round_, questions)
    assert refused.value.messages == [message]
    assert list(round_.question_sets.values_list("version", flat=True)) == [1]
    assert not events_for(round_).exists()


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.FINISHED])
def test_the_questions_of_a_closed_round_are_not_changed(make_round, regional_admin, status):
    round_ = make_round(status=status)
    for change in (
        lambda: rounds.start_question_draft(regional_admin, round_),
        lambda: rounds.save_question_draft(regional_admin, round_, QUESTIONS),
        lambda: rounds.publish_questions(regional_admin, round_),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.messages == ["Frågorna i en stängd utlysning ändras inte."]
    assert round_.question_sets.count() == 1


# ------------------------------------------------------------ the transitions


SERVICES = {
    RoundStatus.OPEN: rounds.open_round,
    RoundStatus.CLOSED: rounds.close_round,
    RoundStatus.FINISHED: rounds.finish_round,
}
REFUSED_MOVES = [
    (status, target)
    for status in RoundStatus.values
    for target in SERVICES
    if target not in ROUND_TRANSITIONS[status]
]


@pytest.mark.parametrize(("status", "target"), REFUSED_MOVES)
def test_a_move_the_transition_table_does_not_allow_is_refused(
    make_round, regional_admin, status, target
):
    round_ = make_round(status=status)
    with pytest.raises(ValidationError) as refused:
        SERVICES[target](regional_admin, round_)
    label = RoundStatus(status).label.lower()
    assert refused.value.messages == [f"En utlysning med status {label} kan inte ändras så."]
    assert unchanged(round_).status == status
    assert not events_for(round_).exists()


def test_every_transition_of_the_table_has_its_service():
    allowed = {
        (status, target) for status, targets in ROUND_TRANSITIONS.items() for target in targets
    }
    assert allowed == {
        (RoundStatus.DRAFT, RoundStatus.OPEN),
        (RoundStatus.OPEN, RoundStatus.CLOSED),
        (RoundStatus.CLOSED, RoundStatus.FINISHED),
    }
    assert set(SERVICES) == {target for _, target in allowed}


def test_a_round_without_a_paid_state_grant_cannot_be_opened(draft, regional_admin):
    # Its state funding is written on the row; the ledger has no paid
    # requisition of Västra Götalandsregionen for 2022 behind it.
    with pytest.raises(ValidationError) as refused:
        rounds.open_round(regional_admin, draft)
    assert refused.value.messages == [
        "Utlysningen har inte stöd i ett utbetalt statsbidrag: Västra Götalandsregionen har "
        "ingen utbetald rekvisition för 2022. Utlysningen kan läggas upp när myndigheten har "
        "betalat ut regionens rekvisition."
    ]
    assert unchanged(draft).status == RoundStatus.DRAFT
    assert not events_for(draft).filter(action=AuditAction.ROUND_OPENED).exists()


def test_a_round_without_published_questions_cannot_be_opened(draft, regional_admin):
    SubGrantRound.objects.filter(pk=draft.pk).update(question_set=None)
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        rounds.open_round(regional_admin, draft)
    assert refused.value.messages == ["Publicera utlysningens frågor innan du öppnar den."]
    assert unchanged(draft).status == RoundStatus.DRAFT


def test_a_round_is_not_opened_after_its_last_day_to_apply(chain, clock_at):
    round_ = rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    rounds.save_question_draft(chain.admin, round_, QUESTIONS)
    rounds.publish_questions(chain.admin, round_)
    clock_at("2021-11-16T08:00")
    round_.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        rounds.open_round(chain.admin, round_)
    assert refused.value.messages == [
        "Sista dag att ansöka, 15 november 2021, har passerat: ändra den innan du öppnar "
        "utlysningen."
    ]
    assert unchanged(round_).status == RoundStatus.DRAFT


def test_an_open_round_closes_only_after_its_last_day_to_apply(
    make_round, regional_admin, settings
):
    round_ = make_round(status=RoundStatus.OPEN)
    settings.FORDELA_TODAY = "2022-05-15T23:00"  # still the last day
    with pytest.raises(ValidationError) as refused:
        rounds.close_round(regional_admin, round_)
    assert refused.value.messages == [
        "Utlysningen kan stängas efter sista dag att ansöka, 15 maj 2022."
    ]
    assert unchanged(round_).status == RoundStatus.OPEN
    settings.FORDELA_TODAY = "2022-05-16T08:00"
    assert rounds.close_round(regional_admin, round_).status == RoundStatus.CLOSED
    event = events_for(round_).get(action=AuditAction.ROUND_CLOSED)
    assert (event.actor, event.before, event.after) == (
        regional_admin,
        {"status": "open"},
        {"status": "closed"},
    )


def test_the_due_rounds_are_closed_by_the_schedule(make_round, other_region, settings):
    due = make_round(status=RoundStatus.OPEN)
    later = make_round(status=RoundStatus.OPEN, title="Senare", apply_by=datetime.date(2022, 6, 1))
    theirs = make_round(region=other_region, status=RoundStatus.OPEN)
    settings.FORDELA_TODAY = "2022-05-16T01:00"
    assert rounds.close_due_rounds() == 2
    statuses = dict(SubGrantRound.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: RoundStatus.CLOSED,
        later.pk: RoundStatus.OPEN,
        theirs.pk: RoundStatus.CLOSED,
    }
    event = events_for(due).get(action=AuditAction.ROUND_CLOSED)
    assert (event.actor, event.actor_label) == (None, "close_due_rounds")
    assert rounds.close_due_rounds() == 0


def test_a_round_is_finished_only_when_every_application_is_decided(
    make_round, actor, regional_admin, regional_decider, settings
):
    settings.FORDELA_TODAY = "2022-07-01T10:00"
    round_ = make_round(status=RoundStatus.CLOSED)
    decided_grant(round_, actor, proposer=regional_admin, decider=regional_decider)
    waiting = decided_grant(
        round_, actor, proposer=regional_admin, decider=regional_decider, decided=False
    )
    with pytest.raises(ValidationError) as refused:
        rounds.finish_round(regional_admin, round_)
    assert refused.value.messages == ["1 ansökan i utlysningen väntar fortfarande på beslut."]
    assert unchanged(round_).status == RoundStatus.CLOSED
    # Once that one is decided too, the round is finished.
    waiting.application.status = SubGrantStatus.DECIDED
    waiting.application.save(update_fields=["status"])
    finished = rounds.finish_round(regional_admin, round_)
    assert finished.status == RoundStatus.FINISHED
    event = events_for(round_).get(action=AuditAction.ROUND_FINISHED)
    assert event.after == {"status": "finished", "decided_sek": 100_000}


def test_a_finished_rounds_funding_is_not_read_again(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.FINISHED)
    with pytest.raises(ValidationError) as refused:
        rounds.refresh_funding(regional_admin, round_)
    assert refused.value.messages == ["En avslutad utlysnings finansiering ändras inte."]
    unchanged(round_)


# ----------------------------------------------------------------- the pages


def test_the_round_list_shows_the_regions_rounds_in_swedish(
    draft, make_round, other_region, regional_admin
):
    make_round(region=other_region, title="Värmlands utvecklingsmedel")
    response = client_for(regional_admin).get(reverse("regional:rounds"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Regionala utlysningar" in html
    assert draft.title in html and "Värmlands utvecklingsmedel" not in html
    assert reverse("regional:round_create") in html
    # The budget is the state grant and the region's own money together.
    assert kronor(draft.state_funding_sek + 25_000) in html
    assert "Utkast" in html


def test_the_round_list_counts_what_waits_for_the_region(
    make_round, actor, regional_admin, regional_decider
):
    round_ = make_round(status=RoundStatus.CLOSED)
    add_applications(round_, actor, regional_admin, regional_decider)
    html = client_for(regional_admin).get(reverse("regional:rounds")).content.decode()
    row = html.split('id="rounds"')[1].split(round_.title)[1].split("</tr>")[0]
    cells = [
        cell.split("</td>")[0].strip() for cell in row.split('govuk-table__cell--numeric"')[1:]
    ]
    # To assess, to decide, the budget, granted.
    assert [cell.split(">", 1)[1] for cell in cells] == [
        "1",
        "1",
        kronor(1_000_000),
        kronor(10_000),
    ]


def test_the_round_page_shows_dates_budget_and_actions_in_swedish(draft, regional_admin):
    response = client_for(regional_admin).get(reverse("regional:round", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    dates = html.split('id="round-dates"')[1].split("</dl>")[0]
    for text in ("Sista dag att ansöka", "15 maj 2022", "30 juni 2022", "15 januari 2023"):
        assert text in dates
    assert "1 januari 2022 – 31 december 2022" in dates
    budget = html.split('id="round-budget"')[1].split("</dl>")[0]
    assert kronor(1_000_000) in budget
    assert "Regionens egna medel" in budget and kronor(25_000) in budget
    remaining = html.split('id="remaining"')[1].split("</dd>")[0]
    assert kronor(1_025_000) in remaining
    for name in ("round_edit", "round_open", "round_refresh_funding", "round_questions"):
        assert reverse(f"regional:{name}", args=[draft.pk]) in html
    assert "Ändra utlysningen" in html


def test_opening_through_the_page_asks_first_and_shows_the_refusal(draft, regional_admin):
    client = client_for(regional_admin)
    url = reverse("regional:round_open", args=[draft.pk])
    confirm = client.post(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Öppna utlysningen för ansökningar?" in html
    assert kronor(1_000_000) in html and kronor(25_000) in html
    assert unchanged(draft).status == RoundStatus.DRAFT
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("regional:round", args=[draft.pk])
    assert (
        "Utlysningen har inte stöd i ett utbetalt statsbidrag: Västra Götalandsregionen har "
        "ingen utbetald rekvisition för 2022." in response.content.decode()
    )
    assert unchanged(draft).status == RoundStatus.DRAFT


def test_opening_closing_and_finishing_through_the_pages(chain, clock_at):
    round_ = rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    rounds.save_question_draft(chain.admin, round_, QUESTIONS)
    rounds.publish_questions(chain.admin, round_)
    client = client_for(chain.admin)
    steps = [
        ("round_open", "Ja, öppna utlysningen", "Utlysningen är öppen för ansökningar."),
        ("round_close", "Ja, stäng utlysningen", "Utlysningen är stängd för ansökningar."),
        ("round_finish", "Ja, utlysningen är beslutad", "Utlysningen är beslutad."),
    ]
    for name, button, done in steps:
        if name == "round_close":
            clock_at("2021-11-16T08:00")
        url = reverse(f"regional:{name}", args=[round_.pk])
        assert button in client.post(url).content.decode()
        response = client.post(url, {"confirmed": "1"}, follow=True)
        assert done in response.content.decode(), name
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINISHED


def test_a_transition_refused_on_the_page_is_a_message(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.OPEN)
    url = reverse("regional:round_close", args=[round_.pk])
    response = client_for(regional_admin).post(url, {"confirmed": "1"}, follow=True)
    assert "Utlysningen kan stängas efter sista dag att ansöka, 15 maj 2022." in (
        response.content.decode()
    )
    assert unchanged(round_).status == RoundStatus.OPEN


def test_editing_through_the_page(draft, regional_admin):
    client = client_for(regional_admin)
    url = reverse("regional:round_edit", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Ändra utlysningen" in page.content.decode()
    response = client.post(url, as_form(data(own_funding_sek="75 000")), follow=True)
    assert "Utlysningen har sparats." in response.content.decode()
    assert SubGrantRound.objects.get(pk=draft.pk).own_funding_sek == 75_000


def test_bad_input_on_the_page_is_shown_in_swedish_and_changes_nothing(draft, regional_admin):
    client = client_for(regional_admin)
    url = reverse("regional:round_edit", args=[draft.pk])
    form = as_form(
        data(
            title="x" * 301,
            own_funding_sek="99 999 999 999 999",
            report_by=datetime.date(9999, 12, 31),
        )
    )
    html = client.post(url, form).content.decode()
    title_error = html.split('id="id_title_error"')[1].split("</p>")[0]
    assert "som mest 300 tecken (den har 301)" in title_error
    money_error = html.split('id="id_own_funding_sek_error"')[1].split("</p>")[0]
    assert f"Skriv högst {kronor(MAX_SEK)}." in money_error
    unchanged(draft)
    # With the title and money right, the far-future report date is the service's to refuse.
    form.update(title="Utvecklingsmedel", own_funding_sek="0")
    html = client.post(url, form).content.decode()
    assert "Återrapporten ska lämnas senast 31 december 2023." in html
    unchanged(draft)
    assert not events_for(draft).exists()


def test_a_round_that_is_not_a_draft_is_not_edited_on_the_page(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.OPEN)
    response = client_for(regional_admin).get(
        reverse("regional:round_edit", args=[round_.pk]), follow=True
    )
    assert "Bara en utlysning som är utkast kan ändras." in response.content.decode()


def test_the_questions_through_the_pages(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.OPEN)
    client = client_for(regional_admin)
    url = reverse("regional:round_questions", args=[round_.pk])
    page = client.get(url).content.decode()
    assert "Utlysningens frågor" in page
    assert QUESTIONS[0]["text"] in page.split('id="published-questions"')[1]
    assert "Gör en ny version för att ändra frågorna" in page
    # A new version, then its draft saved through the form.
    response = client.post(reverse("regional:round_questions_new", args=[round_.pk]))
    assert response.status_code == 302 and response["Location"] == url
    form = {
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-0-key": "purpose",
        "q-0-text": "Vad vill ni uppnå?",
        "q-0-max_length": "1500",
        "q-0-required": "on",
        "q-1-key": "",
        "q-1-text": "",
        "q-1-max_length": "",
    }
    saved = client.post(url, form, follow=True)
    assert "Utkastet till frågorna har sparats." in saved.content.decode()
    draft = rounds.current_draft(round_)
    assert draft.version == 2
    assert draft.questions == [
        {
            "key": "purpose",
            "text": "Vad vill ni uppnå?",
            "help": "",
            "max_length": 1500,
            "required": True,
        }
    ]
    # Publishing asks first.
    publish = reverse("regional:round_questions_publish", args=[round_.pk])
    assert "Publicera frågorna?" in client.post(publish).content.decode()
    assert rounds.current_draft(round_) == draft
    done = client.post(publish, {"confirmed": "1"}, follow=True)
    assert "Frågorna har publicerats." in done.content.decode()
    round_.refresh_from_db()
    assert round_.question_set == draft


def test_a_refused_question_draft_is_shown_above_the_form(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.DRAFT)
    RoundQuestionSet.objects.filter(round=round_).update(status="draft", published_at=None)
    SubGrantRound.objects.filter(pk=round_.pk).update(question_set=None)
    form = {
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-0-key": "purpose",
        "q-0-text": "Vad?",
        "q-0-max_length": "100",
        "q-1-key": "purpose",
        "q-1-text": "Och vad mer?",
        "q-1-max_length": "100",
    }
    url = reverse("regional:round_questions", args=[round_.pk])
    html = client_for(regional_admin).post(url, form).content.decode()
    assert "Fråga 2: nyckeln purpose används redan." in html
    assert RoundQuestionSet.objects.get(round=round_).questions == QUESTIONS


def test_more_questions_than_a_round_has_are_refused_on_the_page(make_round, regional_admin):
    round_ = make_round(status=RoundStatus.OPEN)
    client = client_for(regional_admin)
    client.post(reverse("regional:round_questions_new", args=[round_.pk]))
    form = {"q-TOTAL_FORMS": "31", "q-INITIAL_FORMS": "0"}
    for number in range(31):
        form |= {
            f"q-{number}-key": f"q{number}",
            f"q-{number}-text": "Fråga?",
            f"q-{number}-max_length": "100",
        }
    url = reverse("regional:round_questions", args=[round_.pk])
    html = client.post(url, form).content.decode()
    summary = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "Skicka som mest 30 formulär." in summary
    assert rounds.current_draft(round_).questions == QUESTIONS  # as copied, unchanged


def test_reading_the_funding_again_through_the_page(chain):
    round_ = rounds.create_round(chain.admin, chain.region, chain.year, chain.data())
    SubGrantRound.objects.filter(pk=round_.pk).update(state_funding_sek=1)
    url = reverse("regional:round_refresh_funding", args=[round_.pk])
    response = client_for(chain.admin).post(url, follow=True)
    assert "Statsbidraget har lästs in från huvudboken." in response.content.decode()
    assert SubGrantRound.objects.get(pk=round_.pk).state_funding_sek == chain.paid_sek


# ------------------------------------------------------------- query budgets

# Ceilings, not exact counts: what the pages may run at most, however many
# rounds and applications they show.
ROUND_LIST_QUERY_CEILING = 8
ROUND_PAGE_QUERY_CEILING = 12


def add_applications(round_, organisation, admin, decider) -> None:
    """Applications in each listed state: granted, rejected, proposed, sent in."""
    decided_grant(round_, organisation, proposer=admin, decider=decider, amount_sek=10_000)
    decided_grant(
        round_, organisation, proposer=admin, decider=decider, outcome=SubGrantOutcome.REJECTED
    )
    decided_grant(round_, organisation, proposer=admin, decider=decider, decided=False)
    sent_in = decided_grant(round_, organisation, proposer=admin, decider=decider, decided=False)
    SubGrantApplication.objects.filter(pk=sent_in.application_id).update(
        status=SubGrantStatus.SUBMITTED
    )
    sent_in.delete()


def test_the_round_list_does_not_grow_with_rounds(
    make_round, actor, regional_admin, regional_decider, staff
):
    first = make_round(status=RoundStatus.CLOSED)
    add_applications(first, actor, regional_admin, regional_decider)
    users = [regional_admin, staff(StaffRole.HANDLAGGARE)]
    clients = [client_for(user) for user in users]
    url = reverse("regional:rounds")
    for client in clients:
        assert len(page_queries(client, url)) <= ROUND_LIST_QUERY_CEILING
    with query_budget(clients[0], url), query_budget(clients[1], url):
        for number in range(5):
            round_ = make_round(status=RoundStatus.CLOSED, title=f"Omgång {number}")
            add_applications(round_, actor, regional_admin, regional_decider)
    assert SubGrantRound.objects.count() == 6


def test_the_round_page_does_not_grow_with_applications(
    make_round, actor, region, regional_admin, regional_decider
):
    round_ = make_round(status=RoundStatus.CLOSED, state_funding_sek=10_000_000)
    add_applications(round_, actor, regional_admin, regional_decider)
    client = client_for(regional_admin)
    url = reverse("regional:round", args=[round_.pk])
    assert len(page_queries(client, url)) <= ROUND_PAGE_QUERY_CEILING
    with query_budget(client, url):
        for _ in range(5):
            add_applications(round_, actor, regional_admin, regional_decider)
            decided_grant(
                round_, region, proposer=regional_admin, decider=regional_decider, own_unit=True
            )
    assert round_.applications.count() == 1 * 4 + 5 * 5
