"""Expire the offers of freed seats whose time has run out and offer the
seats to the next on each waiting list (run every quarter of an hour or so;
running it again changes nothing). The task ``expire_offers_task`` does the
same."""

from django.core.management.base import BaseCommand

from fordela.events.services.registration import expire_offers


class Command(BaseCommand):
    help = "Expire the training events' offers whose time has run out."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_offers()} offers expired.")
        return 0
