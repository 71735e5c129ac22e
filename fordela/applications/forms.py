"""Forms only parse input; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin
from fordela.payments import bankgiro
from fordela.payments.forms import BankGiroField

from .models import Application, Outcome, QuestionKind, Recommendation, Score
from .services import consultation
from .services.applying import AMOUNT_FIELDS, FIELDS


def _amount(label, help_text=""):
    return KronorField(label=label, help_text=help_text, required=False)


class ApplicationForm(ServiceErrorsMixin, forms.Form):
    """The application: fixed fields, then one field per question of the
    application's pinned question set (``q_<key>``). Text is as long as its
    column holds.

    A field the submission asks for is ``required`` (so its label has no
    "(optional)"), but a draft may leave it empty: the form reads an empty
    required field as empty, not as an error, and the check page names what
    is still missing (``services.applying.missing``)."""

    use_required_attribute = False

    project_title = forms.CharField(
        label=_("Project title"),
        max_length=column_length(Application, "project_title"),
    )
    requested_sek = KronorField(label=_("Amount applied for (kr)"), help_text=_("Whole kronor."))
    budget_personnel_sek = _amount(_("Budget: personnel (kr)"))
    budget_activities_sek = _amount(_("Budget: activities (kr)"))
    budget_other_sek = _amount(_("Budget: other costs (kr)"))
    other_public_funding = forms.CharField(
        label=_("Other public funding for the same activity"),
        help_text=_("Name the funder and the amount, or write “none”."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=column_length(Application, "contact_name"),
    )
    contact_email = forms.EmailField(
        label=_("Contact person's e-mail"),
        max_length=column_length(Application, "contact_email"),
    )
    bank_giro = BankGiroField(required=True)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_keys = []
        for question in questions:
            if question.kind == QuestionKind.FILE:
                continue
            name = f"q_{question.key}"
            common = {
                "label": question.text,
                "help_text": question.help_text,
                "required": question.required,
            }
            if question.kind == QuestionKind.TEXT:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=question.max_length or None,
                    **common,
                )
            elif question.kind in (QuestionKind.NUMBER, QuestionKind.AMOUNT):
                field = forms.CharField(
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common
                )
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect,
                    **common,
                )
            else:
                field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
            self.fields[name] = field
            self.question_keys.append(question.key)
        self.fields["truth_declared"] = forms.BooleanField(
            label=_("We confirm that the information in the application is true"),
            required=False,
        )

    def add_error(self, field, error):
        """An empty field is no error in a draft: it is saved as empty."""
        if (
            field in self.fields
            and isinstance(error, forms.ValidationError)
            and getattr(error, "code", None) == "required"
        ):
            self.cleaned_data[field] = self.fields[field].to_python("")
            return
        super().add_error(field, error)

    def changes(self) -> dict:
        """What to hand the service: valid fields, answers as a dict."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        answers = {}
        for key in self.question_keys:
            name = f"q_{key}"
            if name in data:
                answers[key] = data.pop(name) or ""
        data["answers"] = answers
        return data

    def field_for_error(self, name: str) -> str | None:
        # The service names an answer "q-<key>", the form's field is "q_<key>".
        target = "q_" + name[2:] if name.startswith("q-") else name
        return target if target in self.fields else None


def initial_for(application) -> dict:
    """The form's values for a saved draft: an amount not yet given (0) is
    left empty, a bank giro number written with its hyphen."""
    data = {name: getattr(application, name) for name in FIELDS}
    for name in AMOUNT_FIELDS:
        if not data[name]:
            data[name] = None
    data["bank_giro"] = bankgiro.formatted(data["bank_giro"] or "")
    for key, value in application.answers.items():
        data[f"q_{key}"] = value
    return data


class AttachmentForm(forms.Form):
    item = forms.ChoiceField(label=_("What is the file?"))
    file = forms.FileField(label=_("File (PDF)"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = list(items)


class CompletionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class ScoreForm(forms.Form):
    criterion = forms.CharField(
        widget=forms.HiddenInput, max_length=column_length(Score, "criterion")
    )
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score from 1 to 5."),
            "invalid_choice": _("Choose a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RiskForm(forms.Form):
    other_public_funding_checked = forms.BooleanField(
        label=_("Other public funding for the same activity checked"), required=False
    )
    other_agency_grants_checked = forms.BooleanField(
        label=_("Other grants from the agency to the organisation checked"), required=False
    )
    founded_year = forms.IntegerField(
        label=_("Year founded"), required=False, min_value=1800, max_value=2100
    )
    register_checked = forms.BooleanField(
        label=_("Register data checked (organisation number, board, signatories)"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CompletionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What must the applicant complete?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_by = forms.DateField(label=_("Reply by"), widget=forms.DateInput(attrs={"type": "date"}))


class ConsultationForm(forms.Form):
    """The reply date lies within the range the service allows
    (``consultation.reply_date_refusal``); the date picker offers only it."""

    reply_by = forms.DateField(label=_("Reply by"), widget=forms.DateInput(attrs={"type": "date"}))
    message = forms.CharField(
        label=_("Message to Jämställdhetsmyndigheten"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = consultation.reply_date_range()
        self.fields["reply_by"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())

    def clean_reply_by(self):
        reply_by = self.cleaned_data["reply_by"]
        refusal = consultation.reply_date_refusal(reply_by)
        if refusal:
            raise forms.ValidationError(refusal, code="reply_by")
        return reply_by


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 6}))
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, initial=Recommendation.NONE
    )
    amount_sek = _amount(_("Suggested amount (kr), if any"))


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Proposed decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    amount_sek = _amount(_("Amount for a partial grant (kr)"), _("Only for a partial grant."))
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class ReturnProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the proposal sent back?"), widget=forms.Textarea(attrs={"rows": 2})
    )
