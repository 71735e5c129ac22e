"""The demo's material library (fordela.library.demo). Run after
load_reference_data and seed_demo_users; idempotent."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fordela.library.demo import seed_demo_materials


class Command(BaseCommand):
    help = "Fill the material library with the agency's and its partners' materials (demo)."

    def handle(self, *args, **options):
        try:
            done = seed_demo_materials()
        except get_user_model().DoesNotExist:
            raise CommandError(
                "Run seed_demo_users first (the entries are made by handlaggare)."
            ) from None
        self.stdout.write(
            "Demo library: {created} entries added, {published} published; "
            "{total_published} published in all.".format(**done)
        )
