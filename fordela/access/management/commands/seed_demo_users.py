"""Create the demo's users (password "demo"). Idempotent: run it as often as
you like; it adds what is missing and resets the demo passwords."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from fordela.access.models import Membership, OrganisationRole, StaffAssignment, StaffRole
from fordela.organisations.models import Organisation, OrganisationKind

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, documented in the README

STAFF_USERS = [
    ("handlaggare", "Hanna", "Handläggare", StaffRole.HANDLAGGARE),
    ("beslutsfattare", "Björn", "Beslutsfattare", StaffRole.BESLUTSFATTARE),
    ("ekonomi", "Eva", "Ekonomi", StaffRole.EKONOMI),
    ("jamy", "Jamila", "Jämställdhetsmyndigheten", StaffRole.CONSULTEE),
]


def ombud_username(organisation: Organisation) -> str:
    """ombud-<kommunkod> for kommuner (Gotland included, it covers the region
    too), ombud-r<länskod> for the other regions."""
    if organisation.municipality_code:
        return f"ombud-{organisation.municipality_code}"
    return f"ombud-r{organisation.region_county_code}"


class Command(BaseCommand):
    help = "Create demo users: agency staff and one ombud per kommun and region (password demo)."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        # Hash once: a slow password hash for each of 314 accounts would take minutes.
        demo_hash = make_password(DEMO_PASSWORD)

        def user(username: str, first: str, last: str):
            account, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.fordela.example",
                },
            )
            if account.password != demo_hash:
                account.password = demo_hash
                account.save(update_fields=["password"])
            return account

        for username, first, last, role in STAFF_USERS:
            StaffAssignment.objects.get_or_create(user=user(username, first, last), role=role)

        organisations = Organisation.objects.filter(
            kind__in=[OrganisationKind.KOMMUN, OrganisationKind.REGION]
        ).exclude(municipality_code__isnull=True, region_county_code__isnull=True)
        count = 0
        for organisation in organisations:
            account = user(ombud_username(organisation), "Ombud", organisation.name)
            current = Membership.objects.filter(
                organisation=organisation, role=OrganisationRole.OMBUD
            ).first()
            if current is None:
                Membership.objects.update_or_create(
                    user=account,
                    organisation=organisation,
                    defaults={"role": OrganisationRole.OMBUD},
                )
            count += 1
        self.stdout.write(
            f"Demo users: {len(STAFF_USERS)} agency users and {count} ombud (password {DEMO_PASSWORD})."
        )
