"""The queue, the public list of grants and the consultee's list run as many
queries for many applications as for one."""

import datetime

from django.test import Client
from django.urls import reverse

from fordela.access.models import OrganisationRole
from fordela.applications.services import assessment, consultation, decisions
from tests.query_budget import query_budget

from .conftest import member, organisation, submitted_for


def decided_and_consulted(world, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        org = organisation(f"Jour {n}", "nonprofit")
        user = member(org, OrganisationRole.OMBUD, f"ombud-jour-{n}")
        application = submitted_for(world, org, user, world.ngo_call, requested=10_000)
        assessment.score_criterion(world.users["handlaggare"], application, "goals", 3, "")
        decisions.propose_decision(world.users["handlaggare"], application, "granted", "Bra")
        decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
        lst = organisation(f"Länsstyrelse {n}", "lansstyrelse")
        lst_user = member(lst, OrganisationRole.OMBUD, f"ombud-lst-{n}")
        stimulus = submitted_for(world, lst, lst_user, world.stimulus_call, requested=10_000)
        request = consultation.send_to_consultation(
            world.users["handlaggare"], stimulus, datetime.date(2021, 12, 1)
        )
        if n % 2:
            consultation.file_opinion(world.users["consultee"], request, "Tillstyrks.", "grant")


def test_lists_do_not_grow_with_the_applications(world):
    decided_and_consulted(world, 1)
    officer, public, consultee = Client(), Client(), Client()
    officer.force_login(world.users["handlaggare"])
    consultee.force_login(world.users["consultee"])
    call = world.ngo_call.pk
    with (
        query_budget(officer, reverse("applications:queue", args=[call])),
        query_budget(
            public,
            reverse("applications:granted", args=[call]),
            reverse("applications:granted_csv", args=[call]),
        ),
        query_budget(consultee, reverse("applications:consultations")),
    ):
        decided_and_consulted(world, 6, start=1)
