"""The administrative costs of a programme year (issue 19 §1): the cost
pools with what is booked and left, the entries, and for ekonomi the form
that books one more."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fordela.access.permissions import StaffAction, can_staff, require_staff
from fordela.core.formatting import kronor
from fordela.programmes.models import ProgrammeYear

from ..costs import cost_pools, record_cost
from ..forms import CostEntryForm
from ..models import CostEntry


@login_required
def index(request):
    """The programme years whose costs can be read (and booked)."""
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    years = ProgrammeYear.objects.select_related("programme").order_by(
        "programme__reference_number", "year"
    )
    return render(request, "reporting/costs/index.html", {"years": years})


@login_required
@require_http_methods(["GET", "POST"])
def costs(request, slug: str, year: int):
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    programme_year = get_object_or_404(
        ProgrammeYear.objects.select_related("programme"), programme__slug=slug, year=year
    )
    may_book = can_staff(request.user, StaffAction.RECORD_COSTS) and not programme_year.costs_closed
    pools = cost_pools(programme_year).select_related("appropriation_line")
    form = CostEntryForm(request.POST or None, pools=pools)
    if request.method == "POST":
        require_staff(request.user, StaffAction.RECORD_COSTS)
        if form.is_valid():
            try:
                entry = record_cost(
                    request.user,
                    form.cleaned_data["pool"],
                    booked_on=form.cleaned_data["booked_on"],
                    amount_sek=form.cleaned_data["amount_sek"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("%(amount)s was booked on %(pool)s.")
                    % {"amount": kronor(entry.amount_sek), "pool": entry.pool.name},
                )
                return redirect("reporting:costs", slug=slug, year=year)
    booked = dict(
        CostEntry.objects.filter(pool__in=pools)
        .values("pool")
        .annotate(total=Sum("amount_sek"))
        .values_list("pool", "total")
    )
    rows = [
        {
            "pool": pool,
            "booked": booked.get(pool.pk, 0),
            "left": pool.amount_sek - booked.get(pool.pk, 0),
        }
        for pool in pools
    ]
    entries = CostEntry.objects.filter(pool__in=pools).select_related(
        "pool", "appropriation_line", "created_by"
    )
    return render(
        request,
        "reporting/costs/costs.html",
        {
            "programme_year": programme_year,
            "rows": rows,
            "total": sum(row["pool"].amount_sek for row in rows),
            "total_booked": sum(row["booked"] for row in rows),
            "total_left": sum(row["left"] for row in rows),
            "entries": entries,
            "form": form if may_book else None,
        },
    )
