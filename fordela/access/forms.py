from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.organisations.models import Organisation

from . import roles as role_words
from .models import AttachmentKind, Invitation, OrganisationRole, RoleBasis, UserProfile

User = get_user_model()


class PasswordLoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OmbudApplicationForm(forms.Form):
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=13,
        help_text=_("Ten digits, e.g. 212000-1439."),
    )
    role_basis = forms.ChoiceField(
        label=_("Your mandate"), choices=RoleBasis.choices, widget=forms.RadioSelect
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Attachment type"))
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("PDF only, at most 10 MB. Scan all pages of one document into one PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, kinds: list[AttachmentKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]


class CompletionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What must the applicant complete?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class WriteOffForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for writing off"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RadioSelectWithHints(forms.RadioSelect):
    """Radios with a hint under each choice (the design system's radio
    hints), linked to its radio by ``aria-describedby``."""

    option_template_name = "access/widgets/radio_option_with_hint.html"

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        hint = self.hints.get(str(value))
        if hint and option["attrs"].get("id"):
            option["hint"] = hint
            option["hint_id"] = f"{option['attrs']['id']}-hint"
            option["attrs"]["aria-describedby"] = option["hint_id"]
        return option


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person you invite"),
        max_length=column_length(Invitation, "email"),
    )
    role = forms.ChoiceField(label=_("Role"), widget=RadioSelectWithHints)

    def __init__(self, *args, roles: list[OrganisationRole], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        # What each role may do, from the permission matrix.
        self.fields["role"].widget.hints = {role.value: role_words.describe(role) for role in roles}
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value


class MyContactDetailsForm(forms.Form):
    """Text is as long as its column (the user's, the profile's) holds."""

    first_name = forms.CharField(
        label=_("First name"), max_length=column_length(User, "first_name")
    )
    last_name = forms.CharField(label=_("Last name"), max_length=column_length(User, "last_name"))
    email = forms.EmailField(label=_("E-mail"), max_length=column_length(User, "email"))
    phone = forms.CharField(
        label=_("Phone"), max_length=column_length(UserProfile, "phone"), required=False
    )


class OrganisationContactDetailsForm(forms.Form):
    email = forms.EmailField(
        label=_("Organisation's e-mail"),
        max_length=column_length(Organisation, "email"),
        required=False,
    )
    phone = forms.CharField(
        label=_("Organisation's phone"),
        max_length=column_length(Organisation, "phone"),
        required=False,
    )
