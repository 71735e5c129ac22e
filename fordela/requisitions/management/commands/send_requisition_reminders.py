from django.core.management.base import BaseCommand

from fordela.requisitions.services import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "E-mail organisations that have not requisitioned from a pool whose last day is "
        "within --days days. Never reminds the same organisation twice for a pool."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14)

    def handle(self, *args, days: int, **options):
        sent = send_deadline_reminders(days)
        self.stdout.write(f"{sent} reminder(s) sent.")
