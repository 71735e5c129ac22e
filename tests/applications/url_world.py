"""Objects for the URL × role table (tests/access/url_access_table.py):
three calls the access ``world``'s organisation may apply to (a draft, a
decided stimulus application sent for consultation, one not started),
built lazily and cached in ``world.extras``."""

import datetime

from django.contrib.auth import get_user_model

from fordela.access.models import StaffAssignment, StaffRole
from fordela.applications import calls
from fordela.applications.letters import store_letter
from fordela.applications.models import BulkDecisionRun, QuestionKind
from fordela.applications.services import applying, consultation, decisions
from fordela.core import clock
from fordela.programmes.models import Eligibility, Pool, PoolKind

FILLED = {
    "project_title": "Projekt",
    "requested_sek": 100_000,
    "budget_personnel_sek": 100_000,
    "contact_name": "Anna",
    "contact_email": "anna@example.se",
    "bank_giro": "50501055",
    "truth_declared": True,
    "answers": {"purpose": "Syfte"},
}


def _call(world, slug: str):
    kwargs = world.extras["key_kwargs"]
    pool = Pool.objects.get(
        programme_year__programme__slug=kwargs["programme"],
        programme_year__year=kwargs["year"],
        slug=kwargs["pool"],
    )
    today = clock.today()
    application_pool = Pool.objects.create(
        programme_year=pool.programme_year,
        slug=slug,
        name=f"Sökbara medel {slug}",
        kind=PoolKind.APPLICATION,
        eligibility=Eligibility.MUNICIPALITIES,
        amount_sek=1_000_000,
    )
    call = calls.create_call(
        "tests",
        application_pool,
        title=f"Utlysning {slug}",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        eligible_kinds=[world.organisation.kind],
        attachment_checklist=[{"key": "plan", "label": "Plan"}],
        criteria=[{"key": "quality", "label": "Kvalitet", "help": ""}],
        needs_consultation=True,
    )
    question_set = calls.draft_set(call)
    calls.add_question("tests", question_set, key="purpose", text="Syfte?", kind=QuestionKind.TEXT)
    calls.publish_question_set("tests", question_set)
    call.refresh_from_db()
    return call


def _objects(world) -> dict:
    if "applications" in world.extras:
        return world.extras["applications"]
    from tests.applications.conftest import pdf_bytes

    ombud = world.users["ombud"]
    draft_call, decided_call, fresh_call = (_call(world, s) for s in ("sok-a", "sok-b", "sok-c"))
    draft = applying.start_application(ombud, world.organisation, draft_call)
    draft_attachment = applying.attach_file(ombud, draft, "plan", "plan.pdf", pdf_bytes())
    decided = applying.start_application(ombud, world.organisation, decided_call)
    attachment = applying.attach_file(ombud, decided, "plan", "plan.pdf", pdf_bytes())
    decided = applying.submit_application(ombud, decided, FILLED)
    handlaggare = world.users["handlaggare"]
    request = consultation.send_to_consultation(
        handlaggare, decided, clock.today() + datetime.timedelta(days=7)
    )
    consultation.file_opinion(world.users["consultee"], request, "Tillstyrks.", "grant")
    decisions.propose_decision(handlaggare, decided, "granted", "Bra")
    decider = get_user_model().objects.create_user("beslutsfattare-url", password="pw")
    StaffAssignment.objects.create(user=decider, role=StaffRole.BESLUTSFATTARE)
    store_letter(decisions.decide(decider, decided, send_letter=False))
    run = BulkDecisionRun.objects.create(
        call=decided_call, started_by=decider, started_at=clock.now(), total=1, done=1
    )
    world.extras["applications"] = {
        "draft": draft,
        "draft_attachment": draft_attachment,
        "decided": decided,
        "attachment": attachment,
        "fresh_call": fresh_call,
        "request": request,
        "run": run,
    }
    return world.extras["applications"]


def call_kwargs(world) -> dict:
    return {"pk": _objects(world)["decided"].call_id}


def start_kwargs(world) -> dict:
    return {"organisation_id": world.organisation.pk, "call_id": _objects(world)["fresh_call"].pk}


def draft_kwargs(world) -> dict:
    return {"pk": _objects(world)["draft"].pk}


def draft_attachment_kwargs(world) -> dict:
    objects = _objects(world)
    return {"pk": objects["draft"].pk, "attachment_id": objects["draft_attachment"].pk}


def decided_kwargs(world) -> dict:
    return {"pk": _objects(world)["decided"].pk}


def attachment_kwargs(world) -> dict:
    objects = _objects(world)
    return {"pk": objects["decided"].pk, "attachment_id": objects["attachment"].pk}


def queue_kwargs(world) -> dict:
    return {"call_id": _objects(world)["decided"].call_id}


def run_kwargs(world) -> dict:
    return {"run_id": _objects(world)["run"].pk}


def request_kwargs(world) -> dict:
    return {"pk": _objects(world)["request"].pk}
