"""A decided stimulus-fund grant to an organiser, for the events tied to it."""

import datetime

from django.contrib.auth import get_user_model

from fordela.applications.models import Application, ApplicationStatus
from fordela.core import clock
from tests.applications.many import calls, decisions


def granted_decision(organisation):
    User = get_user_model()
    proposer = User.objects.create_user("grant-proposer", password="pw")
    decider = User.objects.create_user("grant-decider", password="pw")
    call = calls(1, datetime.date(2021, 1, 1), datetime.date(2021, 3, 1))[0]
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        question_set=call.question_set,
        status=ApplicationStatus.SUBMITTED,
        case_number="2021-20-9001",
        project_title="Utbildningsinsatser",
        requested_sek=200_000,
        budget_personnel_sek=200_000,
        contact_name="Anna Andersson",
        contact_email="anna@example.se",
        truth_declared=True,
        created_by=proposer,
        submitted_at=clock.now(),
        submitted_by=proposer,
    )
    return decisions([application], proposer, decider)[0]
