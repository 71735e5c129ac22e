import io
import re

from django.core.cache import cache
from django.db.models import Count, Subquery, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from fordela.organisations.models import Organisation
from fordela.programmes.queries import programme_slug

from . import exports
from .models import AllocationKey

# Sort keys a visitor may choose, mapped to database ordering.
SORTS = {
    "name": ("organisation__name",),
    "-name": ("-organisation__name",),
    "code": ("code",),
    "-code": ("-code",),
    "county": ("organisation__county_name", "organisation__name"),
    "-county": ("-organisation__county_name", "organisation__name"),
    "population": ("population", "code"),
    "-population": ("-population", "code"),
    "amount": ("amount_sek", "code"),
    "-amount": ("-amount_sek", "code"),
}

# A published key never changes (PostgreSQL refuses, migration 0002), so the
# part of its page that depends only on the key, the län and the sort is
# rendered once and cached, and so are its CSV and XLSX files. Organisation
# names and län can still change (load_reference_data), so the cache key
# includes the latest change to any organisation. Draft keys and name searches
# are always rendered afresh.
PUBLISHED_CACHE_SECONDS = 60 * 60
COUNTY_CODE = re.compile(r"[0-9]{2}")


def _key_or_404(programme: str, year: int, pool: str) -> AllocationKey:
    latest_organisation_change = Organisation.objects.order_by("-updated_at").values("updated_at")[
        :1
    ]
    try:
        return (
            AllocationKey.objects.select_related("pool__programme_year__programme")
            .annotate(organisations_changed=Subquery(latest_organisation_change))
            .get(
                pool__programme_year__programme__slug=programme_slug(programme),
                pool__programme_year__year=year,
                pool__slug=pool,
            )
        )
    except AllocationKey.DoesNotExist:
        raise Http404 from None


def _published_cache_key(key: AllocationKey, *parts: str) -> str | None:
    """The cache key for something derived from a published key, or None for
    a draft (which is never cached)."""
    if not key.is_frozen:
        return None
    changed = key.organisations_changed.timestamp() if key.organisations_changed else 0
    return ":".join(
        ["allocation-key", str(key.pk), str(key.frozen_at.timestamp()), str(changed), *parts]
    )


def _cached(cache_key: str | None, compute):
    if cache_key is None:
        return compute()
    return cache.get_or_set(cache_key, compute, PUBLISHED_CACHE_SECONDS)


def _key_page_context(key: AllocationKey, county: str, query: str, sort: str) -> dict:
    rows = key.allocations.select_related("organisation")
    if county:
        rows = rows.filter(organisation__county_code=county)
    if query:
        rows = rows.filter(organisation__name__icontains=query)
    filtered = bool(county or query)
    counties = (
        key.allocations.exclude(organisation__county_name="")
        .values_list("organisation__county_code", "organisation__county_name")
        .distinct()
        .order_by("organisation__county_code")
    )
    # The footer shows the sum of the stored rows, not the key's nominal amount,
    # so a page that did not balance would show it.
    totals = key.allocations.aggregate(
        amount=Sum("amount_sek"), population=Sum("population"), count=Count("id")
    )
    shown_sum = (
        rows.aggregate(total=Sum("amount_sek"), population=Sum("population")) if filtered else None
    )
    return {
        "key": key,
        "pool": key.pool,
        "programme": key.pool.programme_year.programme,
        "rows": rows.order_by(*SORTS[sort]),
        "counties": counties,
        "county": county,
        "query": query,
        "sort": sort,
        "filtered": filtered,
        "shown_sum": shown_sum,
        "totals": totals,
    }


@require_GET
def key_detail(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    county = request.GET.get("lan", "")
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"

    def render_content() -> str:
        context = _key_page_context(key, county, query, sort)
        return render_to_string("allocation/includes/key_page.html", context, request)

    # The sort links carry the request's parameters, so only requests with
    # nothing but a valid län and a sort share a cached page.
    shareable = (
        not query
        and set(request.GET) <= {"lan", "sort"}
        and (not county or COUNTY_CODE.fullmatch(county))
    )
    cache_key = (
        _published_cache_key(key, "page", get_language(), county, sort) if shareable else None
    )
    content = mark_safe(_cached(cache_key, render_content))  # our template's output
    return render(
        request,
        "allocation/key_detail.html",
        {
            "key": key,
            "pool": key.pool,
            "programme": key.pool.programme_year.programme,
            "content": content,
        },
    )


@require_GET
def key_csv(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)

    def csv_text() -> str:
        buffer = io.StringIO()
        exports.write_csv(key, buffer)
        return buffer.getvalue()

    response = HttpResponse(
        _cached(_published_cache_key(key, "csv"), csv_text),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(key, "csv")}"'
    )
    return response


@require_GET
def key_xlsx(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    response = HttpResponse(
        _cached(_published_cache_key(key, "xlsx"), lambda: exports.xlsx_bytes(key)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(key, "xlsx")}"'
    )
    return response
