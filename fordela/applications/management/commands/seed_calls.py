"""Create the 2022 calls of S2020/01591 (ideella, stimulans) and, with
--demo-users, an NGO and ombud for the demo (password demo). Idempotent."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from fordela.access.models import Membership, OrganisationRole
from fordela.applications.calls import seed_calls
from fordela.organisations.models import Organisation, OrganisationKind

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, documented in the README

DEMO_NGO = {
    "reference_key": "demo-kvinnojouren",
    "name": "Kvinnojouren i Ale (demo)",
    "kind": OrganisationKind.NONPROFIT,
    "organisation_number": "8024561238",
    "bank_giro": "50501055",
    "county_code": "14",
    "county_name": "Västra Götalands län",
}
# username → organisation reference key
DEMO_OMBUD = {
    "ombud-ngo": "demo-kvinnojouren",
    "ombud-nck": "uu-nck",
    "ombud-lst14": "lansstyrelse-14",
}


class Command(BaseCommand):
    help = "Create the 2022 calls for ideella and stimulans (and demo applicants)."

    def add_arguments(self, parser):
        parser.add_argument("--demo-users", action="store_true", help="add demo applicants")

    @transaction.atomic
    def handle(self, *args, **options):
        calls = seed_calls()
        for call in calls:
            self.stdout.write(f"Call: {call.title} ({call.opens_on} – {call.closes_on})")
        if options["demo_users"]:
            Organisation.objects.get_or_create(
                reference_key=DEMO_NGO["reference_key"], defaults=DEMO_NGO
            )
            password = make_password(DEMO_PASSWORD)
            for username, key in DEMO_OMBUD.items():
                organisation = Organisation.objects.filter(reference_key=key).first()
                if organisation is None:
                    continue
                user, _created = get_user_model().objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": "Ombud",
                        "last_name": organisation.name,
                        "email": f"{username}@demo.fordela.example",
                        "password": password,
                    },
                )
                if not Membership.objects.filter(
                    organisation=organisation, role=OrganisationRole.OMBUD
                ).exists():
                    Membership.objects.get_or_create(
                        user=user, organisation=organisation, role=OrganisationRole.OMBUD
                    )
                self.stdout.write(f"Demo applicant: {username} ({organisation.name})")
