"""Follow-up report pages: the organisation's list, the form with autosave,
the check page with the submission, the receipt; the handläggare's list and
case page. Views parse input, call one service and render."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.models import Membership, OrganisationRole
from fordela.access.permissions import (
    Action,
    StaffAction,
    can_staff,
    organisation_role,
    require_staff,
    role_can,
)
from fordela.audit.services import events_for
from fordela.core import clock
from fordela.core.autosave import answer as autosave_answer
from fordela.core.autosave import refused as autosave_refused
from fordela.core.confirm import confirmation
from fordela.core.exports import csv_response, xlsx_response
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation
from fordela.programmes.models import Pool, Programme
from fordela.regional.rollup import for_report as regional_subgrants

from . import exports, review, services
from .forms import ContactForm, ReportAnswersForm, ReviewForm, StaffFilterForm
from .models import EDITABLE, Report, ReportSection, ReportStatus, ReviewKind

# --------------------------------------------------------------- organisation


def _report_for_member(request, pk: int) -> Report:
    """The report, with the user's role in its organisation as
    ``member_role`` (in the same query); 403 for anyone else."""
    role = Membership.objects.filter(
        user=request.user, organisation=OuterRef("organisation")
    ).order_by()
    report = get_object_or_404(
        Report.objects.select_related("organisation", "pool__programme_year", "form").annotate(
            member_role=Subquery(role.values("role")[:1])
        ),
        pk=pk,
    )
    if report.member_role is None:
        raise PermissionDenied
    report.member_role = OrganisationRole(report.member_role)
    return report


@login_required
@require_GET
def organisation_reports(request, organisation_id: int):
    """Every follow-up report of the organisation, with its status and due
    date (its members and the agency's readers)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if organisation_role(request.user, organisation) is None:
        require_staff(request.user, StaffAction.READ_REPORTS)
    reports = (
        Report.objects.filter(organisation=organisation)
        .select_related("pool__programme_year")
        .order_by("-year", "due_on", "pk")
    )
    return render(
        request,
        "reports/organisation.html",
        {"organisation": organisation, "reports": reports},
    )


def _initial(report: Report) -> dict:
    initial = {key: report.answers.get(key, "") for key in _keys(report)}
    initial["used_sek"] = report.used_sek
    initial["economy_comment"] = report.economy_comment
    return initial


def _keys(report: Report) -> list[str]:
    return [q["key"] for q in report.form.questions]


def _render_edit(request, report, form, status=200):
    return render(
        request,
        "reports/edit.html",
        {
            "report": report,
            "form": form,
            "may_submit": role_can(report.member_role, Action.SUBMIT_CASE),
            "may_change_contact": role_can(report.member_role, Action.CHANGE_CONTACT_PERSON),
            "completion": _open_completion(report),
            "subgrants": regional_subgrants(report),
        },
        status=status,
    )


def _open_completion(report: Report):
    """The completion request the organisation is answering, if any."""
    if report.status != ReportStatus.COMPLETION_REQUESTED:
        return None
    return report.reviews.filter(kind=ReviewKind.COMPLETION).order_by("-pk").first()


def _changes(report: Report, form) -> dict:
    """What was posted, as the service reads it: every field of the form."""
    return {
        name: form.data.get(name, "") for name in [*_keys(report), "used_sek", "economy_comment"]
    }


def _save(request, report, form) -> bool:
    saved = services.save_draft(request.user, report, _changes(report, form))
    form.is_valid()
    form.drop_required()
    # The service's rules are the ones shown (the form's own parsing of an
    # amount says the same): one message per problem.
    for name in saved.problems:
        form.errors.pop(name, None)
    form.add_problems(saved.problems)
    return not saved.problems


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    report = _report_for_member(request, pk)
    if not report.is_editable:
        return redirect("reports:receipt", report.pk)
    if request.method == "GET":
        return _render_edit(request, report, ReportAnswersForm(report, initial=_initial(report)))
    form = ReportAnswersForm(report, request.POST)
    try:
        complete = _save(request, report, form)
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return _render_edit(request, report, form, status=400)
    if not complete:
        return _render_edit(request, report, form, status=400)
    if request.POST.get("action") == "check":
        return redirect("reports:check", report.pk)
    messages.success(request, _("The report has been saved."))
    return redirect("reports:edit", report.pk)


@login_required
@require_POST
def autosave(request, pk: int):
    """The form's script posts here while the user types: every answer that
    keeps its rules is saved; the others are named beside their fields."""
    report = _report_for_member(request, pk)
    form = ReportAnswersForm(report, request.POST)
    try:
        _save(request, report, form)
    except ValidationError as error:
        return autosave_refused(error)
    return autosave_answer(form)


def answer_sections(report: Report, answers: dict | None = None) -> list[dict]:
    """The report's questions and answers by section, for the check page,
    the receipt and the case page."""
    answers = report.answers if answers is None else answers
    labels = dict(ReportSection.choices)
    sections: dict[str, dict] = {}
    for question in report.form.questions:
        section = sections.setdefault(
            question["section"],
            {"key": question["section"], "title": labels.get(question["section"]), "rows": []},
        )
        section["rows"].append(
            {
                "key": question["key"],
                "text": question["text"],
                "answer": answers.get(question["key"]),
            }
        )
    return list(sections.values())


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """Everything in the report, what is missing, and (ombud, representant)
    the submission after a confirmation."""
    report = _report_for_member(request, pk)
    if not report.is_editable:
        return redirect("reports:receipt", report.pk)
    may_submit = role_can(report.member_role, Action.SUBMIT_CASE)
    problems = services.missing(report)
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        if not problems:
            page = confirmation(
                request,
                title=_("Submit the follow-up report?"),
                consequences=[
                    _("The report is sent to Socialstyrelsen and can no longer be changed."),
                    _("Unused money, %(unused)s, is to be repaid.")
                    % {"unused": kronor(report.received_sek - report.used_sek)},
                    _("A receipt is sent by e-mail."),
                ],
                button=_("Yes, submit the report"),
                cancel_url=reverse("reports:check", args=[report.pk]),
                facts=[
                    (_("Case number"), report.case_number),
                    (_("Organisation"), report.organisation.name),
                    (_("Received"), kronor(report.received_sek)),
                    (_("Used"), kronor(report.used_sek)),
                ],
            )
            if page:
                return page
            try:
                services.submit_report(request.user, report)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("reports:check", report.pk)
            return redirect("reports:receipt", report.pk)
    labels = {q["key"]: q["text"] for q in report.form.questions}
    labels.update(
        {
            "activities": str(ReportSection.ACTIVITIES.label),
            "used_sek": _("Used in the grant year (kr)"),
        }
    )
    return render(
        request,
        "reports/check.html",
        {
            "report": report,
            "sections": answer_sections(report),
            "missing": [(labels.get(key, ""), texts) for key, texts in problems.items()],
            "may_submit": may_submit,
            "subgrants": regional_subgrants(report),
            "may_change_contact": role_can(report.member_role, Action.CHANGE_CONTACT_PERSON),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def receipt(request, pk: int):
    report = _report_for_member(request, pk)
    if report.is_editable and not report.submission_count:
        return redirect("reports:edit", report.pk)
    return render(
        request,
        "reports/receipt.html",
        {
            "report": report,
            "sections": answer_sections(report),
            "subgrants": regional_subgrants(report),
            "may_change_contact": role_can(report.member_role, Action.CHANGE_CONTACT_PERSON),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk: int):
    """Change the report's contact person (CHANGE_CONTACT_PERSON)."""
    report = _report_for_member(request, pk)
    if not role_can(report.member_role, Action.CHANGE_CONTACT_PERSON):
        raise PermissionDenied
    back = reverse("reports:edit" if report.is_editable else "reports:receipt", args=[report.pk])
    if request.method == "GET":
        form = ContactForm(
            initial={
                "contact_name": report.contact_name,
                "contact_email": report.contact_email,
                "contact_phone": report.contact_phone,
            }
        )
        return render(
            request, "reports/contact.html", {"report": report, "form": form, "back": back}
        )
    form = ContactForm(request.POST)
    form.is_valid()
    try:
        services.change_contact(
            request.user,
            report,
            form.cleaned_data.get("contact_name", ""),
            form.cleaned_data.get("contact_email", ""),
            form.cleaned_data.get("contact_phone", ""),
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return render(
            request,
            "reports/contact.html",
            {"report": report, "form": form, "back": back},
            status=400,
        )
    messages.success(request, _("The contact person has been changed."))
    return redirect(back)


@require_GET
def contact_link(request, token: str):
    """The link e-mailed to the contact person. While it is current it leads
    to the report page (which still asks for a login with the FILL_IN right);
    once the contact person has been changed, or the link is older than the
    report period, a page says why it no longer works and what to do (410).
    An altered link names no report (404). Opening it changes nothing."""
    opened = services.open_contact_link(token)
    if opened.report is not None and not opened.problem:
        return redirect("reports:edit", opened.report.pk)
    report = opened.report
    login_url = reverse(settings.LOGIN_URL)
    if report is not None:
        login_url += "?" + urlencode({"next": reverse("reports:edit", args=[report.pk])})
    return render(
        request,
        "reports/link_gone.html",
        {
            "report": report,
            "problem": opened.problem,
            "sent_at": opened.sent_at,
            "valid_until": opened.valid_until,
            "login_url": login_url,
        },
        status=404 if report is None else 410,
    )


# ------------------------------------------------------------- handläggare


def _filtered(request):
    """The reports the handläggare's filters choose, the filter form, and
    what the filters say (for the XLSX file's heading)."""
    form = StaffFilterForm(request.GET or None)
    years = Report.objects.order_by("-year").values_list("year", flat=True).distinct()
    form.fields["year"].choices = [("", _("All")), *[(y, y) for y in years]]
    pools = (
        Pool.objects.filter(follow_up_reports__isnull=False)
        .select_related("programme_year")
        .distinct()
        .order_by("-programme_year__year", "name", "pk")
    )
    form.fields["pool"].choices = [("", _("All")), *[(p.pk, str(p)) for p in pools]]
    programmes = Programme.objects.filter(years__pools__follow_up_reports__isnull=False).distinct()
    form.fields["programme"].choices = [("", _("All")), *[(p.pk, str(p)) for p in programmes]]
    rows = Report.objects.select_related(
        "organisation", "pool__programme_year__programme"
    ).order_by("-year", "organisation__name", "pk")
    meta = []
    if form.is_valid():
        data = form.cleaned_data
        if data["programme"]:
            rows = rows.filter(pool__programme_year__programme_id=data["programme"])
            meta.append(
                ("Program", dict(form.fields["programme"].choices).get(data["programme"], ""))
            )
        if data["year"]:
            rows = rows.filter(year=data["year"])
            meta.append(("Bidragsår", data["year"]))
        if data["pool"]:
            rows = rows.filter(pool_id=data["pool"])
            meta.append(("Pott", dict(form.fields["pool"].choices).get(data["pool"], "")))
        if data["status"]:
            rows = rows.filter(status=data["status"])
            with translation.override("sv"):
                meta.append(("Status", str(ReportStatus(data["status"]).label)))
        if data["overdue"]:
            rows = rows.filter(status__in=EDITABLE, due_on__lt=clock.today())
            meta.append(("Försenade", "Ja"))
        if data["unused"]:
            rows = rows.filter(unused_sek__gt=0)
            meta.append(("Ej använt > 0", "Ja"))
    return form, rows, meta


@login_required
@require_GET
def staff_reports(request):
    require_staff(request.user, StaffAction.READ_REPORTS)
    form, rows, _meta = _filtered(request)
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    totals = rows.order_by().aggregate(received=Sum("received_sek"), unused=Sum("unused_sek"))
    overdue = rows.filter(status__in=EDITABLE, due_on__lt=clock.today()).count()
    return render(
        request,
        "reports/staff_list.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query": request.GET.urlencode(),
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in ReportStatus.choices
            ],
            "overdue_count": overdue,
            "totals": totals,
        },
    )


@login_required
@require_GET
def staff_reports_csv(request):
    require_staff(request.user, StaffAction.READ_REPORTS)
    _form, rows, _meta = _filtered(request)
    return csv_response(exports.filename("csv"), exports.HEADER, exports.rows(rows))


@login_required
@require_GET
def staff_reports_xlsx(request):
    require_staff(request.user, StaffAction.READ_REPORTS)
    _form, rows, meta = _filtered(request)
    return xlsx_response(exports.filename("xlsx"), exports.xlsx(rows, meta))


def _render_case(request, report: Report, form=None, status: int = 200):
    submissions = list(report.submissions.select_related("submitted_by").order_by("number"))
    previous, current = (submissions[-2], submissions[-1]) if len(submissions) > 1 else (None, None)
    may_review = can_staff(request.user, StaffAction.REVIEW_REPORTS)
    return render(
        request,
        "reports/staff_case.html",
        {
            "report": report,
            "sections": answer_sections(report),
            "submissions": submissions,
            "changed": review.changes(previous, current, report.form.questions),
            "previous": previous,
            "reviews": report.reviews.select_related("created_by", "submission"),
            "reminders": report.reminders.all(),
            "events": events_for(report),
            "may_review": may_review and report.status == ReportStatus.SUBMITTED,
            "review_form": form or ReviewForm(),
            "subgrants": regional_subgrants(report),
        },
        status=status,
    )


def _staff_report(pk: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("organisation", "pool__programme_year", "form"), pk=pk
    )


@login_required
@require_GET
def staff_case(request, pk: int):
    require_staff(request.user, StaffAction.READ_REPORTS)
    return _render_case(request, _staff_report(pk))


@login_required
@require_POST
def staff_review(request, pk: int):
    """The handläggare's review: a completion request (reason, new
    deadline), or, after a confirmation, approval or rejection."""
    require_staff(request.user, StaffAction.REVIEW_REPORTS)
    report = _staff_report(pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_case(request, report, form, status=400)
    data = form.cleaned_data
    action = data["action"]
    # Approving and rejecting cannot be undone: asked first, once the service
    # would accept it (a refusal is shown without the question).
    answerable = report.status == ReportStatus.SUBMITTED
    if answerable and (action == "approve" or (action == "reject" and data["reason"].strip())):
        page = confirmation(
            request,
            title=_("Approve the follow-up report?")
            if action == "approve"
            else _("Reject the follow-up report?"),
            consequences=[
                _("The organisation is told by e-mail. This cannot be undone."),
                _("Unused money, %(unused)s, is to be repaid.")
                % {"unused": kronor(report.unused_sek)},
            ],
            button=_("Yes, approve the report")
            if action == "approve"
            else _("Yes, reject the report"),
            cancel_url=reverse("reports:staff_case", args=[report.pk]),
            facts=[
                (_("Case number"), report.case_number),
                (_("Organisation"), report.organisation.name),
                (_("Received"), kronor(report.received_sek)),
                (_("Used"), kronor(report.used_sek)),
            ],
        )
        if page:
            return page
    try:
        if action == "completion":
            review.request_completion(request.user, report, data["reason"], data["new_due_on"])
            done = _("Completion has been requested. The organisation is told by e-mail.")
        elif action == "approve":
            review.approve_report(request.user, report, data["reason"])
            done = _("The report has been approved.")
        else:
            review.reject_report(request.user, report, data["reason"])
            done = _("The report has been rejected.")
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_case(request, report, form, status=400)
    messages.success(request, done)
    return redirect("reports:staff_case", report.pk)
