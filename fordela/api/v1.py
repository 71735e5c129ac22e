"""Version 1 of the public read-only JSON API (docs/api.md): programmes,
years, pools, published allocation keys and their allocations, confirmed
redistributions and their shares, and grants. Public data only: no
authentication, nothing personal, no drafts."""

import re

from django.db.models import CharField, Count, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Query
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from fordela.allocation.models import AllocationKey, KeyStatus
from fordela.applications.models import Decision
from fordela.core import clock
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.programmes.models import Pool, PoolKind, Programme, ProgrammeYear
from fordela.requisitions.models import Redistribution, Requisition, RequisitionStatus

from . import schemas
from .docs import DocsPage
from .http import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Validators, paginate


class Utf8JSONRenderer(JSONRenderer):
    """UTF-8 JSON: "Fördela", not "F\\u00f6rdela"."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Fördela public API",
    version="1",
    description=(
        "Read-only public data about the state grants Fördela administers: programmes, "
        "their years and pools, published allocation keys and their allocations, confirmed "
        "redistributions and grants. Amounts are whole kronor (SEK), dates ISO 8601. "
        "Lists are paginated with limit and offset. Frozen data (published keys, confirmed "
        "redistributions) carries ETag and Last-Modified and answers conditional GETs with "
        "304. See docs/api.md."
    ),
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=DocsPage(),
    renderer=Utf8JSONRenderer(),
)

YEAR = re.compile(r"[0-9]{4}")
NOT_FOUND = {404: schemas.Error, 422: schemas.ValidationErrors}
FROZEN = {304: None, **NOT_FOUND}

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (1–500).")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


# ------------------------------------------------------------------ look-ups


def _programme(slug: str) -> Programme:
    try:
        return Programme.objects.get(slug=slug)
    except Programme.DoesNotExist:
        raise HttpError(404, f"There is no programme {slug!r}.") from None


def _year_number(year: str) -> int:
    if not YEAR.fullmatch(year):
        raise HttpError(404, f"{year!r} is not a year.")
    return int(year)


def _programme_year(programme: str, year: str) -> ProgrammeYear:
    number = _year_number(year)
    found = (
        ProgrammeYear.objects.select_related("programme")
        .filter(programme__slug=programme, year=number)
        .first()
    )
    if found is None:
        _programme(programme)
        raise HttpError(404, f"The programme {programme!r} has no year {number}.")
    return found


def _pools():
    return Pool.objects.select_related(
        "programme_year__programme", "top_up_of", "allocation_key", "redistribution"
    )


def _pool(programme: str, year: str, pool: str) -> Pool:
    number = _year_number(year)
    found = (
        _pools()
        .filter(programme_year__programme__slug=programme, programme_year__year=number, slug=pool)
        .first()
    )
    if found is None:
        _programme_year(programme, year)
        raise HttpError(404, f"The programme {programme!r} has no pool {pool!r} in {number}.")
    return found


def _related(obj, name: str):
    """A reverse one-to-one (fetched with select_related), or None."""
    try:
        return getattr(obj, name)
    except obj.__class__.__dict__[name].RelatedObjectDoesNotExist:
        return None


def _published_key(pool: Pool) -> AllocationKey | None:
    key = _related(pool, "allocation_key")
    return key if key is not None and key.status == KeyStatus.FROZEN else None


def _key_of(programme: str, year: str, pool: str) -> AllocationKey:
    found = _pool(programme, year, pool)
    key = _published_key(found)
    if key is None:
        raise HttpError(404, f"The pool {pool!r} has no published allocation key.")
    key.pool = found
    return key


def _redistribution_of(programme: str, year: str, pool: str) -> Redistribution:
    found = _pool(programme, year, pool)
    redistribution = _related(found, "redistribution")
    if redistribution is None:
        raise HttpError(404, f"The pool {pool!r} has no confirmed redistribution.")
    redistribution.pool = found
    return redistribution


# ------------------------------------------------------------------ shapes


def _url(request: HttpRequest, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"api:v1:{name}", kwargs=kwargs))


def _pool_kwargs(pool: Pool) -> dict:
    year = pool.programme_year
    return {"programme": year.programme.slug, "year": str(year.year), "pool": pool.slug}


def _organisation(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "organisation_number": org.organisation_number or None,
        "municipality_code": org.municipality_code or None,
        "region_county_code": org.region_county_code or None,
        "county_code": org.county_code or None,
    }


def _programme_out(request, programme: Programme) -> dict:
    return {
        "slug": programme.slug,
        "reference_number": programme.reference_number,
        "title": programme.title,
        "decision_date": programme.decision_date,
        "first_year": programme.first_year,
        "last_year": programme.last_year,
        "final_report_due": programme.final_report_due,
        "url": _url(request, "programme", programme=programme.slug),
    }


def _pool_out(request, pool: Pool) -> dict:
    kwargs = _pool_kwargs(pool)
    return {
        "programme": kwargs["programme"],
        "year": pool.programme_year.year,
        "slug": pool.slug,
        "name": pool.name,
        "kind": pool.kind,
        "eligibility": pool.eligibility,
        "amount_sek": pool.amount_sek,
        "top_up_of": pool.top_up_of.slug if pool.top_up_of_id else None,
        "opens_on": pool.opens_on,
        "closes_on": pool.closes_on,
        "use_until": pool.use_until,
        "report_due": pool.report_due,
        "allows_redistribution": pool.allows_redistribution,
        "url": _url(request, "pool", **kwargs),
        "allocation_key_url": (
            _url(request, "allocation_key", **kwargs) if _published_key(pool) else None
        ),
        "redistribution_url": (
            _url(request, "redistribution", **kwargs) if _related(pool, "redistribution") else None
        ),
        "grants_url": _url(request, "grants", **kwargs),
    }


def _key_out(request, key: AllocationKey) -> dict:
    kwargs = _pool_kwargs(key.pool)
    return {
        "programme": kwargs["programme"],
        "year": key.pool.programme_year.year,
        "pool": key.pool.slug,
        "amount_sek": key.amount_sek,
        "allocated_sek": key.allocated_sek or 0,
        "population_date": key.population_date,
        "total_population": key.total_population,
        "allocation_count": key.allocation_count,
        "published_at": key.frozen_at,
        "url": _url(request, "allocation_key", **kwargs),
        "allocations_url": _url(request, "allocations", **kwargs),
    }


def _redistribution_out(request, redistribution: Redistribution) -> dict:
    kwargs = _pool_kwargs(redistribution.pool)
    return {
        "programme": kwargs["programme"],
        "year": redistribution.pool.programme_year.year,
        "pool": redistribution.pool.slug,
        "allocated_sek": redistribution.allocated_sek,
        "requisitioned_sek": redistribution.requisitioned_sek,
        "unrequisitioned_sek": redistribution.unrequisitioned_sek,
        "redistributed_sek": redistribution.redistributed_sek,
        "unallocated_sek": redistribution.unallocated_sek,
        "population_date": redistribution.population_date,
        "confirmed_at": redistribution.confirmed_at,
        "share_count": redistribution.share_count,
        "url": _url(request, "redistribution", **kwargs),
        "shares_url": _url(request, "redistribution_shares", **kwargs),
    }


def _row_out(row) -> dict:
    """An allocation or a redistribution share: code, organisation, population, amount."""
    return {
        "code": row.code,
        "organisation": _organisation(row.organisation),
        "population": row.population,
        "amount_sek": row.amount_sek,
    }


# ------------------------------------------------------------------ shared list shapes


def _by_pool_page(request, programme: str, rows, limit: int, offset: int, out) -> dict:
    """A page of a programme's frozen objects (published keys, confirmed
    redistributions), one a pool, by year and pool."""
    found = _programme(programme)
    rows = rows.filter(pool__programme_year__programme=found)
    rows = rows.order_by("pool__programme_year__year", "pool__slug")
    return paginate(request, rows, limit, offset, lambda row: out(request, row))


def _frozen(request, response: HttpResponse, validators: Validators, fill, out):
    """A frozen object's answer: 304 to a conditional GET that still holds
    (before any query ``fill`` runs), else ``out()`` with ETag and
    Last-Modified."""
    if (early := validators.not_modified(request)) is not None:
        return early
    fill()
    validators.apply(response)
    return out()


def _frozen_rows(
    request, response: HttpResponse, tag: str, frozen, frozen_at, rows, limit: int, offset: int
):
    """A page of a frozen object's rows (allocations, shares) by code, each
    with its organisation. The ETag and Last-Modified are the freezing and
    the latest change to a named organisation."""
    rows = rows.select_related("organisation").order_by("code")
    changed = rows.aggregate(latest=Max("organisation__updated_at"))["latest"]
    parts = [tag, frozen.pk, frozen_at.timestamp(), changed and changed.timestamp()]
    return _frozen(
        request,
        response,
        Validators(request, parts, frozen_at, changed),
        lambda: None,
        lambda: paginate(request, rows, limit, offset, _row_out),
    )


# ------------------------------------------------------------------ programmes


@api.get(
    "/programmes",
    response={200: schemas.ProgrammePage, 404: schemas.Error, 422: schemas.ValidationErrors},
    url_name="programmes",
    tags=["programmes"],
)
def programmes(request, limit: int = Limit, offset: int = Offset):
    """Every programme (government assignment), newest first."""
    rows = Programme.objects.order_by("-first_year", "reference_number", "pk")
    return paginate(request, rows, limit, offset, lambda p: _programme_out(request, p))


@api.get(
    "/programmes/{programme}",
    response={200: schemas.ProgrammeDetail, **NOT_FOUND},
    url_name="programme",
    tags=["programmes"],
)
def programme(request, programme: str):
    """One programme with its years."""
    found = _programme(programme)
    out = _programme_out(request, found)
    out["description"] = found.description
    out["years"] = [
        {
            "year": y.year,
            "total_sek": y.total_sek,
            "url": _url(request, "programme_year", programme=found.slug, year=str(y.year)),
        }
        for y in found.years.order_by("year")
    ]
    out["allocation_keys_url"] = _url(request, "allocation_keys", programme=found.slug)
    out["redistributions_url"] = _url(request, "redistributions", programme=found.slug)
    return out


@api.get(
    "/programmes/{programme}/years/{year}",
    response={200: schemas.ProgrammeYear, **NOT_FOUND},
    url_name="programme_year",
    tags=["programmes"],
)
def programme_year(request, programme: str, year: str):
    """One year of a programme: its total, appropriation lines and pools."""
    found = _programme_year(programme, year)
    pools = _pools().filter(programme_year=found)
    return {
        "programme": found.programme.slug,
        "year": found.year,
        "total_sek": found.total_sek,
        "total_source": found.total_source,
        "appropriation_lines": [
            {
                "expenditure_area": line.expenditure_area,
                "appropriation": line.appropriation,
                "appropriation_item": line.appropriation_item,
                "name": line.name,
                "amount_sek": line.amount_sek,
            }
            for line in found.appropriation_lines.all()
        ],
        "pools": [_pool_out(request, pool) for pool in pools],
    }


@api.get(
    "/programmes/{programme}/years/{year}/pools",
    response={200: schemas.PoolPage, **NOT_FOUND},
    url_name="pools",
    tags=["pools"],
)
def pools(request, programme: str, year: str, limit: int = Limit, offset: int = Offset):
    """A year's pools, largest first (top-ups after the pools they top up)."""
    found = _programme_year(programme, year)
    rows = _pools().filter(programme_year=found).order_by("top_up_of_id", "-amount_sek", "slug")
    return paginate(request, rows, limit, offset, lambda p: _pool_out(request, p))


@api.get(
    "/programmes/{programme}/years/{year}/pools/{pool}",
    response={200: schemas.Pool, **NOT_FOUND},
    url_name="pool",
    tags=["pools"],
)
def pool(request, programme: str, year: str, pool: str):
    """One pool, with links to its published key, redistribution and grants."""
    return _pool_out(request, _pool(programme, year, pool))


# ------------------------------------------------------------------ allocation keys


def _keys():
    return (
        AllocationKey.objects.filter(status=KeyStatus.FROZEN)
        .select_related("pool__programme_year__programme")
        .annotate(
            allocation_count=Count("allocations"), allocated_sek=Sum("allocations__amount_sek")
        )
    )


@api.get(
    "/programmes/{programme}/allocation-keys",
    response={200: schemas.AllocationKeyPage, **NOT_FOUND},
    url_name="allocation_keys",
    tags=["allocation keys"],
)
def allocation_keys(request, programme: str, limit: int = Limit, offset: int = Offset):
    """A programme's published allocation keys by year and pool. Draft keys
    are never shown."""
    return _by_pool_page(request, programme, _keys(), limit, offset, _key_out)


@api.get(
    "/programmes/{programme}/years/{year}/pools/{pool}/allocation-key",
    response={200: schemas.AllocationKey, **FROZEN},
    url_name="allocation_key",
    tags=["allocation keys"],
)
def allocation_key(request, response: HttpResponse, programme: str, year: str, pool: str):
    """A pool's published allocation key. It never changes: ETag and
    Last-Modified, 304 to a conditional GET."""
    key = _key_of(programme, year, pool)
    validators = Validators(request, ["key", key.pk, key.frozen_at.timestamp()], key.frozen_at)

    def count_allocations() -> None:
        totals = key.allocations.aggregate(count=Count("id"), total=Sum("amount_sek"))
        key.allocation_count, key.allocated_sek = totals["count"], totals["total"]

    return _frozen(request, response, validators, count_allocations, lambda: _key_out(request, key))


@api.get(
    "/programmes/{programme}/years/{year}/pools/{pool}/allocation-key/allocations",
    response={200: schemas.AllocationPage, **FROZEN},
    url_name="allocations",
    tags=["allocation keys"],
)
def allocations(
    request,
    response: HttpResponse,
    programme: str,
    year: str,
    pool: str,
    limit: int = Limit,
    offset: int = Offset,
):
    """The organisations and amounts of a published key, by code. ETag and
    Last-Modified (the key's publication or the latest change to a named
    organisation), 304 to a conditional GET."""
    key = _key_of(programme, year, pool)
    return _frozen_rows(
        request, response, "allocations", key, key.frozen_at, key.allocations, limit, offset
    )


# ------------------------------------------------------------------ redistributions


def _redistributions():
    return Redistribution.objects.select_related("pool__programme_year__programme").annotate(
        share_count=Count("shares")
    )


@api.get(
    "/programmes/{programme}/redistributions",
    response={200: schemas.RedistributionPage, **NOT_FOUND},
    url_name="redistributions",
    tags=["redistributions"],
)
def redistributions(request, programme: str, limit: int = Limit, offset: int = Offset):
    """A programme's confirmed redistributions (omfördelningar) by year and pool."""
    return _by_pool_page(request, programme, _redistributions(), limit, offset, _redistribution_out)


@api.get(
    "/programmes/{programme}/years/{year}/pools/{pool}/redistribution",
    response={200: schemas.Redistribution, **FROZEN},
    url_name="redistribution",
    tags=["redistributions"],
)
def redistribution(request, response: HttpResponse, programme: str, year: str, pool: str):
    """A pool's confirmed redistribution. It never changes once confirmed:
    ETag and Last-Modified, 304 to a conditional GET."""
    found = _redistribution_of(programme, year, pool)
    parts = ["redistribution", found.pk, found.confirmed_at.timestamp()]
    validators = Validators(request, parts, found.confirmed_at)

    def count_shares() -> None:
        found.share_count = found.shares.count()

    return _frozen(
        request, response, validators, count_shares, lambda: _redistribution_out(request, found)
    )


@api.get(
    "/programmes/{programme}/years/{year}/pools/{pool}/redistribution/shares",
    response={200: schemas.RedistributionSharePage, **FROZEN},
    url_name="redistribution_shares",
    tags=["redistributions"],
)
def redistribution_shares(
    request,
    response: HttpResponse,
    programme: str,
    year: str,
    pool: str,
    limit: int = Limit,
    offset: int = Offset,
):
    """The opted-in organisations' shares of a confirmed redistribution, by code."""
    found = _redistribution_of(programme, year, pool)
    return _frozen_rows(
        request, response, "shares", found, found.confirmed_at, found.shares, limit, offset
    )


# ------------------------------------------------------------------ grants


def _paid_requisitions(pool: Pool):
    paid_on = (
        Payable.objects.filter(
            requisition=OuterRef("pk"),
            source=PayableSource.REQUISITION,
            status=PayableStatus.PAID,
        )
        .order_by("-paid_on")
        .values("paid_on")[:1]
    )
    return (
        Requisition.objects.filter(pool=pool, status=RequisitionStatus.PAID)
        .select_related("organisation", "redistribution_share")
        .annotate(paid_on=Subquery(paid_on))
        .order_by("organisation__name", "pk")
    )


def _decided_grants(pool: Pool):
    paid_on = Payable.objects.filter(
        source=PayableSource.GRANT,
        status=PayableStatus.PAID,
        reference=Concat(Value("grant:"), Cast(OuterRef("pk"), CharField())),
    ).values("paid_on")[:1]
    return (
        Decision.objects.filter(
            call__pool=pool,
            call__question_set__isnull=False,
            decided_at__isnull=False,
            amount_sek__gt=0,
        )
        .select_related("application__organisation")
        .annotate(paid_on=Subquery(paid_on))
        .order_by("application__organisation__name", "pk")
    )


@api.get(
    "/programmes/{programme}/years/{year}/pools/{pool}/grants",
    response={200: schemas.GrantPage, **NOT_FOUND},
    url_name="grants",
    tags=["grants"],
)
def grants(request, programme: str, year: str, pool: str, limit: int = Limit, offset: int = Offset):
    """What a pool has granted, by recipient: for a requisition pool its paid
    requisitions (with each one's redistributed share), for an application
    pool its decided grants (more than 0 kr). An agency-cost pool has none."""
    found = _pool(programme, year, pool)
    base = {
        "programme": found.programme_year.programme.slug,
        "year": found.programme_year.year,
        "pool": found.slug,
    }
    if found.kind == PoolKind.REQUISITION:

        def requisition(row: Requisition) -> dict:
            share = _related(row, "redistribution_share")
            return {
                **base,
                "id": f"requisition-{row.pk}",
                "type": "requisition",
                "recipient": _organisation(row.organisation),
                "case_number": row.case_number,
                "title": None,
                "amount_sek": row.amount_sek,
                "redistributed_sek": share.amount_sek if share else 0,
                "decided_on": None,
                "paid_on": row.paid_on,
            }

        return paginate(request, _paid_requisitions(found), limit, offset, requisition)
    if found.kind == PoolKind.APPLICATION:

        def decision(row: Decision) -> dict:
            application = row.application
            return {
                **base,
                "id": f"decision-{row.pk}",
                "type": "application",
                "recipient": _organisation(application.organisation),
                "case_number": application.case_number,
                "title": application.project_title or None,
                "amount_sek": row.amount_sek,
                "redistributed_sek": 0,
                "decided_on": clock.local_date(row.decided_at),
                "paid_on": row.paid_on,
            }

        return paginate(request, _decided_grants(found), limit, offset, decision)
    return paginate(request, Requisition.objects.none(), limit, offset, lambda row: {})
