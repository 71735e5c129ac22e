"""The demo data, as ``make demo-data`` loads it, for tests that need a whole
site: the real reference data (290 kommuner, 21 regioner), programme
S2020/01591 and its allocation keys (2020 and 2021 published, 2022
preliminary)."""

from django.core.management import call_command

from fordela.allocation.services import compute_key, freeze_key
from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.seed import seed_programme


def load_demo_data() -> None:
    call_command("load_reference_data", verbosity=0)
    programme = seed_programme()
    pools = Pool.objects.filter(programme_year__programme=programme, kind=PoolKind.REQUISITION)
    for pool in pools.select_related("programme_year").order_by("programme_year__year", "slug"):
        key = compute_key(pool, actor="tests")
        if pool.programme_year.year in (2020, 2021):
            freeze_key(key, actor="tests")
