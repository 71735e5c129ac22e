from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin

from .costs import DESCRIPTION_LIMIT


class CostEntryForm(ServiceErrorsMixin, forms.Form):
    pool = forms.ModelChoiceField(
        label=_("Cost pool"), queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    booked_on = forms.DateField(
        label=_("Date"), help_text=_("For example 2020-11-30"), widget=forms.DateInput()
    )
    amount_sek = KronorField(label=_("Amount (kr)"), min_value=1)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_LIMIT, help_text=_("What the cost was for.")
    )

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pools
        self.fields["pool"].label_from_instance = lambda pool: pool.name
