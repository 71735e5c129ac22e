"""The access list pages run as many queries for many rows as for few
(tests/query_budget.py)."""

from django.utils import timezone

from fordela.access.models import (
    ApplicationStatus,
    Membership,
    OmbudApplication,
    OrganisationRole,
    RoleBasis,
    StaffRole,
)
from tests.access.conftest import other_organisation
from tests.query_budget import query_budget


def add_submitted_applications(make_user, count: int, status=ApplicationStatus.SUBMITTED):
    now = timezone.now()
    for _ in range(count):
        organisation = other_organisation()
        OmbudApplication.objects.create(
            applicant=make_user(f"sokande-{organisation.pk}"),
            organisation=organisation,
            role_basis=RoleBasis.FIRMATECKNARE,
            status=status,
            submitted_at=now,
            last_submitted_at=now,
        )


def test_ombud_application_queue_does_not_grow_with_the_applications(client, staff, make_user):
    client.force_login(staff(StaffRole.HANDLAGGARE))
    add_submitted_applications(make_user, 1)
    add_submitted_applications(make_user, 1, ApplicationStatus.COMPLETION_REQUESTED)
    with query_budget(client, "/handlaggning/ombudsansokningar/"):
        add_submitted_applications(make_user, 15)
        add_submitted_applications(make_user, 5, ApplicationStatus.COMPLETION_REQUESTED)


def test_organisation_page_does_not_grow_with_the_members(client, ale, member):
    ombud = member(ale, OrganisationRole.OMBUD)
    member(ale, OrganisationRole.UPPGIFTSSAMORDNARE, "samordnare-0")
    client.force_login(ombud)
    with query_budget(client, f"/organisation/{ale.pk}/"):
        for number in range(1, 15):
            member(ale, OrganisationRole.UPPGIFTSSAMORDNARE, f"samordnare-{number}")
            member(ale, OrganisationRole.REPRESENTANT, f"representant-{number}")


def test_my_pages_do_not_grow_with_memberships_and_applications(client, make_user):
    user = make_user("mangsysslare")
    client.force_login(user)
    Membership.objects.create(
        user=user, organisation=other_organisation(), role=OrganisationRole.UPPGIFTSSAMORDNARE
    )
    with query_budget(client, "/mina-sidor/"):
        for _ in range(10):
            Membership.objects.create(
                user=user,
                organisation=other_organisation(),
                role=OrganisationRole.UPPGIFTSSAMORDNARE,
            )
            OmbudApplication.objects.create(
                applicant=user,
                organisation=other_organisation(),
                role_basis=RoleBasis.FIRMATECKNARE,
            )
