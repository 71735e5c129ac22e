"""The uptake map (issue 19 §4): a public page per programme and year with
the kommuner (or regions) coloured by a measure, and the same numbers in a
sortable table after it. Everything is chosen in the query string, so the
form and the sort links work without JavaScript."""

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fordela.programmes.models import ProgrammeYear
from fordela.programmes.queries import programme_slug

from .. import measures, svgmap, uptake

LEVELS = {
    uptake.KOMMUNER: gettext_lazy("Municipalities (kommuner)"),
    uptake.REGIONER: gettext_lazy("Regions (regioner)"),
}
# The plural noun the summary sentence uses.
LEVEL_NOUNS = {
    uptake.KOMMUNER: gettext_lazy("kommuner"),
    uptake.REGIONER: gettext_lazy("regioner"),
}
# Ascending is the most urgent first (overdue, not approved, ... approved).
_STATUS_RANK = {key: i for i, key in enumerate(measures.STATUS_ORDER)}


def _name(row):
    return row.name.casefold()


# Sort keys a visitor may choose: (value, label). Missing values sort last.
SORTS = {
    "name": lambda row: (0, _name(row)),
    "county": lambda row: (0, row.county.casefold(), _name(row)),
    "population": lambda row: (row.population is None, row.population or 0, _name(row)),
    "allocated": lambda row: (row.allocated_sek is None, row.allocated_sek or 0, _name(row)),
    "requisitioned": lambda row: (row.allocated_sek is None, row.requisitioned_sek, _name(row)),
    "per_capita": lambda row: (row.per_capita_ore is None, row.per_capita_ore or 0, _name(row)),
    "share": lambda row: (row.share is None, row.share or 0, _name(row)),
    "status": lambda row: (row.status is None, _STATUS_RANK.get(row.status, 0), _name(row)),
}
SORT_CHOICES = [
    ("name", gettext_lazy("Name, A to Z")),
    ("-name", gettext_lazy("Name, Z to A")),
    ("county", gettext_lazy("County, A to Z")),
    ("-per_capita", gettext_lazy("Kronor per inhabitant, most first")),
    ("per_capita", gettext_lazy("Kronor per inhabitant, least first")),
    ("-share", gettext_lazy("Share requisitioned, largest first")),
    ("share", gettext_lazy("Share requisitioned, smallest first")),
    ("status", gettext_lazy("Report status, most urgent first")),
    ("-population", gettext_lazy("Population, largest first")),
    ("-requisitioned", gettext_lazy("Requisitioned, most first")),
]
CACHE_SECONDS = 600


def _sorted(rows, sort: str):
    field = sort.lstrip("-")
    key = SORTS[field]
    if not sort.startswith("-"):
        return sorted(rows, key=key)
    # Descending, but rows without data still last.
    present = [row for row in rows if not key(row)[0]]
    missing = [row for row in rows if key(row)[0]]
    return sorted(present, key=key, reverse=True) + sorted(missing, key=_name)


def _choice(request, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _map(programme_year, level: str, measure: str, labelledby: str) -> dict:
    """The rows, classes, SVG and summary; cached on the data's state, so a
    requisition, a report or the date changing gives a new map."""
    level_pools = uptake.pools(programme_year, level)
    state = f"{programme_year.pk}-{uptake.state(level_pools)}"
    cache_key = ":".join(["reporting-map", state, level, measure, get_language() or ""])

    def compute() -> dict:
        rows = uptake.rows(level_pools, level)
        klasses = measures.classify(measure, rows)
        return {
            "rows": rows,
            "klasses": klasses,
            "no_data_count": sum(1 for row in rows if row.klass is None),
            "svg": svgmap.render(level, measure, rows, klasses, labelledby),
            "summary": measures.summary(
                measure, rows, str(LEVEL_NOUNS[level]), programme_year.year
            ),
            "preliminary": any(
                hasattr(pool, "allocation_key") and not pool.allocation_key.is_frozen
                for pool in level_pools
            ),
        }

    return {**cache.get_or_set(cache_key, compute, CACHE_SECONDS), "state": state}


@require_GET
def uptake_map(request, programme: str, year: int):
    try:
        programme_year = ProgrammeYear.objects.select_related("programme").get(
            programme__slug=programme_slug(programme), year=year
        )
    except ProgrammeYear.DoesNotExist:
        raise Http404 from None
    level = _choice(request, "niva", LEVELS, uptake.KOMMUNER)
    measure = _choice(request, "matt", measures.MEASURES, measures.DEFAULT_MEASURE)
    sort = _choice(request, "sort", {s for f in SORTS for s in (f, f"-{f}")}, "name")
    context = _map(programme_year, level, measure, "karta-rubrik karta-sammanfattning")
    rows = context["rows"]
    context.update(
        {
            "programme": programme_year.programme,
            "programme_year": programme_year,
            "year": year,
            "level": level,
            "level_label": LEVELS[level],
            "levels": list(LEVELS.items()),
            "measure": measure,
            "measure_label": measures.MEASURES[measure],
            "measures": list(measures.MEASURES.items()),
            "sort": sort,
            # A sort chosen by a column's link stays selected in the form.
            "sort_choices": SORT_CHOICES
            if sort in dict(SORT_CHOICES)
            else [(sort, _("As chosen in the table")), *SORT_CHOICES],
            "cache_seconds": CACHE_SECONDS,
            "table_rows": [
                {
                    "row": row,
                    "per_capita": measures.per_capita_text(row.per_capita_ore),
                    "share": measures.share_text(row.share_permille),
                    "status": (
                        str(measures.STATUSES[row.status][0])
                        if row.status
                        else _("No follow-up report")
                    ),
                    "colour": None if row.klass is None else context["klasses"][row.klass].colour,
                }
                for row in _sorted(rows, sort)
            ],
            "years": list(
                programme_year.programme.years.values_list("year", flat=True).order_by("year")
            ),
        }
    )
    return render(request, "reporting/map/map.html", context)
