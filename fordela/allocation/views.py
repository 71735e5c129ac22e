import io

from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fordela.programmes.models import Pool
from fordela.programmes.queries import find_pool

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


def _key_or_404(programme: str, year: int, pool: str) -> AllocationKey:
    try:
        found = find_pool(programme, year, pool)
        return AllocationKey.objects.select_related("pool__programme_year__programme").get(
            pool=found
        )
    except (Pool.DoesNotExist, AllocationKey.DoesNotExist):
        raise Http404 from None


@require_GET
def key_detail(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    rows = key.allocations.select_related("organisation")
    counties = (
        key.allocations.exclude(organisation__county_name="")
        .values_list("organisation__county_code", "organisation__county_name")
        .distinct()
        .order_by("organisation__county_code")
    )
    county = request.GET.get("lan", "")
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    if county:
        rows = rows.filter(organisation__county_code=county)
    if query:
        rows = rows.filter(organisation__name__icontains=query)
    filtered = bool(county or query)
    # The footer shows the sum of the stored rows, not the key's nominal amount,
    # so a page that did not balance would show it.
    totals = key.allocations.aggregate(
        amount=Sum("amount_sek"), population=Sum("population"), count=Count("id")
    )
    shown_sum = (
        rows.aggregate(total=Sum("amount_sek"), population=Sum("population")) if filtered else None
    )
    return render(
        request,
        "allocation/key_detail.html",
        {
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
        },
    )


@require_GET
def key_csv(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    buffer = io.StringIO()
    exports.write_csv(key, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(key, "csv")}"'
    )
    return response


@require_GET
def key_xlsx(request, programme: str, year: int, pool: str):
    key = _key_or_404(programme, year, pool)
    response = HttpResponse(
        exports.xlsx_bytes(key),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(key, "xlsx")}"'
    )
    return response
