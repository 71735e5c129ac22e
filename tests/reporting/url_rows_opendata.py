"""The open-data URLs' rows of the URL × role table
(tests/access/url_access_table.py): all public, the same for every role.
The world's programme year gets one paid grant payable, so that its
360Giving package exists (a year without one is a clear 404 page,
tests/reporting/test_opendata.py)."""

import datetime

from django.utils import timezone

from fordela.payments.models import BatchStatus, Payable, PayableSource, PayableStatus, PaymentBatch
from fordela.programmes.models import Pool
from tests.access.url_access_table import EVERYONE_200, Entry, key


def _paid_year(world) -> dict:
    if "opendata" not in world.extras:
        kwargs = key(world)
        pool = Pool.objects.get(
            programme_year__programme__slug=kwargs["programme"],
            programme_year__year=kwargs["year"],
            slug=kwargs["pool"],
        )
        now = timezone.now()
        batch = PaymentBatch.objects.create(
            reference="OPPNA-DATA-1",
            payment_date=datetime.date(2021, 10, 11),
            status=BatchStatus.PAID,
            total_sek=1000,
            item_count=1,
            created_at=now,
            created_by=world.users["ekonomi"],
            approved_at=now,
            approved_by=world.users["beslutsfattare"],
            confirmed_at=now,
            confirmed_by=world.users["ekonomi"],
        )
        Payable.objects.create(
            organisation=world.organisation,
            pool=pool,
            source=PayableSource.GRANT,
            reference="grant:opendata",
            case_number="TEST-1",
            amount_sek=1000,
            bank_giro="55555551",
            received_on=datetime.date(2021, 9, 1),
            due_on=datetime.date(2021, 10, 13),
            status=PayableStatus.PAID,
            paid_on=datetime.date(2021, 10, 11),
            paid_batch=batch,
        )
        world.extras["opendata"] = {"slug": kwargs["programme"], "year": kwargs["year"]}
    return world.extras["opendata"]


ROWS = {
    "reporting:opendata": Entry(EVERYONE_200),
    "reporting:opendata_dcat": Entry(EVERYONE_200),
    "reporting:opendata_json": Entry(EVERYONE_200, kwargs=_paid_year),
    "reporting:opendata_csv": Entry(EVERYONE_200, kwargs=_paid_year),
}
