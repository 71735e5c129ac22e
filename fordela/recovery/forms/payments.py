"""Forms of the incoming-payments pages. They read what was typed; the rules
are the services' (``services.payments``), whose errors are shown beside the
fields."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import MAX_SEK
from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin

from ..models import IncomingPaymentStatus, PaymentSource
from ..services import payments

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a date, e.g. 2022-06-14.")}


class RegisterPaymentForm(ServiceErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference (OCR number)"),
        help_text=_(
            "As the bank reports it. A payment without a valid OCR reference goes to the queue."
        ),
        max_length=payments.REFERENCE_LIMIT,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    amount_sek = KronorField(label=_("Amount (kr)"), min_value=1, max_value=MAX_SEK)
    paid_on = forms.DateField(
        label=_("Date paid"),
        help_text=_("The day the money reached the agency's account, e.g. 2022-06-14."),
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )
    payer_name = forms.CharField(label=_("Payer"), max_length=payments.PAYER_LIMIT, required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_paid_on(self):
        # The service's rule, shown with the other fields' errors.
        paid_on = self.cleaned_data["paid_on"]
        try:
            payments.check_paid_on(paid_on)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["paid_on"]) from None
        return paid_on


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("BgMax file"),
        help_text=_(
            "The file of incoming bank giro payments from Bankgirot (a text file in the "
            "BgMax format), at most 5 MB."
        ),
        error_messages={
            "required": _("Choose the BgMax file to import."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.bgm,.bgmax,.dat,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > payments.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; a BgMax file is much smaller. Check the file.")
            )
        return upload


class ResolveForm(ServiceErrorsMixin, forms.Form):
    ACTIONS = [
        (payments.APPLY, _("Apply what is left to an invoice")),
        (payments.REFUND, _("Record that what is left is paid back to the payer")),
        (payments.CLOSE, _("Close with a note")),
    ]
    action = forms.ChoiceField(
        label=_("What to do"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to do with the payment.")},
    )
    invoice = forms.CharField(
        label=_("Invoice number or OCR reference"),
        help_text=_("Only to apply the payment to an invoice, e.g. 2022000001."),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Required to close. Say what was agreed, e.g. with whom."),
        max_length=payments.NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *IncomingPaymentStatus.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *PaymentSource.choices]
    )
    paid_from = forms.DateField(
        label=_("Paid from"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    paid_to = forms.DateField(
        label=_("Paid to"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("paid_from"), data.get("paid_to")
        if start and end and start > end:
            self.add_error("paid_to", _("The end date is before the start date."))
        return data
