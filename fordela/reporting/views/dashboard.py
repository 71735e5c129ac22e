"""The staff dashboard (issue 19 §3): uptake per pool and year as bars with
the same numbers in a table, payments due and at risk, follow-up reports
outstanding and recovery outstanding, each figure linking to its list."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fordela.access.permissions import StaffAction, require_staff

from ..charts import Bar, Group, bar_chart
from ..dashboard import dashboard as figures


def _chart(year):
    groups = [
        Group(
            row.pool.name,
            (
                Bar(_("Organisations"), row.organisation_share, f"{row.organisation_share} %"),
                Bar(_("Money"), row.money_share, f"{row.money_share} %"),
            ),
        )
        for row in year.pools
    ]
    programme_year = year.programme_year
    title = _("Uptake %(year)s, %(programme)s") % {
        "year": programme_year.year,
        "programme": programme_year.programme.reference_number,
    }
    summary = _(
        "For each pool, the share of the organisations in its key that requisitioned "
        "and the share of the allocated money they requisitioned."
    )
    return bar_chart(f"uptake-{programme_year.pk}", title, summary, groups)


@login_required
@require_GET
def dashboard(request):
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    data = figures()
    years = [{"year": year, "chart": _chart(year)} for year in data.uptake]
    return render(request, "reporting/dashboard/dashboard.html", {"d": data, "years": years})
