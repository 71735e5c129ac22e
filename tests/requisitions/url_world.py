"""Objects for the URL × role table (tests/access/url_access_table.py):
built lazily from the access test ``world`` and cached in ``world.extras``."""

import datetime

from django.utils import timezone

from fordela.access.models import OrganisationRole
from fordela.allocation.services import compute_key, freeze_key
from fordela.programmes.models import Pool
from fordela.requisitions import services
from fordela.requisitions.models import Redistribution
from tests.factories import PoolFactory

from .conftest import filled


def _key_pool(world) -> Pool:
    kwargs = world.extras["key_kwargs"]
    return Pool.objects.get(
        programme_year__programme__slug=kwargs["programme"],
        programme_year__year=kwargs["year"],
        slug=kwargs["pool"],
    )


def _objects(world) -> dict:
    if "requisitions" in world.extras:
        return world.extras["requisitions"]
    pool = _key_pool(world)
    ombud = world.users["ombud"]
    assert ombud.memberships.get().role == OrganisationRole.OMBUD
    draft = services.start_requisition(ombud, world.organisation, pool)
    second = PoolFactory(programme_year=pool.programme_year, slug="kommuner-pafyllnad")
    freeze_key(compute_key(second))
    submitted = services.start_requisition(ombud, world.organisation, second)
    submitted = services.submit_requisition(ombud, submitted, filled())
    Redistribution.objects.create(
        pool=pool,
        allocated_sek=pool.amount_sek,
        requisitioned_sek=0,
        unrequisitioned_sek=pool.amount_sek,
        redistributed_sek=0,
        unallocated_sek=pool.amount_sek,
        population_date=datetime.date(2020, 12, 31),
        confirmed_at=timezone.now(),
        confirmed_by=None,
    )
    from fordela.payments.models import PaymentBatch

    batch = PaymentBatch.objects.create(
        reference="FRD-TEST-001",
        payment_date=datetime.date.today(),
        total_sek=0,
        item_count=0,
        created_at=timezone.now(),
        created_by=ombud,
    )
    world.extras["requisitions"] = {
        "pool": pool,
        "draft": draft,
        "submitted": submitted,
        "batch": batch,
    }
    return world.extras["requisitions"]


def start_kwargs(world) -> dict:
    pool = PoolFactory(programme_year=_key_pool(world).programme_year, slug="regioner-extra")
    freeze_key(compute_key(pool))
    return {"organisation_id": world.organisation.pk, "pool_id": pool.pk}


def draft_kwargs(world) -> dict:
    return {"pk": _objects(world)["draft"].pk}


def submitted_kwargs(world) -> dict:
    return {"pk": _objects(world)["submitted"].pk}


def pool_kwargs(world) -> dict:
    return {"pool_id": _objects(world)["pool"].pk}


def public_kwargs(world) -> dict:
    _objects(world)
    return world.extras["key_kwargs"]


def batch_kwargs(world) -> dict:
    return {"pk": _objects(world)["batch"].pk}
