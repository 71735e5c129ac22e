"""Many rows at once for the list pages' tests: calls, applications in a
given status with scores and decisions, and consultation requests, written
with ``bulk_create`` (the services make one at a time, and the lists only
read). Every row satisfies the models' constraints."""

import datetime
import itertools

from fordela.applications.models import (
    Application,
    ApplicationStatus,
    Call,
    ConsultationRequest,
    Decision,
    Opinion,
    Outcome,
    QuestionSet,
    QuestionSetStatus,
    Score,
)
from fordela.core import clock
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.programmes.models import Eligibility, PoolKind
from tests.factories import OrganisationFactory, PoolFactory

from .conftest import VALID_BANKGIRO

_case_numbers = itertools.count(5000)
_calls = itertools.count(1)


def calls(count: int, opens_on: datetime.date, closes_on: datetime.date, **fields) -> list[Call]:
    """``count`` published calls, each of its own application pool."""
    made = []
    for _ in range(count):
        number = next(_calls)
        pool = PoolFactory(
            slug=f"ansokan-{number}",
            kind=PoolKind.APPLICATION,
            eligibility=Eligibility.NONPROFITS,
        )
        call = Call.objects.create(
            pool=pool,
            opens_on=opens_on,
            closes_on=closes_on,
            eligible_kinds=[OrganisationKind.NONPROFIT],
            **{"title": f"Utlysning {number}", **fields},
        )
        call.question_set = QuestionSet.objects.create(
            call=call, version=1, status=QuestionSetStatus.PUBLISHED, published_at=clock.now()
        )
        call.save(update_fields=["question_set"])
        made.append(call)
    return made


def applications(
    call: Call, count: int, status: str, created_by, requested_sek: int = 10_000
) -> list[Application]:
    """``count`` applications to ``call`` in ``status``, each from its own
    organisation; sent-in ones have a case number and a complete budget."""
    organisations = Organisation.objects.bulk_create(
        OrganisationFactory.build_batch(
            count, kind=OrganisationKind.NONPROFIT, municipality_code=None, organisation_number=""
        )
    )
    sent_in = status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
    year = call.pool.programme_year.year
    return Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            question_set=call.question_set,
            status=status,
            case_number=f"{year}-20-{next(_case_numbers)}" if sent_in else None,
            project_title="Stöd",
            requested_sek=requested_sek,
            budget_personnel_sek=requested_sek,
            contact_name="Anna Andersson",
            contact_email="anna@example.se",
            bank_giro=VALID_BANKGIRO,
            truth_declared=sent_in,
            created_by=created_by,
            submitted_at=clock.now() if sent_in else None,
            submitted_by=created_by if sent_in else None,
        )
        for organisation in organisations
    )


def scores(applications, assessors, points: int = 3) -> None:
    """Each assessor scores every criterion of every application."""
    Score.objects.bulk_create(
        Score(application=a, criterion=c["key"], assessor=assessor, score=points)
        for a in applications
        for c in a.call.criteria
        for assessor in assessors
    )


def decisions(applications, proposed_by, decided_by=None) -> list[Decision]:
    """A full grant proposed for each application, decided when
    ``decided_by`` is given."""
    return Decision.objects.bulk_create(
        Decision(
            application=a,
            call=a.call,
            outcome=Outcome.GRANTED,
            requested_sek=a.requested_sek,
            amount_sek=a.requested_sek,
            reasons="Bra",
            proposed_by=proposed_by,
            proposed_at=clock.now(),
            decided_by=decided_by,
            decided_at=clock.now() if decided_by else None,
        )
        for a in applications
    )


def consultations(
    applications, sent_by, reply_by: datetime.date, answered_by=None
) -> list[ConsultationRequest]:
    """A request for views of each application, answered when
    ``answered_by`` is given."""
    requests = ConsultationRequest.objects.bulk_create(
        ConsultationRequest(application=a, reply_by=reply_by, sent_by=sent_by, sent_at=clock.now())
        for a in applications
    )
    if answered_by:
        Opinion.objects.bulk_create(
            Opinion(request=r, text="Tillstyrks.", filed_by=answered_by, filed_at=clock.now())
            for r in requests
        )
    return requests
