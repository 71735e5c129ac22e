"""Send today's payment reminders about overdue recovery invoices (run
daily; never twice for a step). The task ``send_invoice_reminders_task`` does
the same."""

from django.core.management.base import BaseCommand

from fordela.recovery.reminders import send_invoice_reminders


class Command(BaseCommand):
    help = "Send today's payment reminders about overdue recovery invoices."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_invoice_reminders()} invoices reminded.")
