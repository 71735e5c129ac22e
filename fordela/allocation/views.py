import re

from django.core.cache import cache
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from fordela.core.exports import csv_response, xlsx_response
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
# The sorts the filter form offers (the column headers' links give the same):
# on a phone, where the table's rows are cards, the form is how one sorts.
SORT_CHOICES = [
    ("name", _("Organisation, A to Z")),
    ("-name", _("Organisation, Z to A")),
    ("code", _("Code, lowest first")),
    ("-code", _("Code, highest first")),
    ("county", _("County, A to Z")),
    ("-county", _("County, Z to A")),
    ("-population", _("Population, largest first")),
    ("population", _("Population, smallest first")),
    ("-amount", _("Amount, largest first")),
    ("amount", _("Amount, smallest first")),
]
assert {value for value, _label in SORT_CHOICES} == set(SORTS)

# A published key never changes (PostgreSQL refuses, migration 0002), so its
# page's table is cached with Django's cache framework (``{% cache %}`` in
# allocation/key_detail.html, keyed on the key's id and publication time, the
# language, the län and the sort) and its downloads are cached likewise. The
# names around the key (organisation, pool, programme) can still be edited;
# such an edit shows on published keys within PUBLISHED_CACHE_SECONDS. Draft
# keys and name searches are never cached.
PUBLISHED_CACHE_SECONDS = 60
COUNTY_CODE = re.compile(r"[0-9]{2}")


def _key_or_404(programme: str, year: int, pool: str) -> AllocationKey:
    try:
        return AllocationKey.objects.select_related("pool__programme_year__programme").get(
            pool__programme_year__programme__slug=programme_slug(programme),
            pool__programme_year__year=year,
            pool__slug=pool,
        )
    except AllocationKey.DoesNotExist:
        raise Http404 from None


def _published_cache_key(key: AllocationKey, *parts: str) -> str | None:
    """The cache key for a download of a published key, or None for a draft
    (which is never cached)."""
    if not key.is_frozen:
        return None
    return ":".join(["allocation-key", str(key.pk), str(key.frozen_at.timestamp()), *parts])


def _cached(cache_key: str | None, compute):
    if cache_key is None:
        return compute()
    return cache.get_or_set(cache_key, compute, PUBLISHED_CACHE_SECONDS)


def _key_page_context(key: AllocationKey, county: str, query: str, sort: str) -> dict:
    """The table's context. Its queries are lazy (querysets, and callables
    the template calls), so a page served from the cache runs none of them."""
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

    def totals() -> dict:
        # The sum of the stored rows, not the key's nominal amount, so a page
        # that did not balance would show it.
        return key.allocations.aggregate(
            amount=Sum("amount_sek"), population=Sum("population"), count=Count("id")
        )

    def shown_sum() -> dict | None:
        if not filtered:
            return None
        return rows.aggregate(total=Sum("amount_sek"), population=Sum("population"))

    return {
        "key": key,
        "pool": key.pool,
        "programme": key.pool.programme_year.programme,
        "rows": rows.order_by(*SORTS[sort]),
        "counties": counties,
        "county": county,
        "query": query,
        "sort": sort,
        "sort_choices": SORT_CHOICES,
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
    # The sort links carry the request's parameters, so only requests with
    # nothing but a valid län and a sort share a cached table.
    shareable = (
        not query
        and set(request.GET) <= {"lan", "sort"}
        and (not county or COUNTY_CODE.fullmatch(county))
    )
    context = _key_page_context(key, county, query, sort)
    context["cache_seconds"] = PUBLISHED_CACHE_SECONDS if key.is_frozen and shareable else None
    return render(request, "allocation/key_detail.html", context)


@require_GET
def key_csv(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    rows = _cached(_published_cache_key(key, "csv-rows"), lambda: exports.rows(key))
    return csv_response(exports.export_filename(key, "csv"), exports.HEADER, rows)


@require_GET
def key_xlsx(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    content = _cached(_published_cache_key(key, "xlsx"), lambda: exports.xlsx_bytes(key))
    return xlsx_response(exports.export_filename(key, "xlsx"), content)
