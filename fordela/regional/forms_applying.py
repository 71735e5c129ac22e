"""The applicant's forms in a regional round. They only parse and render:
the rules (unit code, amount within the round's budget, answer lengths,
contact details) are ``services.applying``'s, and the problems shown are the
service's."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin
from fordela.reports.forms import CHARACTER_COUNT_TEMPLATE

from .models import SubGrantApplication
from .services.applying import FIELDS


class StartForm(ServiceErrorsMixin, forms.Form):
    """Who applies: one of the user's organisations; for the round's region
    also the unit (kostnadsställe and name)."""

    organisation = forms.TypedChoiceField(
        label=_("Who applies?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who applies."),
            "invalid_choice": _("Choose one of your organisations."),
        },
    )
    unit_code = forms.CharField(
        label=_("Unit code (kostnadsställe)"),
        help_text=_("Only for the region's own units: 1–20 letters or digits, e.g. 4711."),
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"}),
    )
    unit_name = forms.CharField(
        label=_("The unit's name"),
        help_text=_(
            "Only for the region's own units, e.g. Kvinnokliniken, Södra Älvsborgs sjukhus."
        ),
        required=False,
    )

    def __init__(self, *args, applicants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (a.organisation.pk, a.organisation.name) for a in applicants
        ]
        if len(applicants) == 1:
            self.fields["organisation"].initial = applicants[0].organisation.pk


def _answer_field(question: dict) -> forms.CharField:
    limit = question.get("max_length")
    name = f"q_{question['key']}"
    attrs = {"rows": 6}
    if limit:
        attrs["class"] = "govuk-js-character-count"
        attrs["aria-describedby"] = f"id_{name}-info id_{name}_helptext"
    field = forms.CharField(
        label=question["text"],
        help_text=question.get("help", ""),
        # Required to submit, not to save a draft: the service decides.
        required=bool(question.get("required")),
        strip=False,
        widget=forms.Textarea(attrs=attrs),
        template_name=CHARACTER_COUNT_TEMPLATE if limit else None,
    )
    field.max_chars = limit
    return field


class ApplicationForm(ServiceErrorsMixin, forms.Form):
    """The application: project, amount, the round's questions (``q_<key>``,
    in the order of the application's pinned version), contact person."""

    use_required_attribute = False

    project_title = forms.CharField(
        label=_("Project title"), max_length=column_length(SubGrantApplication, "project_title")
    )
    requested_sek = KronorField(
        label=_("Amount applied for (kr)"),
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    contact_name = forms.CharField(
        label=_("Contact person's name"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.CharField(
        label=_("Contact person's e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    contact_phone = forms.CharField(
        label=_("Contact person's phone"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, questions=(), budget_sek: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if budget_sek is not None:
            from fordela.core.formatting import kronor

            self.fields["requested_sek"].help_text = _(
                "Whole kronor, at most the round's budget, %(max)s."
            ) % {"max": kronor(budget_sek)}
        contact = {name: self.fields.pop(name) for name in FIELDS if name.startswith("contact_")}
        self.question_names = []
        for question in questions:
            name = f"q_{question['key']}"
            self.fields[name] = _answer_field(question)
            self.question_names.append(name)
        self.fields.update(contact)

    @property
    def question_fields(self):
        return [self[name] for name in self.question_names]

    @property
    def contact_fields(self):
        return [self[name] for name in FIELDS if name.startswith("contact_")]

    def posted(self) -> dict:
        """What was posted, as the service reads it: every field, as typed."""
        return {name: self.data.get(name, "") for name in self.fields}

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        """Show the service's problems, beside their fields, and only them
        (the form's own parsing says the same in other words)."""
        self.is_valid()
        self._errors = ErrorDict()
        for name, messages in problems.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


def initial_for(application: SubGrantApplication) -> dict:
    data = {name: getattr(application, name) for name in FIELDS}
    for key, value in application.answers.items():
        data[f"q_{key}"] = value
    return data
