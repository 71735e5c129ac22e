"""Payment pages for ekonomi (handläggare and beslutsfattare may read)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import StaffAction, can_staff, require_staff
from fordela.core import clock
from fordela.core.confirm import confirmation
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of

from . import services
from .models import PaymentBatch


class BatchForm(forms.Form):
    payment_date = forms.DateField(
        label=gettext_lazy("Payment date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )


LATE_WARNINGS_NAMED = 5
LATEST_BATCHES = 10


def _reader(request):
    require_staff(request.user, StaffAction.READ_REQUISITIONS)


@login_required
@require_GET
def index(request):
    """The open payables a page at a time (in the order of their partial
    index), their totals from one aggregate and the latest batches."""
    _reader(request)
    today = clock.today()
    return render(
        request,
        "payments/index.html",
        {
            "page": page_of(request, services.open_payables()),
            "totals": services.open_totals(due_by=today + datetime.timedelta(days=7)),
            "batches": PaymentBatch.objects.all()[:LATEST_BATCHES],
            "form": BatchForm(initial={"payment_date": today + datetime.timedelta(days=1)}),
            "is_ekonomi": can_staff(request.user, StaffAction.MANAGE_PAYMENTS),
        },
    )


@login_required
@require_GET
def batches(request):
    """Every payment batch, the latest first, a page at a time."""
    _reader(request)
    return render(
        request, "payments/batches.html", {"page": page_of(request, PaymentBatch.objects.all())}
    )


@login_required
@require_POST
def create(request):
    require_staff(request.user, StaffAction.MANAGE_PAYMENTS)
    form = BatchForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("payment_date", []):
            messages.error(request, error)
        return redirect("payments:index")
    try:
        result = services.create_batch(request.user, form.cleaned_data["payment_date"])
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("payments:index")
    messages.success(request, _("Payment batch %(ref)s created.") % {"ref": result.batch.reference})
    # A few late payments by name; of many, the first few and how many more
    # (the batch page marks each), so the messages do not grow with the batch.
    for payable in result.late[:LATE_WARNINGS_NAMED]:
        messages.warning(request, services.late_warning(payable))
    more = len(result.late) - LATE_WARNINGS_NAMED
    if more > 0:
        messages.warning(
            request,
            ngettext(
                "%(count)s more payment was due before the payment date.",
                "%(count)s more payments were due before the payment date.",
                more,
            )
            % {"count": more},
        )
    return redirect("payments:batch", result.batch.pk)


@login_required
@require_GET
def batch(request, pk: int):
    """A batch with its payments a page at a time; those due before the
    payment date are counted and marked."""
    _reader(request)
    found = get_object_or_404(
        PaymentBatch.objects.select_related("created_by", "approved_by", "confirmed_by"), pk=pk
    )
    items = found.items.select_related("payable__organisation").order_by(
        "payable__case_number", "payable_id"
    )
    return render(
        request,
        "payments/batch.html",
        {
            "batch": found,
            "page": page_of(request, items),
            "late_count": found.items.filter(payable__due_on__lt=found.payment_date).count(),
            "is_ekonomi": can_staff(request.user, StaffAction.MANAGE_PAYMENTS),
            "is_creator": found.created_by_id == request.user.pk,
        },
    )


def _act(request, pk: int, action, done: str, confirm=None):
    """Do ``action`` to the batch; with ``confirm`` (title, consequence,
    button) only once the user has confirmed it on the confirmation page."""
    require_staff(request.user, StaffAction.MANAGE_PAYMENTS)
    found = get_object_or_404(PaymentBatch, pk=pk)
    if confirm:
        title, consequences, button = confirm
        page = confirmation(
            request,
            title=title % {"ref": found.reference},
            consequences=consequences,
            button=button,
            cancel_url=reverse("payments:batch", args=[found.pk]),
            facts=[
                (_("Payment batch"), found.reference),
                (_("Payment date"), date_format(found.payment_date, "j F Y")),
                (_("Payments"), str(found.item_count)),
                (_("Total"), kronor(found.total_sek)),
            ],
        )
        if page:
            return page
    try:
        action(request.user, found)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("payments:batch", found.pk)


@login_required
@require_POST
def approve(request, pk: int):
    confirm = (
        _("Approve payment batch %(ref)s?"),
        [
            _("Once approved, the payment file can be downloaded and sent to the bank."),
            _("Check the total and the payment date: the bank pays what the file says."),
        ],
        _("Yes, approve the batch"),
    )
    return _act(request, pk, services.approve_batch, _("The batch has been approved."), confirm)


@login_required
@require_POST
def confirm(request, pk: int):
    confirm = (
        _("Mark payment batch %(ref)s as paid?"),
        [
            _("Mark it as paid only when the bank has made the payments."),
            _(
                "Every payment in the batch and its requisition are marked as paid. "
                "This cannot be undone."
            ),
        ],
        _("Yes, mark as paid"),
    )
    return _act(
        request, pk, services.confirm_batch_paid, _("The batch is marked as paid."), confirm
    )


@login_required
@require_POST
def cancel(request, pk: int):
    confirm = (
        _("Cancel payment batch %(ref)s?"),
        [
            _(
                "The batch cannot be approved or sent to the bank once cancelled. "
                "Its payments go back to the list of payments to make, for another batch."
            ),
        ],
        _("Yes, cancel the batch"),
    )
    return _act(request, pk, services.cancel_batch, _("The batch has been cancelled."), confirm)


def _download(request, pk: int, file_format: str):
    require_staff(request.user, StaffAction.MANAGE_PAYMENTS)
    found = get_object_or_404(PaymentBatch, pk=pk)
    try:
        file = services.export_batch(request.user, found, file_format)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("payments:batch", found.pk)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
@require_GET
def pain001(request, pk: int):
    return _download(request, pk, services.PAIN001)


@login_required
@require_GET
def batch_csv(request, pk: int):
    return _download(request, pk, services.CSV)
