"""What the uptake map shows, read from stored data (issue 19 §4): per
kommun or region and year, the allocation (the year's requisition pools,
top-ups included), what was requisitioned (submitted or paid requisitions)
and the state of its follow-up reports. A fixed number of queries, whatever
the number of organisations."""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.db.models import Count, Max, Sum

from fordela.allocation.models import Allocation
from fordela.core import clock
from fordela.programmes.models import Eligibility, Pool, PoolKind, ProgrammeYear
from fordela.reports.models import EDITABLE, Report, ReportSource, ReportStatus
from fordela.requisitions.models import REQUISITIONED, Requisition

from . import measures
from .measures import Row

PATHS = Path(__file__).resolve().parent / "data" / "map_paths.json"
KOMMUNER = "kommuner"
REGIONER = "regioner"
LEVELS = {KOMMUNER: Eligibility.MUNICIPALITIES, REGIONER: Eligibility.REGIONS}


@cache
def paths() -> dict:
    """The committed path file (scripts/build_map_paths.py), read once."""
    return json.loads(PATHS.read_text(encoding="utf-8"))


def pools(programme_year: ProgrammeYear, level: str) -> list[Pool]:
    return list(
        Pool.objects.filter(
            programme_year=programme_year,
            kind=PoolKind.REQUISITION,
            eligibility=LEVELS[level],
        )
        .select_related("allocation_key")
        .order_by("top_up_of_id", "pk")
    )


def state(level_pools: list[Pool]) -> str:
    """A digest of everything the rows depend on, for the cache key: the keys,
    the requisitions' and reports' counts, sums and last changes, and today
    (a report becomes overdue with the date). Two queries."""
    ids = [pool.pk for pool in level_pools]
    keys = [
        (p.pk, p.allocation_key.pk, p.allocation_key.status, str(p.allocation_key.computed_at))
        for p in level_pools
        if hasattr(p, "allocation_key")
    ]
    requisitions = list(
        Requisition.objects.filter(pool__in=ids)
        .values("status")
        .annotate(n=Count("id"), amount=Sum("amount_sek"), changed=Max("updated_at"))
        .order_by("status")
    )
    reports = list(
        Report.objects.filter(pool__in=ids)
        .values("status")
        .annotate(n=Count("id"), changed=Max("updated_at"), due=Max("due_on"))
        .order_by("status")
    )
    text = json.dumps(
        [ids, keys, requisitions, reports, clock.today()], default=str, sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _report_category(status: str, due_on, today) -> str:
    if status in EDITABLE:
        return measures.OVERDUE if due_on < today else measures.TO_REPORT
    return {
        ReportStatus.SUBMITTED: measures.SUBMITTED,
        ReportStatus.APPROVED: measures.APPROVED,
        ReportStatus.REJECTED: measures.REJECTED,
    }[status]


def rows(level_pools: list[Pool], level: str) -> list[Row]:
    """One row per kommun (or region) on the map, in code order: three
    queries. A place without an allocation in the year's keys has no data."""
    ids = [pool.pk for pool in level_pools]
    main_pools = {pool.pk for pool in level_pools if pool.top_up_of_id is None}
    by_code: dict[str, Row] = {}
    organisation_code: dict[int, str] = {}
    allocations = (
        Allocation.objects.filter(key__pool__in=ids)
        .values(
            "code",
            "organisation_id",
            "organisation__name",
            "organisation__county_name",
            "population",
            "amount_sek",
            "key__pool_id",
        )
        .order_by("code")
    )
    for a in allocations:
        row = by_code.get(a["code"])
        if row is None:
            row = by_code[a["code"]] = Row(
                code=a["code"],
                name=a["organisation__name"],
                county=a["organisation__county_name"],
                population=a["population"],
                allocated_sek=0,
            )
            organisation_code[a["organisation_id"]] = a["code"]
        row.allocated_sek += a["amount_sek"]
        if a["key__pool_id"] in main_pools:
            row.population = a["population"]
    requisitioned = (
        Requisition.objects.filter(pool__in=ids, status__in=REQUISITIONED)
        .values("organisation_id")
        .annotate(total=Sum("amount_sek"))
        .order_by()
    )
    for r in requisitioned:
        code = organisation_code.get(r["organisation_id"])
        if code is not None:
            by_code[code].requisitioned_sek = r["total"]
    today = clock.today()
    reports = Report.objects.filter(pool__in=ids, source=ReportSource.REQUISITION).values_list(
        "organisation_id", "status", "due_on"
    )
    for organisation_id, status, due_on in reports:
        code = organisation_code.get(organisation_id)
        if code is None:
            continue
        row = by_code[code]
        category = _report_category(status, due_on, today)
        if row.status is None or measures.STATUS_ORDER.index(
            category
        ) < measures.STATUS_ORDER.index(row.status):
            row.status = category
    # Every place on the map gets a row, with or without data.
    county_names = {code: r["county"] for code, r in paths()[REGIONER].items()}
    out = []
    for code, place in paths()[level].items():
        row = by_code.get(code)
        if row is None:
            county = place["county"] if level == REGIONER else county_names[place["county"]]
            row = Row(code=code, name=place["name"], county=county)
        out.append(row)
    return out
