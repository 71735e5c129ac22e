"""Send today's reminders about follow-up reports still to be submitted (run
daily; never twice for a step). The task ``send_report_reminders_task`` does
the same."""

from django.core.management.base import BaseCommand

from fordela.reports.reminders import send_report_reminders


class Command(BaseCommand):
    help = "Send today's reminders about follow-up reports."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_report_reminders()} reports reminded.")
