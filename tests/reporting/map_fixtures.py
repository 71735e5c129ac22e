"""A known data set for the uptake map: the real reference data (290
kommuner, 21 regioner), S2020/01591 with its 2021 keys published, and a few
requisitions and follow-up reports whose classes the tests know."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from fordela.allocation.models import Allocation
from fordela.allocation.services import compute_key, freeze_key
from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.seed import seed_programme
from fordela.reports.models import Report, ReportSource, ReportStatus
from fordela.reports.services import current_form
from fordela.requisitions.models import Requisition, RequisitionStatus
from tests.reports.conftest import restore_report_form

SLUG = "s2020-01591"
URL = f"/program/{SLUG}/2021/karta/"


@dataclass
class MapWorld:
    pools: dict[str, Pool]
    allocations: dict[str, Allocation] = field(default_factory=dict)
    serial: list[int] = field(default_factory=lambda: [0])

    def allocation(self, code: str, pool: str = "kommuner") -> Allocation:
        return Allocation.objects.select_related("organisation").get(
            key__pool=self.pools[pool], code=code
        )

    def requisition(self, code: str, amount: int | None = None, pool: str = "kommuner", **kw):
        allocation = self.allocation(code, pool)
        self.serial[0] += 1
        user = get_user_model().objects.get_or_create(username="kartan")[0]
        return Requisition.objects.create(
            organisation=allocation.organisation,
            pool=self.pools[pool],
            allocation=allocation,
            allocation_sek=allocation.amount_sek,
            amount_sek=allocation.amount_sek if amount is None else amount,
            status=kw.pop("status", RequisitionStatus.PAID),
            case_number=f"2021-10-{self.serial[0]:04d}",
            conditions_confirmed=True,
            created_by=user,
            submitted_by=user,
            submitted_at=timezone.now(),
            **kw,
        )

    def report(self, requisition: Requisition, status: str, due_on=None) -> Report:
        restore_report_form()
        fields = {}
        if status != ReportStatus.OPEN:
            fields = {
                "used_sek": requisition.amount_sek,
                "unused_sek": 0,
                "submitted_at": timezone.now(),
                "submitted_by": requisition.submitted_by,
                "submission_count": 1,
            }
        return Report.objects.create(
            organisation=requisition.organisation,
            pool=requisition.pool,
            year=2021,
            source=ReportSource.REQUISITION,
            requisition=requisition,
            case_number=requisition.case_number,
            form=current_form(),
            due_on=due_on or datetime.date(2022, 3, 31),
            requisitioned_sek=requisition.amount_sek,
            received_sek=requisition.amount_sek,
            status=status,
            **fields,
        )


def build_world() -> MapWorld:
    cache.clear()
    call_command("load_reference_data", verbosity=0)
    programme = seed_programme()
    pools = {}
    for pool in Pool.objects.filter(
        programme_year__programme=programme,
        programme_year__year=2021,
        kind=PoolKind.REQUISITION,
    ):
        freeze_key(compute_key(pool, actor="tests"), actor="tests")
        pools[pool.slug] = pool
    return MapWorld(pools=pools)


@pytest.fixture
def map_world(db) -> MapWorld:
    return build_world()
