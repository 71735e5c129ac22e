"""The list pages run as many queries for many rows as for one: the queue,
the public list of grants, the consultee's list, and the public and staff
lists of calls, with one page of rows and with several."""

import datetime

from django.test import Client
from django.urls import reverse

from fordela.access.models import OrganisationRole
from fordela.applications.models import ApplicationStatus
from fordela.applications.services import assessment, consultation, decisions
from tests.query_budget import query_budget

from . import many
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


def rows_of_every_list(world, count: int) -> None:
    """``count`` rows more in each list: proposed (scored) and decided
    applications in the NGO call, stimulus applications sent for views
    (half of them answered) and calls that have granted something."""
    officer, decider = world.users["handlaggare"], world.users["beslutsfattare"]
    proposed = many.applications(world.ngo_call, count, ApplicationStatus.PROPOSED, officer)
    many.scores(proposed, [officer, world.users["handlaggare2"]])
    many.decisions(proposed, officer)
    decided = many.applications(world.ngo_call, count, ApplicationStatus.DECIDED, officer)
    many.scores(decided, [officer])
    many.decisions(decided, officer, decider)
    sent = many.applications(world.stimulus_call, 2 * count, ApplicationStatus.SUBMITTED, officer)
    many.consultations(sent[:count], officer, datetime.date(2021, 12, 1))
    many.consultations(
        sent[count:], officer, datetime.date(2021, 11, 1), answered_by=world.users["consultee"]
    )
    for call in many.calls(count, datetime.date(2021, 10, 1), datetime.date(2021, 12, 31)):
        granted = many.applications(call, 1, ApplicationStatus.DECIDED, officer)
        many.decisions(granted, officer, decider)


def test_lists_do_not_grow_from_one_page_to_several(world):
    rows_of_every_list(world, 2)
    officer, public, consultee = Client(), Client(), Client()
    officer.force_login(world.users["handlaggare"])
    consultee.force_login(world.users["consultee"])
    queue = reverse("applications:queue", args=[world.ngo_call.pk])
    staff_calls = reverse("applications:staff_calls")
    consultations = reverse("applications:consultations")
    with (
        query_budget(
            officer,
            queue,
            queue + "?status=proposed",
            queue + "?status=decided&sida=2",
            staff_calls,
            staff_calls + "?sida=2",
        ),
        query_budget(
            public, reverse("applications:calls"), reverse("applications:calls") + "?sida=2"
        ),
        query_budget(consultee, consultations, consultations + "?sida=2"),
    ):
        rows_of_every_list(world, 60)
