"""seed_calls: the 2022 calls, and with --demo-users the demo applicants and
an application at each stage."""

from django.core.management import call_command

from fordela.access.models import StaffRole
from fordela.applications.models import Application, ApplicationStatus, Call
from fordela.organisations.models import OrganisationKind

from .conftest import make_user, organisation, staff


def test_seed_calls_makes_the_calls_and_demo_applications_once(programme):
    organisation("Uppsala universitet (NCK)", OrganisationKind.UNIVERSITY, reference_key="uu-nck")
    organisation(
        "Länsstyrelsen i Västra Götalands län",
        OrganisationKind.LANSSTYRELSE,
        reference_key="lansstyrelse-14",
    )
    for role, name in (
        (StaffRole.HANDLAGGARE, "handlaggare"),
        (StaffRole.BESLUTSFATTARE, "beslutsfattare"),
        (StaffRole.CONSULTEE, "jamy"),
    ):
        staff(role, name)
    make_user("unrelated")
    call_command("seed_calls", "--demo-users")
    call_command("seed_calls", "--demo-users")
    assert Call.objects.count() == 2
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [ApplicationStatus.DECIDED, ApplicationStatus.PROPOSED, ApplicationStatus.SUBMITTED]
    )
