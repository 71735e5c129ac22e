"""Benchmark: decide 300 applications and produce their decision letters
(PDF), inside a transaction that is rolled back afterwards."""

import datetime
import time

from django.contrib.auth import get_user_model
from django.db import transaction

from fordela.access.models import StaffAssignment, StaffRole
from fordela.applications import calls
from fordela.applications.letters import letter_htmls
from fordela.applications.models import (
    Application,
    ApplicationStatus,
    Decision,
    Outcome,
    QuestionKind,
)
from fordela.applications.pdf import html_to_pdf
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.programmes.models import Eligibility, Pool, PoolKind, Programme, ProgrammeYear

CONDITIONS = (
    "Medlen ska användas under 2022 till att utveckla verksamhet som förbättrar det direkta "
    "stödet till den enskilda individen. Medel som inte används ska betalas tillbaka. Ni ska "
    "redovisa hur medlen har använts senast den 31 mars 2023."
)


class Rollback(Exception):
    pass


def _world(count: int):
    programme = Programme.objects.create(
        reference_number="BENCH/0001",
        slug="bench-0001",
        title="Benchmark",
        decision_date=datetime.date(2021, 1, 1),
        first_year=2022,
        last_year=2022,
    )
    year = ProgrammeYear.objects.create(programme=programme, year=2022)
    pool = Pool.objects.create(
        programme_year=year,
        slug="ideella",
        name="Ideella föreningar",
        kind=PoolKind.APPLICATION,
        eligibility=Eligibility.NONPROFITS,
        amount_sek=count * 100_000,
        report_due=datetime.date(2023, 3, 31),
    )
    call = calls.create_call(
        "bench",
        pool,
        title="Utvecklingsmedel 2022 för ideella föreningar",
        opens_on=datetime.date(2021, 10, 18),
        closes_on=datetime.date(2021, 12, 21),
        eligible_kinds=[OrganisationKind.NONPROFIT],
        conditions=CONDITIONS,
    )
    question_set = calls.draft_set(call)
    calls.add_question("bench", question_set, key="purpose", text="Syfte", kind=QuestionKind.TEXT)
    calls.publish_question_set("bench", question_set)
    users = get_user_model().objects
    proposer = users.create_user("bench-handlaggare", first_name="Hanna", last_name="H")
    decider = users.create_user("bench-beslutsfattare", first_name="Björn", last_name="B")
    StaffAssignment.objects.create(user=proposer, role=StaffRole.HANDLAGGARE)
    StaffAssignment.objects.create(user=decider, role=StaffRole.BESLUTSFATTARE)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Förening {n}",
            kind=OrganisationKind.NONPROFIT,
            reference_key=f"bench-{n}",
            bank_giro="50501055",
        )
        for n in range(count)
    )
    now = datetime.datetime(2021, 12, 1, 10, tzinfo=datetime.UTC)
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            question_set=question_set,
            status=ApplicationStatus.PROPOSED,
            case_number=f"2021-99-{n:04d}",
            project_title="Stöd till våldsutsatta",
            requested_sek=100_000,
            budget_personnel_sek=100_000,
            contact_name="Anna",
            contact_email="anna@example.se",
            bank_giro="50501055",
            truth_declared=True,
            created_by=proposer,
            submitted_at=now,
            submitted_by=proposer,
        )
        for n, organisation in enumerate(organisations)
    )
    Decision.objects.bulk_create(
        Decision(
            application=application,
            call=call,
            outcome=Outcome.PARTIAL,
            requested_sek=100_000,
            amount_sek=75_000,
            reasons="Ansökan bedöms delvis uppfylla kriterierna.",
            proposed_by=proposer,
            proposed_at=now,
        )
        for application in applications
    )
    return call, decider, applications


def run(count: int = 300) -> dict:
    """Seconds to decide ``count`` applications and render their letters the
    way the bulk task does (decide each, then the letters in chunks)."""
    from fordela.applications.services.decisions import decide
    from fordela.applications.tasks import LETTER_CHUNK, LETTER_RELATED

    result = {}
    try:
        with transaction.atomic():
            _call, decider, applications = _world(count)
            started = time.perf_counter()
            decided = [decide(decider, a, send_letter=False).pk for a in applications]
            decided_at = time.perf_counter()
            total_bytes = 0
            for start in range(0, count, LETTER_CHUNK):
                chunk = list(
                    Decision.objects.filter(pk__in=decided[start : start + LETTER_CHUNK])
                    .select_related(*LETTER_RELATED)
                    .order_by("application__case_number")
                )
                total_bytes += sum(len(html_to_pdf(html)) for html in letter_htmls(chunk))
            finished = time.perf_counter()
            result = {
                "letters": count,
                "seconds": finished - started,
                "deciding_seconds": decided_at - started,
                "bytes": total_bytes,
            }
            raise Rollback
    except Rollback:
        pass
    return result
