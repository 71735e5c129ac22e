"""Incoming-payment pages for ekonomi (issue 18 §4): the list with filters,
registering a payment by hand, importing a BgMax file and its result, the
queue and a payment's page where it is resolved. READ_RECOVERY reads,
REGISTER_PAYMENTS acts. Views parse input, call one service and render; an
uploaded file is read, never stored or served back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.permissions import StaffAction, can_staff, require_staff
from fordela.core.confirm import confirmation
from fordela.core.formatting import grouped, kronor
from fordela.core.pagination import page_of

from ..forms.payments import ImportForm, PaymentFilterForm, RegisterPaymentForm, ResolveForm
from ..models import BgMaxImport, IncomingPayment, IncomingPaymentStatus, Invoice
from ..services import payments as services

LATEST_IMPORTS = 5


def _reader(request) -> bool:
    """May read (403 otherwise); and may act?"""
    require_staff(request.user, StaffAction.READ_RECOVERY)
    return can_staff(request.user, StaffAction.REGISTER_PAYMENTS)


def _rows():
    return IncomingPayment.objects.select_related("invoice", "bgmax_import").order_by(
        "-paid_on", "-pk"
    )


def _totals(rows) -> dict:
    """Counts per status and the sums, in one query."""
    return rows.order_by().aggregate(
        count=Count("pk"),
        amount=Sum("amount_sek", default=0),
        applied=Sum("applied_sek", default=0),
        refunded=Sum("refunded_sek", default=0),
        matched=Count("pk", filter=Q(status=IncomingPaymentStatus.MATCHED)),
        to_resolve=Count("pk", filter=Q(status=IncomingPaymentStatus.TO_RESOLVE)),
        resolved=Count("pk", filter=Q(status=IncomingPaymentStatus.RESOLVED)),
        waiting=Sum(
            F("amount_sek") - F("applied_sek") - F("refunded_sek"),
            filter=Q(status=IncomingPaymentStatus.TO_RESOLVE),
            default=0,
        ),
    )


def _counts(totals: dict) -> list[tuple[str, str, int]]:
    return [(value, label, totals[value]) for value, label in IncomingPaymentStatus.choices]


@login_required
@require_GET
def payment_list(request):
    """Every incoming payment, filtered by status, source and payment date,
    with counts and sums of what the filters chose, a page at a time."""
    may_act = _reader(request)
    form = PaymentFilterForm(request.GET or None)
    rows = _rows()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["source"]:
            rows = rows.filter(source=data["source"])
        if data["paid_from"]:
            rows = rows.filter(paid_on__gte=data["paid_from"])
        if data["paid_to"]:
            rows = rows.filter(paid_on__lte=data["paid_to"])
    elif form.is_bound:
        rows = rows.none()
    totals = _totals(rows)
    return render(
        request,
        "recovery/payments/list.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "totals": totals,
            "counts": _counts(totals),
            "imports": BgMaxImport.objects.select_related("imported_by")[:LATEST_IMPORTS],
            "may_act": may_act,
        },
    )


@login_required
@require_GET
def queue(request):
    """The payments to resolve, the oldest first."""
    may_act = _reader(request)
    rows = _rows().filter(status=IncomingPaymentStatus.TO_RESOLVE).order_by("paid_on", "pk")
    return render(
        request,
        "recovery/payments/queue.html",
        {"page": page_of(request, rows), "totals": _totals(rows), "may_act": may_act},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    require_staff(request.user, StaffAction.REGISTER_PAYMENTS)
    if request.method == "GET":
        return render(request, "recovery/payments/register.html", {"form": RegisterPaymentForm()})
    form = RegisterPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.register_payment(
                request.user,
                reference=data["reference"],
                amount_sek=data["amount_sek"],
                paid_on=data["paid_on"],
                payer_name=data["payer_name"],
                submission_key=data["submission_key"],
            )
        except services.AlreadyRegistered as duplicate:
            messages.info(request, duplicate.messages[0])
            return redirect("recovery:payment", duplicate.payment.pk)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _registered_message(payment))
            return redirect("recovery:payment", payment.pk)
    return render(request, "recovery/payments/register.html", {"form": form}, status=400)


def _registered_message(payment: IncomingPayment) -> str:
    if payment.status == IncomingPaymentStatus.MATCHED:
        return _("The payment is registered and applied to invoice %(number)s.") % {
            "number": payment.invoice.number
        }
    return _("The payment is registered and waits in the queue: %(reason)s.") % {
        "reason": payment.get_queue_reason_display().lower()
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    """Upload a BgMax file: read at once, never stored; the result page
    says what it registered."""
    require_staff(request.user, StaffAction.REGISTER_PAYMENTS)
    if request.method == "GET":
        return render(request, "recovery/payments/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(services.MAX_FILE_BYTES + 1)
        try:
            imported = services.import_bgmax(request.user, upload.name, content)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request, _("The file %(name)s is imported.") % {"name": imported.filename}
            )
            return redirect("recovery:payment_import_result", imported.pk)
    return render(request, "recovery/payments/import.html", {"form": form}, status=400)


SKIPPED_REASONS = {
    services.SKIPPED_REGISTERED: gettext_lazy("Already registered (from an earlier file)"),
    services.SKIPPED_BELOW_ONE_KRONA: gettext_lazy(
        "Less than 1 krona: register it by hand if it is to be kept"
    ),
}


def _ore_as_kronor(ore: int) -> str:
    """50050 → '500,50 kr' (a file's amount, before it is whole kronor)."""
    whole, rest = divmod(ore, 100)
    return f"{grouped(whole)},{rest:02d}\u00a0{_('kr')}"


@login_required
@require_GET
def import_result(request, pk: int):
    """What one BgMax file registered: matched, queued and skipped payments."""
    _reader(request)
    imported = get_object_or_404(BgMaxImport.objects.select_related("imported_by"), pk=pk)
    rows = imported.payments.select_related("invoice").order_by("bgc_serial")
    totals = _totals(rows)
    skipped = [
        {
            **item,
            "reason_label": SKIPPED_REASONS.get(item["reason"], item["reason"]),
            "amount_label": _ore_as_kronor(item["amount_ore"]),
        }
        for item in imported.skipped
    ]
    return render(
        request,
        "recovery/payments/import_result.html",
        {
            "imported": imported,
            "page": page_of(request, rows),
            "totals": totals,
            "skipped": skipped,
        },
    )


def _payment(pk: int) -> IncomingPayment:
    return get_object_or_404(
        IncomingPayment.objects.select_related(
            "invoice", "bgmax_import", "registered_by", "resolved_by"
        ),
        pk=pk,
    )


def _render_payment(request, payment, form=None, status=200):
    may_act = can_staff(request.user, StaffAction.REGISTER_PAYMENTS)
    return render(
        request,
        "recovery/payments/payment.html",
        {
            "payment": payment,
            "may_resolve": may_act and payment.status == IncomingPaymentStatus.TO_RESOLVE,
            "form": form or ResolveForm(),
        },
        status=status,
    )


@login_required
@require_GET
def payment_page(request, pk: int):
    _reader(request)
    return _render_payment(request, _payment(pk))


def _invoice(text: str) -> Invoice | None:
    digits = services.ocr_digits(text)
    if not digits:
        return None
    return Invoice.objects.filter(Q(number=digits) | Q(ocr=digits)).first()


@login_required
@require_POST
def resolve(request, pk: int):
    """Resolve a payment in the queue, after a confirmation."""
    require_staff(request.user, StaffAction.REGISTER_PAYMENTS)
    payment = _payment(pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _render_payment(request, payment, form, status=400)
    data = form.cleaned_data
    invoice = None
    if data["action"] == services.APPLY:
        invoice = _invoice(data["invoice"])
        if invoice is None:
            form.add_error(
                "invoice",
                _("No invoice has this number or OCR reference.")
                if data["invoice"].strip()
                else _("Choose the invoice to apply the payment to."),
            )
            return _render_payment(request, payment, form, status=400)
    facts = [
        (_("Payment"), f"{kronor(payment.amount_sek)} {date_format(payment.paid_on, 'j F Y')}"),
        (_("Left to resolve"), kronor(payment.excess_sek)),
    ]
    if invoice:
        facts.append(
            (
                _("Invoice"),
                f"{invoice.number}, {_('outstanding')} {kronor(invoice.outstanding_sek)}",
            )
        )
    page = confirmation(
        request,
        title={
            services.APPLY: _("Apply the payment to invoice %(number)s?")
            % {"number": invoice.number if invoice else ""},
            services.REFUND: _("Record that %(amount)s is paid back?")
            % {"amount": kronor(payment.excess_sek)},
            services.CLOSE: _("Close the payment?"),
        }[data["action"]],
        consequences=[
            {
                services.APPLY: _(
                    "The invoice is credited with what is left of the payment, at most what it still claims."
                ),
                services.REFUND: _(
                    "Record it only when the money has been (or is being) paid back: the payment leaves the queue."
                ),
                services.CLOSE: _(
                    "The payment leaves the queue with your note; nothing more is applied or paid back."
                ),
            }[data["action"]]
        ],
        button=_("Yes, resolve the payment"),
        cancel_url=reverse("recovery:payment", args=[payment.pk]),
        facts=facts,
    )
    if page:
        return page
    try:
        done = services.resolve_payment(
            request.user, payment, action=data["action"], invoice=invoice, note=data["note"]
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_payment(request, _payment(pk), form, status=400)
    if done.status == IncomingPaymentStatus.RESOLVED:
        messages.success(request, _("The payment has been resolved."))
    else:
        messages.success(
            request,
            _("%(applied)s is applied to invoice %(number)s; %(left)s is left in the queue.")
            % {
                "applied": kronor(done.applied_sek),
                "number": done.invoice.number,
                "left": kronor(done.excess_sek),
            },
        )
    return redirect("recovery:payment", payment.pk)
