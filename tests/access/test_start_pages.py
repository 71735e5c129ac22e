"""Each role's start page (My pages, where login lands) lists what waits
for that person, with counts and links (issue 16, section 2)."""

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from fordela.access.models import (
    ApplicationStatus as OmbudApplicationStatus,
)
from fordela.access.models import (
    Membership,
    OmbudApplication,
    OrganisationRole,
    RoleBasis,
    StaffAssignment,
    StaffRole,
)
from fordela.applications.services import consultation, decisions
from fordela.applications.tasks import consultation_notice_text
from fordela.payments.models import Payable, PayableSource, PaymentBatch
from tests.access.conftest import other_organisation
from tests.applications import conftest as applications
from tests.applications.conftest import submitted_for, submitted_ngo_application
from tests.factories import PoolFactory
from tests.query_budget import query_budget

# The applications tests' world: a 2022 NGO call, a stimulus call that asks
# Jämställdhetsmyndigheten for views, their organisations and every staff role.
clock_at = applications.clock_at
world = applications.world

TODAY = datetime.date(2021, 11, 15)  # the applications tests' clock
OMBUD_TEXT = "You have no role in any organisation yet"
APPLY_TEXT = "Apply to become ombud"


def start_page(client, user) -> str:
    """The start page in English (the msgids)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("access:my_pages"))
    assert response.status_code == 200
    return response.content.decode()


def work_items(page: str) -> dict[str, tuple[str, str]]:
    """The start page's rows of work (the design system's task list): each
    link's text, to its address and its count or status."""
    rows = re.findall(
        r'<a class="govuk-link govuk-task-list__link" href="([^"]*)"[^>]*>([^<]*)</a>'
        r'.*?<div class="govuk-task-list__status"[^>]*><strong class="govuk-tag[^"]*">([^<]*)</strong>',
        page,
        re.DOTALL,
    )
    return {unescape(label): (unescape(href), status) for href, label, status in rows}


def add_ombud_application(make_user):
    organisation = other_organisation()
    now = timezone.now()
    return OmbudApplication.objects.create(
        applicant=make_user(f"sokande-{organisation.pk}"),
        organisation=organisation,
        role_basis=RoleBasis.FIRMATECKNARE,
        status=OmbudApplicationStatus.SUBMITTED,
        submitted_at=now,
        last_submitted_at=now,
    )


def add_payable(organisation, due_on: datetime.date, amount_sek: int = 1000) -> Payable:
    pool = PoolFactory()
    return Payable.objects.create(
        organisation=organisation,
        pool=pool,
        source=PayableSource.GRANT,
        reference=f"test:{pool.pk}",
        case_number=f"R-{pool.pk}",
        amount_sek=amount_sek,
        bank_giro="50501055",
        received_on=TODAY,
        due_on=due_on,
    )


def add_batch(creator, reference: str) -> PaymentBatch:
    return PaymentBatch.objects.create(
        reference=reference,
        payment_date=TODAY + datetime.timedelta(days=3),
        total_sek=5000,
        item_count=1,
        created_at=timezone.now(),
        created_by=creator,
    )


def stimulus_application(world):
    return submitted_for(
        world, world.lansstyrelse, world.users["ombud_lst"], world.stimulus_call, 1_000_000
    )


# ------------------------------------------------------------- handläggare


def test_handlaggare_sees_the_ombud_applications_waiting_with_a_link(client, world, make_user):
    add_ombud_application(make_user)
    add_ombud_application(make_user)
    page = start_page(client, world.users["handlaggare"])
    assert reverse("access:queue") in page
    assert work_items(page)["Ombud applications to handle"] == (reverse("access:queue"), "2")


def test_handlaggare_sees_the_requisition_pools_link(client, world):
    page = start_page(client, world.users["handlaggare"])
    assert reverse("requisitions:pools") in page
    assert "Requisition pools open now" in page


def test_handlaggare_sees_the_applications_to_assess_per_call(client, world):
    submitted_ngo_application(world)
    page = start_page(client, world.users["handlaggare"])
    queue = reverse("applications:queue", args=[world.ngo_call.pk]) + "?status=submitted"
    assert work_items(page)[world.ngo_call.title] == (queue, "1")


def test_handlaggare_sees_the_consultations_sent_and_waiting(client, world):
    application = stimulus_application(world)
    consultation.send_to_consultation(
        world.users["handlaggare"], application, TODAY + datetime.timedelta(days=14)
    )
    page = start_page(client, world.users["handlaggare"])
    assert "Consultations sent" in page
    assert "1 waiting for an opinion" in page


def test_staff_never_see_the_ombud_text(client, world):
    for role in ("handlaggare", "beslutsfattare", "ekonomi", "consultee"):
        page = start_page(client, world.users[role])
        assert OMBUD_TEXT not in page, role
        assert APPLY_TEXT not in page, role


def test_staff_do_not_see_other_roles_work(client, world):
    page = start_page(client, world.users["handlaggare"])
    assert "Proposals to decide" not in page
    assert "Payment batches awaiting approval" not in page
    assert "Requests for views waiting for your opinion" not in page


# ---------------------------------------------------------- beslutsfattare


def test_beslutsfattare_sees_the_proposals_to_decide_with_a_link(client, world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(world.users["handlaggare"], application, "refused", "Nej")
    page = start_page(client, world.users["beslutsfattare"])
    queue = reverse("applications:queue", args=[world.ngo_call.pk]) + "?status=proposed"
    assert work_items(page)[world.ngo_call.title] == (queue, "1")
    assert "Ombud applications to handle" not in page


def test_beslutsfattare_does_not_see_a_proposal_of_their_own_to_decide(client, world):
    both = world.users["beslutsfattare2"]
    StaffAssignment.objects.create(user=both, role=StaffRole.HANDLAGGARE)
    application = submitted_ngo_application(world)
    decisions.propose_decision(both, application, "refused", "Nej")
    page = start_page(client, both)
    assert world.ngo_call.title not in work_items(page)


# ------------------------------------------------------------------ ekonomi


def test_ekonomi_sees_payables_due_soon_and_overdue(client, world):
    add_payable(world.kommun, TODAY - datetime.timedelta(days=2), 1000)
    add_payable(world.kommun, TODAY + datetime.timedelta(days=3), 2000)
    add_payable(world.kommun, TODAY + datetime.timedelta(days=30), 4000)
    page = start_page(client, world.users["ekonomi"])
    assert reverse("payments:index") in page
    assert work_items(page)["Open payables"] == (reverse("payments:index"), "3")
    assert "1 due within a week" in page
    assert "1 past its due date" in page


def test_ekonomi_sees_that_their_own_batch_waits_for_the_other_ekonomi_user(client, world, staff):
    other = staff(StaffRole.EKONOMI, "ekonomi2")
    mine = add_batch(world.users["ekonomi"], "BATCH-MINE")
    theirs = add_batch(other, "BATCH-THEIRS")
    page = start_page(client, world.users["ekonomi"])
    assert reverse("payments:batch", args=[mine.pk]) in page
    assert "BATCH-MINE</a>" in page
    assert "you created it; another ekonomi user must approve it" in page
    assert reverse("payments:batch", args=[theirs.pk]) in page
    assert "created by ekonomi2; you may approve it" in page


# --------------------------------------------------------------- consultee


def test_consultee_sees_the_requests_with_their_reply_dates(client, world):
    application = stimulus_application(world)
    request = consultation.send_to_consultation(
        world.users["handlaggare"], application, TODAY + datetime.timedelta(days=14)
    )
    page = start_page(client, world.users["consultee"])
    assert reverse("applications:consultations") in page
    assert reverse("applications:consultation", args=[request.pk]) in page
    assert application.case_number in page
    assert world.lansstyrelse.name in page
    assert "reply by 29 November 2021" in page


def test_the_consultation_email_links_to_the_request_and_names_applicant_and_message(
    world,
):
    application = stimulus_application(world)
    handlaggare = world.users["handlaggare"]
    handlaggare.first_name, handlaggare.last_name = "Hanna", "Handläggare"
    handlaggare.save()
    request = consultation.send_to_consultation(
        handlaggare,
        application,
        TODAY + datetime.timedelta(days=14),
        "Se särskilt budgeten.",
        site_url="https://fordela.example/",
    )
    with translation.override("en"):
        subject, body = consultation_notice_text(request, "https://fordela.example/")
    assert application.case_number in subject
    assert world.lansstyrelse.name in body
    assert "Message from Hanna Handläggare:\nSe särskilt budgeten." in body
    assert f"https://fordela.example/remisser/{request.pk}/" in body
    assert "29 November 2021" in body


# -------------------------------------------------------------------- ombud


def test_ombud_sees_the_organisations_applications_and_what_each_needs(client, world):
    submitted_ngo_application(world)
    page = start_page(client, world.users["ombud"])
    assert world.ngo.name in page
    assert world.ngo_call.title in page
    assert "being assessed; nothing to do now" in page
    assert OMBUD_TEXT not in page


def test_ombud_with_a_draft_is_asked_to_finish_it(client, world):
    from fordela.applications.services import applying

    draft = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    page = start_page(client, world.users["ombud"])
    assert reverse("applications:edit", args=[draft.pk]) in page
    assert work_items(page)["Finish and send in the application"] == (
        reverse("applications:edit", args=[draft.pk]),
        "Draft",
    )


def test_a_user_without_any_role_sees_the_ombud_text(client, make_user):
    page = start_page(client, make_user("ny"))
    assert OMBUD_TEXT in page
    assert APPLY_TEXT in page


def test_a_person_with_a_staff_role_and_an_organisation_role_sees_both(client, world):
    handlaggare = world.users["handlaggare"]
    Membership.objects.create(
        user=handlaggare, organisation=world.kommun, role=OrganisationRole.REPRESENTANT
    )
    page = start_page(client, handlaggare)
    assert "Waiting for you at the agency" in page
    assert "Choose organisation" in page
    assert world.kommun.name in page
    assert OMBUD_TEXT not in page


# ------------------------------------------------------------ public pages


def test_the_home_page_links_to_the_lists_of_grants(client, world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(world.users["handlaggare"], application, "refused", "Nej")
    decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("applications:granted", args=[world.ngo_call.pk]) in page


# ------------------------------------------------------------ query budget


@pytest.mark.parametrize("role", ["handlaggare", "beslutsfattare", "ekonomi", "consultee"])
def test_the_start_page_does_not_grow_with_the_work(client, world, make_user, role):
    start_page(client, world.users[role])
    add_ombud_application(make_user)
    add_payable(world.kommun, TODAY)
    add_batch(world.users["ekonomi"], "B-0")
    with query_budget(client, reverse("access:my_pages")):
        for number in range(5):
            add_ombud_application(make_user)
            add_payable(world.kommun, TODAY - datetime.timedelta(days=number))
            add_batch(world.users["ekonomi"], f"B-{number + 1}")
