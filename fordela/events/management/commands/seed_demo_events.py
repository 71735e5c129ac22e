"""Create the demo's training events (idempotent); see ``events.demo``."""

from django.core.management.base import BaseCommand

from fordela.events.demo import seed_demo_events


class Command(BaseCommand):
    help = "Create demo training events by länsstyrelser, NCK and Barnafrid in 2022."

    def handle(self, *args, **options):
        created = seed_demo_events()
        self.stdout.write(f"Demo training events: {created} created.")
