"""Recovery forms. They only parse input: the limits (1 ≤ claim ≤ paid, the
motivation's length, four eyes) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin

from ..models import RecoveryGround, RecoveryOutcome, RecoveryStatus
from ..services.decisions import TEXT_LIMIT

CHARACTER_COUNT_TEMPLATE = "reports/includes/character_count_field.html"


def _long_text(label, help_text: str, name: str, missing) -> forms.CharField:
    field = forms.CharField(
        label=label,
        help_text=help_text,
        error_messages={"required": missing},
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "class": "govuk-js-character-count",
                "aria-describedby": f"id_{name}-info id_{name}_helptext",
            }
        ),
        template_name=CHARACTER_COUNT_TEMPLATE,
    )
    field.max_chars = TEXT_LIMIT
    return field


class RecoveryProposalForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Proposed decision"), choices=RecoveryOutcome.choices, widget=forms.RadioSelect
    )
    ground = forms.ChoiceField(
        label=_("Ground"), choices=RecoveryGround.choices, widget=forms.RadioSelect
    )
    amount_sek = KronorField(
        label=_("Amount (kr)"),
        help_text=_(
            "Whole kronor, at most what was paid. For a waiver: what would have been claimed."
        ),
        error_messages={"required": _("Enter the amount in whole kronor.")},
    )
    motivation = _long_text(
        _("Motivation"),
        _("Why the money is claimed back, or why the claim is waived. The letter quotes it."),
        "motivation",
        missing=_("Write the motivation; the organisation reads it."),
    )


class RecoveryReturnForm(ServiceErrorsMixin, forms.Form):
    reason = _long_text(
        _("Why is the proposal sent back?"),
        _("The case officer reads it."),
        "reason",
        missing=_("Say why the proposal is sent back."),
    )


class RecoveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RecoveryStatus.choices]
    )
    year = forms.TypedChoiceField(label=_("Grant year"), required=False, coerce=int)
