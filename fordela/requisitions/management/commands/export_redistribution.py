import io

from django.core.management.base import BaseCommand, CommandError

from fordela.programmes.models import Pool
from fordela.programmes.queries import find_pool
from fordela.requisitions import exports
from fordela.requisitions.models import Redistribution


class Command(BaseCommand):
    help = (
        "Print the confirmed redistribution list of a pool as the public list's CSV "
        "download (UTF-8 with BOM, ';'; Kod, Organisation, Organisationsnummer, Län, "
        "Befolkning, Rekvirerat (kr), Omfördelat (kr)), e.g. "
        "export_redistribution S2020/01591 2021 kommuner-pafyllnad"
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="reference number or slug, e.g. S2020/01591")
        parser.add_argument("year", type=int)
        parser.add_argument("pool", help="pool slug, e.g. kommuner")

    def handle(self, *args, programme: str, year: int, pool: str, **options):
        try:
            redistribution = Redistribution.objects.get(pool=find_pool(programme, year, pool))
        except Pool.DoesNotExist:
            raise CommandError(f"No pool {pool} in {programme} {year}.") from None
        except Redistribution.DoesNotExist:
            raise CommandError(f"The redistribution of {pool} {year} is not confirmed.") from None
        out = io.StringIO()
        exports.write_redistribution_csv(redistribution, out)
        self.stdout.write(out.getvalue(), ending="")
