from django.core.management.base import BaseCommand

from fordela.requisitions.demo import OPEN_TODAY, seed_demo_rounds


class Command(BaseCommand):
    help = (
        "Demo requisition rounds: 2020 and 2021 completed (requisitions, redistribution, "
        f"payments), 2022 open as of {OPEN_TODAY} (set FORDELA_TODAY={OPEN_TODAY} to see it so). "
        "Idempotent."
    )

    def handle(self, *args, **options):
        for year, count in seed_demo_rounds().items():
            self.stdout.write(
                f"{year}: {count} requisitions submitted" if count else f"{year}: already seeded"
            )
