"""Recovery invoice pages: the agency's list and an invoice's page with its
credit and write-off forms (ekonomi), the PDF and e-invoice downloads, and
the organisation's page of its recovery decisions and invoices. Views parse
input, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import StaffAction, can_staff, is_member, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for, record
from fordela.core import clock
from fordela.core.confirm import confirmation
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation

from .. import documents, einvoice
from ..forms.invoices import CreditForm, InvoiceFilterForm, WriteOffForm
from ..models import (
    OPEN_INVOICE,
    CreditNote,
    Invoice,
    InvoiceStatus,
    RecoveryDecision,
    RecoveryStatus,
)
from ..services import invoices as services


def _invoices():
    return Invoice.objects.select_related("organisation", "decision__pool__programme_year")


# ------------------------------------------------------------------ staff


def _filtered(request):
    form = InvoiceFilterForm(request.GET or None)
    years = (
        Invoice.objects.annotate(y=ExtractYear("issued_on"))
        .order_by("-y")
        .values_list("y", flat=True)
        .distinct()
    )
    form.fields["year"].choices = [("", _("All")), *[(y, y) for y in years]]
    rows = _invoices().order_by("-issued_on", "-number")
    # Each filter that is valid applies; one that is not is shown as an error.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("overdue"):
        rows = rows.filter(status__in=OPEN_INVOICE, due_on__lt=clock.today())
    if data.get("year"):
        rows = rows.filter(issued_on__year=data["year"])
    return form, rows


@login_required
@require_GET
def invoice_list(request):
    require_staff(request.user, StaffAction.READ_RECOVERY)
    form, rows = _filtered(request)
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    totals = rows.order_by().aggregate(
        amount=Sum("amount_sek"),
        paid=Sum("paid_sek"),
        credited=Sum("credited_sek"),
        written_off=Sum("written_off_sek"),
        overdue=Count("pk", filter=Q(status__in=OPEN_INVOICE, due_on__lt=clock.today())),
    )
    totals = {key: value or 0 for key, value in totals.items()}
    totals["outstanding"] = (
        totals["amount"] - totals["paid"] - totals["credited"] - totals["written_off"]
    )
    return render(
        request,
        "recovery/invoices/list.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in InvoiceStatus.choices
            ],
            "totals": totals,
        },
    )


def _staff_invoice(pk: int) -> Invoice:
    return get_object_or_404(
        _invoices().select_related("decision__report", "decision__decided_by"), pk=pk
    )


def _render_invoice(request, invoice, credit_form=None, write_off_form=None, status=200):
    may_manage = can_staff(request.user, StaffAction.MANAGE_INVOICES) and invoice.is_open
    return render(
        request,
        "recovery/invoices/invoice.html",
        {
            "invoice": invoice,
            "payments": invoice.payments.filter(applied_sek__gt=0).order_by("paid_on", "pk"),
            "credit_notes": invoice.credit_notes.select_related("created_by").order_by(
                "issued_on", "pk"
            ),
            "reminders": invoice.reminders.order_by("sent_on", "pk"),
            "events": events_for(invoice),
            "may_manage": may_manage,
            "credit_form": credit_form or CreditForm(),
            "write_off_form": write_off_form or WriteOffForm(),
            "exportable": (invoice.organisation.organisation_number or "").isdigit(),
        },
        status=status,
    )


@login_required
@require_GET
def invoice_page(request, pk: int):
    require_staff(request.user, StaffAction.READ_RECOVERY)
    return _render_invoice(request, _staff_invoice(pk))


def _facts(invoice: Invoice) -> list[tuple[str, str]]:
    return [
        (_("Invoice"), invoice.number),
        (_("Organisation"), invoice.organisation.name),
        (_("Amount"), kronor(invoice.amount_sek)),
        (_("Outstanding"), kronor(invoice.outstanding_sek)),
    ]


@login_required
@require_POST
def credit(request, pk: int):
    """A credit note for part or all of what is outstanding, after a
    confirmation."""
    require_staff(request.user, StaffAction.MANAGE_INVOICES)
    invoice = _staff_invoice(pk)
    form = CreditForm(request.POST)
    if not form.is_valid():
        return _render_invoice(request, invoice, credit_form=form, status=400)
    data = form.cleaned_data
    if invoice.is_open and 1 <= data["amount_sek"] <= invoice.outstanding_sek:
        page = confirmation(
            request,
            title=_("Credit %(amount)s of invoice %(number)s?")
            % {"amount": kronor(data["amount_sek"]), "number": invoice.number},
            consequences=[
                _("A credit note is issued and e-mailed to the organisation. It cannot be undone."),
                _("Outstanding after the credit: %(amount)s.")
                % {"amount": kronor(invoice.outstanding_sek - data["amount_sek"])},
            ],
            button=_("Yes, issue the credit note"),
            cancel_url=reverse("recovery:invoice", args=[invoice.pk]),
            facts=[*_facts(invoice), (_("Reason"), data["reason"])],
        )
        if page:
            return page
    try:
        note = services.credit_invoice(request.user, invoice, data["amount_sek"], data["reason"])
    except ValidationError as error:
        form.add_service_errors(error)
        invoice.refresh_from_db()
        return _render_invoice(request, invoice, credit_form=form, status=400)
    messages.success(
        request,
        _("Credit note %(number)s has been issued for %(amount)s.")
        % {"number": note.number, "amount": kronor(note.amount_sek)},
    )
    return redirect("recovery:invoice", invoice.pk)


@login_required
@require_POST
def write_off(request, pk: int):
    """Write off what is outstanding, after a confirmation."""
    require_staff(request.user, StaffAction.MANAGE_INVOICES)
    invoice = _staff_invoice(pk)
    form = WriteOffForm(request.POST)
    if not form.is_valid():
        return _render_invoice(request, invoice, write_off_form=form, status=400)
    if invoice.is_open:
        page = confirmation(
            request,
            title=_("Write off invoice %(number)s?") % {"number": invoice.number},
            consequences=[
                _("%(amount)s is written off: the agency gives up the claim. It cannot be undone.")
                % {"amount": kronor(invoice.outstanding_sek)},
            ],
            button=_("Yes, write off the invoice"),
            cancel_url=reverse("recovery:invoice", args=[invoice.pk]),
            facts=[*_facts(invoice), (_("Reason"), form.cleaned_data["reason"])],
        )
        if page:
            return page
    try:
        services.write_off_invoice(request.user, invoice, form.cleaned_data["reason"])
    except ValidationError as error:
        form.add_service_errors(error)
        invoice.refresh_from_db()
        return _render_invoice(request, invoice, write_off_form=form, status=400)
    messages.success(request, _("The invoice has been written off."))
    return redirect("recovery:invoice", invoice.pk)


# -------------------------------------------------------------- downloads


def _may_read(user, organisation: Organisation) -> None:
    """The agency's readers and the organisation's own members; 403 else."""
    if not is_member(user, organisation):
        require_staff(user, StaffAction.READ_RECOVERY)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _xml_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def invoice_pdf(request, pk: int):
    invoice = get_object_or_404(
        _invoices().select_related("decision__report", "decision__pool__programme_year__programme"),
        pk=pk,
    )
    _may_read(request.user, invoice.organisation)
    return _pdf_response(documents.invoice_pdf(invoice), documents.invoice_filename(invoice))


def _credit_note(pk: int) -> CreditNote:
    return get_object_or_404(
        CreditNote.objects.select_related(
            "invoice__organisation",
            "invoice__decision__report",
            "invoice__decision__pool__programme_year__programme",
        ),
        pk=pk,
    )


@login_required
@require_GET
def credit_note_pdf(request, pk: int):
    note = _credit_note(pk)
    _may_read(request.user, note.invoice.organisation)
    return _pdf_response(documents.render_credit_note(note), documents.credit_note_filename(note))


def _exported(request, invoice: Invoice, document: str, number: str) -> None:
    record(request.user, AuditAction.INVOICE_EXPORTED, invoice, after={document: number})


@login_required
@require_GET
def invoice_ubl(request, pk: int):
    require_staff(request.user, StaffAction.READ_RECOVERY)
    invoice = _staff_invoice(pk)
    try:
        data = einvoice.invoice_xml(invoice)
    except einvoice.NotExportable as refusal:
        messages.error(request, str(refusal))
        return redirect("recovery:invoice", invoice.pk)
    _exported(request, invoice, "invoice", invoice.number)
    return _xml_response(data, einvoice.invoice_filename(invoice))


@login_required
@require_GET
def credit_note_ubl(request, pk: int):
    require_staff(request.user, StaffAction.READ_RECOVERY)
    note = _credit_note(pk)
    try:
        data = einvoice.credit_note_xml(note)
    except einvoice.NotExportable as refusal:
        messages.error(request, str(refusal))
        return redirect("recovery:invoice", note.invoice_id)
    _exported(request, note.invoice, "credit_note", note.number)
    return _xml_response(data, einvoice.credit_note_filename(note))


# ---------------------------------------------------------- organisation


@login_required
@require_GET
def organisation_recovery(request, organisation_id: int):
    """The organisation's recovery decisions and invoices (its members and
    the agency's readers)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    member = is_member(request.user, organisation)
    if not member and not can_staff(request.user, StaffAction.READ_RECOVERY):
        raise PermissionDenied
    decisions = (
        RecoveryDecision.objects.filter(organisation=organisation, status=RecoveryStatus.DECIDED)
        .select_related("pool__programme_year", "invoice")
        .order_by("-decided_at", "-pk")
    )
    invoices = (
        Invoice.objects.filter(organisation=organisation)
        .select_related("decision__pool")
        .order_by("-issued_on", "-number")
    )
    return render(
        request,
        "recovery/invoices/organisation.html",
        {"organisation": organisation, "decisions": decisions, "invoices": invoices},
    )
