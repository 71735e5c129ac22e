"""Demo follow-up reports in every state (fordela.reports.demo). Run after
seed_demo_users and seed_demo_rounds; idempotent."""

from django.core.management.base import BaseCommand

from fordela.reports.demo import seed_demo_reports


class Command(BaseCommand):
    help = "Open the 2020 and 2021 report periods and put reports in every state (demo)."

    def handle(self, *args, **options):
        done = seed_demo_reports()
        self.stdout.write(
            "Demo reports: {opened} opened, {submitted} submitted, {reviewed} reviewed, "
            "{overdue} overdue.".format(**done)
        )
