"""Which programme years have open data: the list the open-data page and
the DCAT-AP-SE catalogue (``reporting.dcat``) describe."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Sum

from fordela.payments.models import Payable, PayableStatus
from fordela.programmes.models import ProgrammeYear


@dataclass(frozen=True)
class Published:
    programme_year: ProgrammeYear
    grants: int
    amount_sek: int
    last_paid: datetime.date | None


def published(programmes=None) -> list[Published]:
    """Every programme year (of ``programmes``, else all) with the number and
    sum of its paid grants: two queries."""
    years = ProgrammeYear.objects.select_related("programme").order_by(
        "programme__reference_number", "year"
    )
    if programmes is not None:
        years = years.filter(programme__in=programmes)
    totals = {
        entry["pool__programme_year"]: entry
        for entry in Payable.objects.filter(status=PayableStatus.PAID)
        .values("pool__programme_year")
        .annotate(count=Count("pk"), total=Sum("amount_sek"), last=Max("paid_on"))
    }
    result = []
    for py in years:
        entry = totals.get(py.pk, {})
        result.append(
            Published(py, entry.get("count", 0), entry.get("total") or 0, entry.get("last"))
        )
    return result
