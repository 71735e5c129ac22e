from django.core.management.base import BaseCommand, CommandError

from fordela.allocation.services import AllocationError, compute_key, freeze_key
from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.queries import programme_slug


class Command(BaseCommand):
    help = (
        "Compute the allocation key of every requisition pool of a programme (optionally one year)."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme", help="Reference number, e.g. S2020/01591")
        parser.add_argument("--year", type=int, action="append", help="Only this year (repeatable)")
        parser.add_argument(
            "--freeze", action="store_true", help="Publish the keys after computing"
        )

    def handle(self, *args, programme, year, freeze, **options):
        pools = Pool.objects.filter(
            programme_year__programme__slug=programme_slug(programme), kind=PoolKind.REQUISITION
        ).select_related("programme_year", "allocation_key")
        if year:
            pools = pools.filter(programme_year__year__in=year)
        if not pools:
            raise CommandError(f"No requisition pools found for {programme}.")
        for pool in pools.order_by("programme_year__year", "slug"):
            existing = getattr(pool, "allocation_key", None)
            try:
                if existing is not None and existing.is_frozen:
                    self.stdout.write(f"{pool.programme_year.year} {pool.slug}: already published")
                    continue
                key = compute_key(pool, actor="compute_allocation_keys")
                if freeze:
                    freeze_key(key, actor="compute_allocation_keys")
            except AllocationError as error:
                raise CommandError(f"{pool.programme_year.year} {pool.slug}: {error}") from error
            self.stdout.write(
                f"{pool.programme_year.year} {pool.slug}: {key.allocations.count()} organisations, "
                f"{key.amount_sek} kr, population {key.population_date}"
                + (", published" if freeze else "")
            )
