"""Blank the personal data of registrations whose session ended more than
``FORDELA_EVENT_ANONYMISE_MONTHS`` (default 12) months ago (run daily;
running it again changes nothing). The task
``anonymise_old_registrations_task`` does the same."""

from django.core.management.base import BaseCommand

from fordela.events.services.registration import anonymise_old_registrations


class Command(BaseCommand):
    help = "Anonymise the registrations of training sessions that ended long ago."

    def handle(self, *args, **options):
        self.stdout.write(f"{anonymise_old_registrations()} registrations anonymised.")
        return 0
