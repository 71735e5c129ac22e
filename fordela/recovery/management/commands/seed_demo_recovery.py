"""Demo recovery in every state (fordela.recovery.demo). Run after
seed_demo_reports; idempotent."""

from django.core.management.base import BaseCommand

from fordela.recovery.demo import seed_demo_recovery


class Command(BaseCommand):
    help = "Take the demo's follow-up reports through recovery: proposals, decisions, invoices, payments (demo)."

    def handle(self, *args, **options):
        done = seed_demo_recovery()
        self.stdout.write(
            "Demo recovery: {proposed} proposed, {decided} decided, {paid} paid by hand, "
            "{imported} BgMax file imported, {credited} credited, {reminded} reminded, "
            "{written_off} written off.".format(**done)
        )
