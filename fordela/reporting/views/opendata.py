"""Open data, public (no login): the "Öppna data" page, each programme
year's 360Giving package (JSON) and CSV, and the DCAT-AP-SE catalogue
(RDF/XML) that dataportal.se harvests (docs/reporting.md, "Open data")."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fordela.access.permissions import StaffAction, can_staff
from fordela.programmes.models import ProgrammeYear

from .. import dcat, opendata

# A programme year is a four-digit year; anything longer is no year at all
# (and would not fit the column), so it is a 404 before any query.
MAX_YEAR = 9999


def _programme_year(slug: str, year: int) -> ProgrammeYear:
    if year > MAX_YEAR:
        raise Http404
    try:
        return opendata.programme_year(slug, year)
    except ProgrammeYear.DoesNotExist:
        raise Http404 from None


def _filename(py: ProgrammeYear, extension: str) -> str:
    return f"360giving-{py.programme.slug}-{py.year}.{extension}"


@require_GET
def index(request):
    entries = opendata.published()
    programmes: dict = {}
    for entry in entries:
        programmes.setdefault(entry.programme_year.programme, []).append(entry)
    return render(
        request,
        "reporting/opendata/index.html",
        {
            "programmes": list(programmes.items()),
            "prefix": opendata.prefix(),
            "licence": opendata.DATA_LICENCE,
            # The agency's readers of the ledger build the files as a job.
            "may_build": request.user.is_authenticated
            and can_staff(request.user, StaffAction.READ_REQUISITIONS),
        },
    )


@require_GET
def package_json(request, slug: str, year: int):
    py = _programme_year(slug, year)
    rows = opendata.grant_rows(py)
    if not rows:
        # The 360Giving schema requires at least one grant: say so instead.
        return render(request, "reporting/opendata/empty.html", {"programme_year": py}, status=404)
    response = HttpResponse(
        opendata.package_json(opendata.package(py, rows)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(py, "json")}"'
    return response


@require_GET
def package_csv(request, slug: str, year: int):
    """The same rows as the package; a year without paid grants is the
    heading line alone."""
    py = _programme_year(slug, year)
    response = HttpResponse(
        opendata.csv_text(opendata.grant_rows(py)).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(py, "csv")}"'
    return response


@require_GET
def catalogue(request):
    """Read by harvesters, shown as it is: no download disposition."""
    return HttpResponse(dcat.catalogue_rdf(), content_type="application/rdf+xml; charset=utf-8")
