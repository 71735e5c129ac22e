"""Open the follow-up reports of a grant year (idempotent: run it again and
nothing is opened twice). The scheduled task ``open_report_period_task`` does
the same."""

from django.core.management.base import BaseCommand

from fordela.core import clock
from fordela.reports.services import open_report_period


class Command(BaseCommand):
    help = "Open the follow-up reports of a grant year (default: last year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the grant year (default: last year)")

    def handle(self, *args, year=None, **options):
        year = year or clock.today().year - 1
        result = open_report_period(year)
        self.stdout.write(
            f"Grant year {year}: {result.created} reports opened, {result.existing} already open."
        )
        for pool in result.without_due_date:
            self.stderr.write(f"No report due date on {pool}: set it on the pool or its call.")
