"""Create the 2022 calls of S2020/01591 (ideella, stimulans) and, with
--demo-users, an NGO and ombud for the demo (password demo). Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from fordela.applications.demo import seed_calls, seed_demo_applicants, seed_demo_applications


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
            for username, organisation in seed_demo_applicants():
                self.stdout.write(f"Demo applicant: {username} ({organisation.name})")
            if seed_demo_applications(calls):
                self.stdout.write("Demo applications: one decided, one proposed, one to assess.")
