"""Pages after a regional decision (issue 20 §4): the grantee's report (form,
check and submit, receipt), the region's list of reports and its review, the
invoice and its payment, the round's invoices with CSV/XLSX. Views parse
input, call one service and render; every staff page loads its round through
``regional.access.round_for`` (another region's staff: 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.permissions import (
    Action,
    RegionalAction,
    organisation_role,
    regional_can,
    regional_roles,
    role_can,
)
from fordela.audit.services import events_for
from fordela.core.autosave import answer as autosave_answer
from fordela.core.autosave import refused as autosave_refused
from fordela.core.confirm import confirmation
from fordela.core.exports import csv_response, xlsx_response
from fordela.core.formatting import kronor
from fordela.reports.models import EDITABLE, ReportStatus
from fordela.reports.services import missing
from fordela.reports.views import answer_sections

from .. import exports_after
from ..access import round_for
from ..forms_after import GranteeReportForm, InvoiceForm, PaymentForm, SubGrantReviewForm
from ..models import InvoiceKind, SubGrantInvoice, SubGrantReport
from ..services import invoices, reports
from ..services.invoices import invoice_kind

REPORT_RELATED = (
    "decision__application__organisation",
    "decision__round__region",
    "decision__round__programme_year",
    "form",
    "submitted_by",
    "reviewed_by",
)

# ------------------------------------------------------------- the grantee


def _grantee_report(request, pk: int) -> SubGrantReport:
    """The report with the user's role in the grantee as ``member_role``;
    403 for anyone who is not a member of the organisation that applied."""
    report = get_object_or_404(SubGrantReport.objects.select_related(*REPORT_RELATED), pk=pk)
    report.member_role = organisation_role(request.user, reports.grantee_of(report))
    if report.member_role is None:
        raise PermissionDenied
    return report


def _keys(report) -> list[str]:
    return [q["key"] for q in report.form.questions]


def _initial(report) -> dict:
    initial = {key: report.answers.get(key, "") for key in _keys(report)}
    initial["used_sek"] = report.used_sek
    initial["economy_comment"] = report.economy_comment
    return initial


def _render_form(request, report, form, status=200):
    return render(
        request,
        "regional/after/report_form.html",
        {
            "report": report,
            "form": form,
            "may_submit": role_can(report.member_role, Action.SUBMIT_CASE),
        },
        status=status,
    )


def _save(request, report, form) -> None:
    """Save every field of the form as posted; the service's problems are
    shown beside their fields, one message each."""
    fields = [*_keys(report), "used_sek", "economy_comment"]
    changes = {name: form.data.get(name, "") for name in fields}
    saved = reports.save_draft(request.user, report, changes)
    form.is_valid()
    form.drop_required()
    for name in saved.problems:
        form.errors.pop(name, None)
    form.add_problems(saved.problems)


@login_required
@require_http_methods(["GET", "POST"])
def grantee_report(request, pk: int):
    """The report form: the engine's questions, then the economic statement
    (granted is read-only; used is typed; unused is the server's)."""
    report = _grantee_report(request, pk)
    if report.status not in EDITABLE:
        return redirect("regional:grantee_report_receipt", report.pk)
    if request.method == "GET":
        return _render_form(request, report, GranteeReportForm(report, initial=_initial(report)))
    form = GranteeReportForm(report, request.POST)
    try:
        _save(request, report, form)
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return _render_form(request, report, form, status=400)
    if form.errors:
        return _render_form(request, report, form, status=400)
    if request.POST.get("action") == "check":
        return redirect("regional:grantee_report_check", report.pk)
    messages.success(request, _("The report has been saved."))
    return redirect("regional:grantee_report", report.pk)


@login_required
@require_POST
def grantee_report_autosave(request, pk: int):
    """The form's script posts here while the grantee types: every answer
    that keeps its rules is saved; the others are named beside their fields."""
    report = _grantee_report(request, pk)
    form = GranteeReportForm(report, request.POST)
    try:
        _save(request, report, form)
    except ValidationError as error:
        return autosave_refused(error)
    return autosave_answer(form)


def _missing_labels(report) -> list[tuple[str, list[str]]]:
    labels = {q["key"]: q["text"] for q in report.form.questions}
    labels.update(
        {"activities": _("Activities carried out"), "used_sek": _("Used in the period (kr)")}
    )
    return [(labels.get(key, ""), texts) for key, texts in missing(report).items()]


@login_required
@require_http_methods(["GET", "POST"])
def grantee_report_check(request, pk: int):
    """Everything in the report, what is missing and (ombud, representant)
    the submission after a confirmation."""
    report = _grantee_report(request, pk)
    if report.status not in EDITABLE:
        return redirect("regional:grantee_report_receipt", report.pk)
    may_submit = role_can(report.member_role, Action.SUBMIT_CASE)
    problems = _missing_labels(report)
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        if not problems:
            region = report.decision.round.region.name
            page = confirmation(
                request,
                title=_("Submit the follow-up report?"),
                consequences=[
                    _("The report is sent to %(region)s and can no longer be changed.")
                    % {"region": region},
                    _("Unused money, %(unused)s, is not invoiced.")
                    % {"unused": kronor(report.granted_sek - report.used_sek)},
                    _("A receipt is sent by e-mail."),
                ],
                button=_("Yes, submit the report"),
                cancel_url=reverse("regional:grantee_report_check", args=[report.pk]),
                facts=[
                    (_("Case number"), report.decision.application.case_number),
                    (_("Applicant"), report.decision.application.applicant_name),
                    (_("Granted"), kronor(report.granted_sek)),
                    (_("Used"), kronor(report.used_sek)),
                ],
            )
            if page:
                return page
            try:
                reports.submit(request.user, report)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("regional:grantee_report_check", report.pk)
            return redirect("regional:grantee_report_receipt", report.pk)
    return render(
        request,
        "regional/after/report_check.html",
        {
            "report": report,
            "sections": answer_sections(report),
            "missing": problems,
            "may_submit": may_submit,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def grantee_report_receipt(request, pk: int):
    report = _grantee_report(request, pk)
    if report.status in EDITABLE and report.submitted_at is None:
        return redirect("regional:grantee_report", report.pk)
    return render(
        request,
        "regional/after/report_receipt.html",
        {"report": report, "sections": answer_sections(report)},
    )


# ---------------------------------------------------------- region's staff


@login_required
@require_GET
def round_reports(request, round_pk: int):
    """The round's follow-up reports with their status and invoice; the
    administrator opens the reports of the decided grants from here."""
    round_ = round_for(request.user, round_pk)
    roles = regional_roles(request.user, round_.region)
    rows = (
        SubGrantReport.objects.filter(decision__round=round_)
        .select_related("decision__application__organisation", "invoice")
        .order_by("due_on", "decision__application__case_number", "pk")
    )
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    without_report = reports.granted_decisions(round_).filter(report__isnull=True).count()
    return render(
        request,
        "regional/after/round_reports.html",
        {
            "round": round_,
            "rows": rows,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in ReportStatus.choices
            ],
            "without_report": without_report,
            "may_open": regional_can(roles, RegionalAction.REVIEW_REPORTS),
        },
    )


@login_required
@require_POST
def open_round_reports(request, round_pk: int):
    round_ = round_for(request.user, round_pk, RegionalAction.REVIEW_REPORTS)
    try:
        opened = reports.open_reports(request.user, round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        created = ngettext(
            "%(count)s follow-up report was opened.",
            "%(count)s follow-up reports were opened.",
            opened.created,
        ) % {"count": opened.created}
        existing = ngettext(
            "%(count)s was open already.", "%(count)s were open already.", opened.existing
        ) % {"count": opened.existing}
        messages.success(request, f"{created} {existing}")
    return redirect("regional:round_reports", round_.pk)


def _staff_report(request, pk: int, action: RegionalAction | None = None) -> SubGrantReport:
    report = get_object_or_404(SubGrantReport.objects.select_related(*REPORT_RELATED), pk=pk)
    round_for(request.user, report.decision.round_id, action)
    return report


def _render_review(request, report, form=None, status=200):
    roles = regional_roles(request.user, report.decision.round.region)
    invoice = SubGrantInvoice.objects.filter(report=report).first()
    return render(
        request,
        "regional/after/review.html",
        {
            "report": report,
            "round": report.decision.round,
            "sections": answer_sections(report),
            "events": events_for(report),
            "invoice": invoice,
            "may_review": regional_can(roles, RegionalAction.REVIEW_REPORTS)
            and report.status == ReportStatus.SUBMITTED,
            "may_invoice": regional_can(roles, RegionalAction.RECORD_INVOICES)
            and report.status == ReportStatus.APPROVED
            and invoice is None,
            "review_form": form or SubGrantReviewForm(),
        },
        status=status,
    )


@login_required
@require_GET
def report_review(request, pk: int):
    return _render_review(request, _staff_report(request, pk))


@login_required
@require_POST
def report_review_send(request, pk: int):
    """The administrator's review: a completion request (reason, new
    deadline), or, after a confirmation, approval or rejection."""
    report = _staff_report(request, pk, RegionalAction.REVIEW_REPORTS)
    form = SubGrantReviewForm(request.POST)
    if not form.is_valid():
        return _render_review(request, report, form, status=400)
    data = form.cleaned_data
    action = data["action"]
    answerable = report.status == ReportStatus.SUBMITTED
    if answerable and (action == "approve" or (action == "reject" and data["reason"].strip())):
        page = confirmation(
            request,
            title=_("Approve the follow-up report?")
            if action == "approve"
            else _("Reject the follow-up report?"),
            consequences=[
                _("The grantee is told by e-mail. This cannot be undone."),
                _("After an approval the grantee invoices the region for the amount used.")
                if action == "approve"
                else _("A rejected report is not invoiced."),
            ],
            button=_("Yes, approve the report")
            if action == "approve"
            else _("Yes, reject the report"),
            cancel_url=reverse("regional:report_review", args=[report.pk]),
            facts=[
                (_("Case number"), report.decision.application.case_number),
                (_("Applicant"), report.decision.application.applicant_name),
                (_("Granted"), kronor(report.granted_sek)),
                (_("Used"), kronor(report.used_sek)),
            ],
        )
        if page:
            return page
    try:
        if action == "completion":
            reports.request_completion(request.user, report, data["reason"], data["new_due_on"])
            done = _("Completion has been requested. The grantee is told by e-mail.")
        elif action == "approve":
            reports.approve(request.user, report, data["reason"])
            done = _("The report has been approved.")
        else:
            reports.reject(request.user, report, data["reason"])
            done = _("The report has been rejected.")
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_review(request, report, form, status=400)
    messages.success(request, done)
    return redirect("regional:report_review", report.pk)


def _render_invoice_form(request, report, form, status=200, refusal=""):
    return render(
        request,
        "regional/after/invoice_form.html",
        {
            "report": report,
            "round": report.decision.round,
            "form": form,
            "internal": invoice_kind(report) == InvoiceKind.INTERNAL,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invoice_new(request, pk: int):
    """Record the grantee's invoice (RECORD_INVOICES), once the report is
    approved; before that the page says why not."""
    report = _staff_report(request, pk, RegionalAction.RECORD_INVOICES)
    existing = SubGrantInvoice.objects.filter(report=report).first()
    if existing is not None:
        return redirect("regional:invoice", existing.pk)
    internal = invoice_kind(report) == InvoiceKind.INTERNAL
    if request.method == "GET":
        refusal = ""
        if report.status != ReportStatus.APPROVED:
            refusal = _(
                "An invoice can be recorded only after the follow-up report has been "
                "approved; the report is %(status)s."
            ) % {"status": reports.status_label(report).lower()}
        initial = {"amount_sek": report.used_sek} if report.used_sek else {}
        form = InvoiceForm(internal=internal, initial=initial)
        return _render_invoice_form(request, report, form, refusal=refusal)
    form = InvoiceForm(request.POST, internal=internal)
    if not form.is_valid():
        return _render_invoice_form(request, report, form, status=400)
    data = form.cleaned_data
    try:
        invoice = invoices.record_invoice(
            request.user,
            report,
            reference=data["reference"],
            amount_sek=data["amount_sek"],
            invoice_date=data["invoice_date"],
            bank_giro=data.get("bank_giro", ""),
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_invoice_form(request, report, form, status=400)
    messages.success(request, _("The invoice has been recorded."))
    return redirect("regional:invoice", invoice.pk)


def _invoice(request, pk: int, action: RegionalAction | None = None) -> SubGrantInvoice:
    invoice = get_object_or_404(
        SubGrantInvoice.objects.select_related(
            *(f"report__{name}" for name in REPORT_RELATED), "recorded_by", "paid_by"
        ),
        pk=pk,
    )
    round_for(request.user, invoice.report.decision.round_id, action)
    return invoice


def _render_invoice(request, invoice, form=None, status=200):
    roles = regional_roles(request.user, invoice.report.decision.round.region)
    return render(
        request,
        "regional/after/invoice.html",
        {
            "invoice": invoice,
            "report": invoice.report,
            "round": invoice.report.decision.round,
            "events": events_for(invoice),
            "may_pay": regional_can(roles, RegionalAction.RECORD_INVOICES)
            and invoice.status == "recorded",
            "form": form or PaymentForm(),
        },
        status=status,
    )


@login_required
@require_GET
def invoice(request, pk: int):
    return _render_invoice(request, _invoice(request, pk))


@login_required
@require_POST
def invoice_pay(request, pk: int):
    """Record the region's payment of the invoice, after a confirmation."""
    invoice = _invoice(request, pk, RegionalAction.RECORD_INVOICES)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _render_invoice(request, invoice, form, status=400)
    data = form.cleaned_data
    if invoice.status == "recorded" and data["paid_on"] and data["payment_reference"].strip():
        page = confirmation(
            request,
            title=_("Record the payment?"),
            consequences=[_("The invoice is marked as paid. This cannot be undone.")],
            button=_("Yes, record the payment"),
            cancel_url=reverse("regional:invoice", args=[invoice.pk]),
            facts=[
                (_("Invoice"), invoice.reference),
                (_("Amount"), kronor(invoice.amount_sek)),
                (_("Paid on"), data["paid_on"].isoformat()),
            ],
        )
        if page:
            return page
    try:
        invoices.record_payment(
            request.user,
            invoice,
            paid_on=data["paid_on"],
            payment_reference=data["payment_reference"],
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_invoice(request, invoice, form, status=400)
    messages.success(request, _("The payment has been recorded."))
    return redirect("regional:invoice", invoice.pk)


def _round_invoices(round_):
    return (
        SubGrantInvoice.objects.filter(report__decision__round=round_)
        .select_related("report__decision__application__organisation")
        .order_by("invoice_date", "pk")
    )


@login_required
@require_GET
def round_invoices(request, round_pk: int):
    round_ = round_for(request.user, round_pk)
    rows = _round_invoices(round_)
    return render(
        request,
        "regional/after/round_invoices.html",
        {"round": round_, "rows": rows, "totals": exports_after.totals(rows)},
    )


@login_required
@require_GET
def round_invoices_csv(request, round_pk: int):
    round_ = round_for(request.user, round_pk)
    return csv_response(
        exports_after.filename(round_, "csv"),
        exports_after.HEADER,
        exports_after.rows(_round_invoices(round_)),
    )


@login_required
@require_GET
def round_invoices_xlsx(request, round_pk: int):
    round_ = round_for(request.user, round_pk)
    return xlsx_response(
        exports_after.filename(round_, "xlsx"), exports_after.xlsx(round_, _round_invoices(round_))
    )
