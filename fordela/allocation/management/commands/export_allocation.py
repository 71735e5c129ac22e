import io

from django.core.management.base import BaseCommand, CommandError

from fordela.allocation import exports
from fordela.allocation.models import AllocationKey
from fordela.programmes.models import Pool
from fordela.programmes.queries import find_pool


class Command(BaseCommand):
    help = (
        "Write an allocation key to standard output as the key page's CSV download "
        "(UTF-8 with BOM, ';'; Kod, Organisation, Organisationsnummer, Län, Befolkning, "
        "Belopp (kr))."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="Reference number, e.g. S2020/01591")
        parser.add_argument("year", type=int)
        parser.add_argument("pool", help="Pool slug, e.g. kommuner")

    def handle(self, *args, programme, year, pool, **options):
        try:
            key = AllocationKey.objects.get(pool=find_pool(programme, year, pool))
        except Pool.DoesNotExist:
            raise CommandError(f"No pool '{pool}' in {programme} {year}.") from None
        except AllocationKey.DoesNotExist:
            raise CommandError(
                f"The pool '{pool}' in {programme} {year} has no allocation key yet "
                "(run compute_allocation_keys)."
            ) from None
        out = io.StringIO()
        exports.write_csv(key, out)
        self.stdout.write(out.getvalue(), ending="")
