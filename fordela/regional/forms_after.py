"""Forms after a regional decision: the grantee's report (the follow-up
report engine's ``ReportAnswersForm``, its amount read against what was
granted), the region's review, the invoice and its payment. The forms only
parse; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin
from fordela.payments.forms import BankGiroField
from fordela.reports.forms import ReportAnswersForm, ReviewForm

from .models import SubGrantInvoice

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a date, e.g. 2023-02-15.")}


class GranteeReportForm(ReportAnswersForm):
    """The follow-up report's questions and economic statement, for a
    sub-grant: the amount used is read against what the region granted."""

    def __init__(self, report, *args, **kwargs):
        super().__init__(report, *args, **kwargs)
        self.fields["used_sek"].label = _("Used in the period (kr)")
        self.fields["used_sek"].help_text = _(
            "Whole kronor, from 0 kr up to what you were granted."
        )


class SubGrantReviewForm(ReviewForm):
    """The region's review: the agency's review form, its message to the
    grantee rather than to "the organisation"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Message to the grantee")


class InvoiceForm(ServiceErrorsMixin, forms.Form):
    """The grantee's invoice: for an own unit the internal reference (no
    bank giro), for an external actor its invoice number and bank giro.
    Every field is needed (the page says so); the other rules are the
    service's."""

    reference = forms.CharField(
        label=_("Invoice number"),
        max_length=SubGrantInvoice._meta.get_field("reference").max_length,
        error_messages={"required": _("Enter the invoice number.")},
    )
    bank_giro = BankGiroField(
        help_text=_("The bank giro on the invoice, e.g. 5050-1055."),
        required=True,
        error_messages={"required": _("Enter the bank giro number on the invoice.")},
    )
    amount_sek = KronorField(
        label=_("Amount (kr)"),
        help_text=_("Whole kronor: at most what was granted and what the report says was used."),
        error_messages={"required": _("Enter the invoiced amount in whole kronor.")},
    )
    invoice_date = forms.DateField(
        label=_("Invoice date"),
        help_text=_("For example 2023-02-15."),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Enter the invoice date.")},
    )

    def __init__(self, *args, internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if internal:
            del self.fields["bank_giro"]
            self.fields["reference"].label = _("Internal reference")
            self.fields["reference"].error_messages["required"] = _("Enter the internal reference.")
            self.fields["reference"].help_text = _(
                "The unit's internal invoice reference (no OCR number)."
            )


class PaymentForm(ServiceErrorsMixin, forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        help_text=_("The day the region paid the invoice, e.g. 2023-03-01."),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Enter the day the invoice was paid.")},
    )
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        help_text=_("For example the verification number in the region's accounts."),
        max_length=SubGrantInvoice._meta.get_field("payment_reference").max_length,
        error_messages={
            "required": _("Enter the payment's reference, e.g. the verification number.")
        },
    )
