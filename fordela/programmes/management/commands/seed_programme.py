from django.core.management.base import BaseCommand

from fordela.programmes.seed import seed_programme


class Command(BaseCommand):
    help = "Create or update programme S2020/01591 with its years, appropriation lines and pools."

    def handle(self, *args, **options):
        programme = seed_programme()
        pools = sum(year.pools.count() for year in programme.years.all())
        self.stdout.write(
            f"{programme.reference_number}: {programme.years.count()} years, {pools} pools."
        )
