from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin
from fordela.payments.forms import BankGiroField

from .models import Requisition, RequisitionMessage


class RequisitionForm(ServiceErrorsMixin, forms.Form):
    """The requisition form. Only parses input; the rules (amount within the
    allocation, bank giro check digit, deadline) live in the services. Text
    is as long as its column holds."""

    amount_sek = KronorField(
        label=_("Amount to requisition (kr)"),
        help_text=_("Whole kronor, at least 1 kr and at most your allocation."),
    )
    wants_redistribution = forms.BooleanField(
        label=_("We want a share of funds that other organisations do not requisition"),
        help_text=_("Only possible when you requisition your full allocation."),
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=column_length(Requisition, "contact_name"),
        required=False,
    )
    contact_email = forms.EmailField(
        label=_("Contact person's e-mail"),
        max_length=column_length(Requisition, "contact_email"),
        required=False,
        error_messages={"invalid": _("Enter a valid e-mail address, e.g. namn@kommun.se.")},
    )
    contact_phone = forms.CharField(
        label=_("Contact person's phone"),
        max_length=column_length(Requisition, "contact_phone"),
        required=False,
    )
    bank_giro = BankGiroField()
    conditions_confirmed = forms.BooleanField(
        label=_("We confirm that the funds will be used according to the conditions of the grant"),
        help_text=_("The conditions are listed above, under “Conditions of the grant”."),
        required=False,
    )


class OfficerActionForm(ServiceErrorsMixin, forms.Form):
    """The handläggare's action on a submitted case: return it for
    correction, reject it, or add a note, with the text the organisation
    reads. The service checks the status and the rules."""

    ACTIONS = [
        ("return", _("Return for correction")),
        ("reject", _("Reject")),
        ("note", _("Add a note")),
    ]
    action = forms.ChoiceField(
        label=_("Action"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        help_text=_(
            "Returning or rejecting cancels the payment owed, if it is not yet in a payment "
            "batch. The organisation is told by e-mail."
        ),
    )
    message = forms.CharField(
        label=_("Message to the organisation"),
        help_text=_("For a return: what to correct. For a rejection: the reason."),
        max_length=column_length(RequisitionMessage, "text"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    submit_label = _("Send to the organisation")


class RequisitionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    opted_in = forms.ChoiceField(
        label=_("Redistribution"),
        required=False,
        choices=[("", _("All")), ("yes", _("Opted in")), ("no", _("Not opted in"))],
    )
    q = forms.CharField(label=_("Organisation or case number"), required=False)
