"""Store the overdue event of each follow-up report missing after its
deadline and the grace (run daily; idempotent). The task
``record_overdue_reports_task`` does the same."""

from django.core.management.base import BaseCommand

from fordela.reports.overdue import record_overdue_reports


class Command(BaseCommand):
    help = "Store today's overdue follow-up reports."

    def handle(self, *args, **options):
        self.stdout.write(f"{record_overdue_reports()} overdue reports stored.")
