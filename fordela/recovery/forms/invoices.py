"""Forms of the invoice pages. They read what was typed; the rules are the
services' (``services.invoices``), whose errors are shown beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin

from ..models import InvoiceStatus
from ..services.invoices import REASON_MAX


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *InvoiceStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue invoices"), required=False)
    year = forms.TypedChoiceField(
        label=_("Invoice year"), required=False, coerce=int, empty_value=None
    )


class CreditForm(ServiceErrorsMixin, forms.Form):
    amount_sek = KronorField(
        label=_("Amount to credit (kr)"),
        help_text=_("At most what is outstanding on the invoice."),
        min_value=1,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Printed on the credit note the organisation receives."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": _("Say why the invoice is credited.")},
    )


class WriteOffForm(ServiceErrorsMixin, forms.Form):
    """On the same page as the credit form: ids of its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "write_off_%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=_("Reason for the write-off"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": _("Say why the invoice is written off.")},
    )
