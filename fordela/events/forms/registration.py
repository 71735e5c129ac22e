"""The registration form: who you are and where you work. The limits of the
text come from the model's columns; the rules (open, not twice) are the
service's (``services.registration.register``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.core.forms import ServiceErrorsMixin
from fordela.organisations.models import Organisation, OrganisationKind

from ..models import Registration

CHARACTER_COUNT_TEMPLATE = "reports/includes/character_count_field.html"

# The organisations one picks from: the public bodies whose staff come to the
# trainings. Anyone else (an NGO, a private provider) writes its name.
PICKABLE = (
    (OrganisationKind.KOMMUN, _("Municipalities")),
    (OrganisationKind.REGION, _("Regions")),
    (OrganisationKind.LANSSTYRELSE, _("County administrative boards")),
    (OrganisationKind.UNIVERSITY, _("Universities")),
    (OrganisationKind.AGENCY, _("Government agencies")),
)


def organisation_choices() -> list:
    """The select's options, grouped by kind (one query)."""
    groups: dict[str, list] = {kind: [] for kind, _label in PICKABLE}
    for pk, name, kind in Organisation.objects.filter(kind__in=groups).values_list(
        "pk", "name", "kind"
    ):
        groups[kind].append((pk, name))
    return [("", _("Choose your organisation"))] + [
        (label, groups[kind]) for kind, label in PICKABLE if groups[kind]
    ]


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=column_length(Registration, "name"),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=column_length(Registration, "email"),
        help_text=_("We send the confirmation and the link to cancel here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Where you work. If it is not in the list, write its name below."),
    )
    organisation_text = forms.CharField(
        label=_("Other organisation"),
        required=False,
        max_length=column_length(Registration, "organisation_text"),
    )
    special_needs = forms.CharField(
        label=_("Special needs"),
        required=False,
        max_length=column_length(Registration, "special_needs"),
        help_text=_(
            "For example food, access or a hearing loop. Only the organiser sees it. "
            "Do not write anything about people who have been subjected to violence."
        ),
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "class": "govuk-js-character-count",
                "aria-describedby": "id_special_needs-info id_special_needs_helptext",
            }
        ),
        template_name=CHARACTER_COUNT_TEMPLATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices()
        self.fields["special_needs"].max_chars = column_length(Registration, "special_needs")

    def clean(self):
        data = super().clean()
        unanswered = not data.get("organisation") and not data.get("organisation_text")
        if unanswered and not {"organisation", "organisation_text"} & set(self.errors):
            self.add_error(
                "organisation", _("Choose your organisation or write its name under Other.")
            )
        return data

    def clean_organisation(self):
        pk = self.cleaned_data.get("organisation")
        if pk is None:
            return None
        return Organisation.objects.get(pk=pk)  # the choice was validated
