"""The national report page (issue 19 §2) and its XLSX file, for the
agency's readers of the ledger (READ_REQUISITIONS)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fordela.access.permissions import StaffAction, can_staff, require_staff
from fordela.core import clock
from fordela.core.exports import xlsx_response
from fordela.programmes.models import Programme

from .. import exports, jobs, narrative
from ..national import programme_report


def _years(request, programme: Programme) -> tuple[list[int], int | None]:
    """All the programme's years, or the one ``?ar=`` names (any whole
    number of four digits; a year without data shows an empty report)."""
    value = request.GET.get("ar", "").strip()
    if value.isdigit() and len(value) == 4:
        return [int(value)], int(value)
    return list(range(programme.first_year, programme.last_year + 1)), None


@login_required
@require_GET
def report(request, slug: str):
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    programme = get_object_or_404(Programme, slug=slug)
    years, chosen = _years(request, programme)
    return render(
        request,
        "reporting/national/report.html",
        {
            "programme": programme,
            "years": programme_report(programme, years),
            "all_years": range(programme.first_year, programme.last_year + 1),
            "chosen": chosen,
            "today": clock.today(),
            "narrative": narrative.current(programme),
            "latest_job": jobs.latest(jobs.NATIONAL_REPORT, jobs.national_subject(programme)),
        },
    )


@login_required
@require_GET
def report_xlsx(request, slug: str):
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    programme = get_object_or_404(Programme, slug=slug)
    years, _chosen = _years(request, programme)
    content = exports.national_xlsx(programme, programme_report(programme, years))
    return xlsx_response(exports.national_filename(programme), content)


@login_required
@require_GET
def report_pdf(request, slug: str):
    """The economic report as a PDF in the agency's letter layout, with the
    decision's diarienummer and the date (always Swedish)."""
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    programme = get_object_or_404(Programme, slug=slug)
    years, _chosen = _years(request, programme)
    content = exports.national_pdf(programme, programme_report(programme, years))
    response = HttpResponse(content, content_type="application/pdf")
    filename = exports.national_pdf_filename(programme)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("The report's text"),
        help_text=gettext_lazy(
            "A summary of the development, from the recipients' reports. "
            "Each save is kept as a new version."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=narrative.TEXT_LIMIT,
    )


@login_required
@require_http_methods(["GET", "POST"])
def narrative_page(request, slug: str):
    """The report's free text with its versions; handläggare and
    beslutsfattare save a new version."""
    require_staff(request.user, StaffAction.READ_REQUISITIONS)
    programme = get_object_or_404(Programme, slug=slug)
    may_write = can_staff(request.user, StaffAction.WRITE_NARRATIVE)
    latest = narrative.current(programme)
    form = NarrativeForm(request.POST or None, initial={"text": latest.text if latest else ""})
    if request.method == "POST":
        require_staff(request.user, StaffAction.WRITE_NARRATIVE)
        if form.is_valid():
            try:
                version = narrative.save_narrative(
                    request.user, programme, form.cleaned_data["text"]
                )
            except ValidationError as error:
                for problem in error.message_dict.get("text", error.messages):
                    form.add_error("text", problem)
            else:
                messages.success(
                    request, _("Version %(number)s was saved.") % {"number": version.number}
                )
                return redirect("reporting:national_text", slug=slug)
    return render(
        request,
        "reporting/national/narrative.html",
        {
            "programme": programme,
            "versions": programme.narrative_versions.select_related("created_by"),
            "form": form if may_write else None,
        },
    )
