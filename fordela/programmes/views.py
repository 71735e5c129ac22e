from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Pool, Programme, ProgrammeYear


def programme_detail(request, slug: str):
    programme = get_object_or_404(
        Programme.objects.prefetch_related(
            Prefetch(
                "years",
                queryset=ProgrammeYear.objects.prefetch_related(
                    Prefetch(
                        "pools", queryset=Pool.objects.select_related("allocation_key", "top_up_of")
                    ),
                    "appropriation_lines",
                ),
            )
        ),
        slug=slug,
    )
    years = []
    for programme_year in programme.years.all():
        pools = list(programme_year.pools.all())
        lines = list(programme_year.appropriation_lines.all())
        pools_sum = sum(pool.amount_sek for pool in pools)
        lines_sum = sum(line.amount_sek for line in lines)
        total = programme_year.total_sek
        years.append(
            {
                "year": programme_year,
                "pools": pools,
                "lines": lines,
                "pools_sum": pools_sum,
                "lines_sum": lines_sum,
                # decisions.md 10: show what the pools and lines leave unassigned.
                "pools_unassigned": None if total is None else total - pools_sum,
                "lines_unassigned": None if total is None or not lines else total - lines_sum,
            }
        )
    return render(request, "programmes/detail.html", {"programme": programme, "years": years})
