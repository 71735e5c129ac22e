"""The region staff's forms: a round, its questions, a proposal, a decision
sent back. They only parse input; the rules (the dates, the funding, four
eyes, the budget) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin
from fordela.programmes.models import ProgrammeYear

from .models import SubGrantOutcome, SubGrantRound
from .services.decisions import MOTIVATION_LENGTH
from .services.rounds import (
    MAX_QUESTIONS,
    QUESTION_HELP_LENGTH,
    QUESTION_KEY_LENGTH,
    QUESTION_MAX_LENGTH,
    QUESTION_TEXT_LENGTH,
)

CHARACTER_COUNT_TEMPLATE = "reports/includes/character_count_field.html"
TEXT_LIMIT = 4000


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text or _("For example 2022-05-15."),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter the date as YYYY-MM-DD, for example 2022-05-15."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RoundForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=column_length(SubGrantRound, "title"),
        error_messages={"required": _("Give the round a title.")},
    )
    summary = forms.CharField(
        label=_("In short"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purposes = forms.CharField(
        label=_("What the money may be used for"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label=_("Contact"),
        help_text=_("Who answers questions about the round, e.g. the head of VKV and an e-mail."),
        required=False,
        max_length=column_length(SubGrantRound, "contact"),
    )
    apply_by = _date(_("Last day to apply"))
    decide_by = _date(_("Decisions by"))
    use_from = _date(_("Money may be used from"), _("Within the grant year, e.g. 2022-01-01."))
    use_to = _date(_("Money may be used until"), _("Within the grant year, e.g. 2022-12-31."))
    report_by = _date(_("Report due"), _("After the use period, e.g. 2023-01-15."))
    own_funding_sek = KronorField(
        label=_("The region's own money (kr)"),
        help_text=_("Whole kronor the region adds itself; shown apart from the state grant."),
        required=False,
    )


class NewRoundForm(RoundForm):
    """A new round also names its region (when the user has more than one)
    and its grant year."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your regions.")},
    )
    programme_year = forms.ModelChoiceField(
        label=_("Grant year"),
        queryset=ProgrammeYear.objects.select_related("programme").order_by(
            "-year", "programme__reference_number"
        ),
        error_messages={
            "required": _("Choose the grant year."),
            "invalid_choice": _("Choose one of the grant years."),
        },
    )
    field_order = ["region", "programme_year"]

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        from fordela.organisations.models import Organisation

        self.fields["region"].queryset = Organisation.objects.filter(
            pk__in=[r.pk for r in regions]
        ).order_by("name")
        if len(regions) == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = regions[0].pk
        self.fields["programme_year"].label_from_instance = lambda year: (
            f"{year.year} ({year.programme.reference_number})"
        )


class QuestionForm(forms.Form):
    key = forms.CharField(
        label=_("Key"),
        help_text=_("Letters a–z, digits and _, e.g. purpose."),
        required=False,
        max_length=QUESTION_KEY_LENGTH,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    text = forms.CharField(label=_("Question"), required=False, max_length=QUESTION_TEXT_LENGTH)
    help = forms.CharField(
        label=_("Help text"),
        required=False,
        max_length=QUESTION_HELP_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_length = forms.IntegerField(
        label=_("Longest answer (characters)"),
        required=False,
        min_value=1,
        max_value=QUESTION_MAX_LENGTH,
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("At least 1 character."),
            "max_value": _("At most %(limit_value)s characters."),
        },
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def clean(self):
        data = super().clean()
        filled = data.get("key") or data.get("text")
        if filled:
            if not data.get("key"):
                self.add_error("key", _("Give the question a key."))
            if not data.get("text"):
                self.add_error("text", _("Write the question."))
            if not data.get("max_length") and "max_length" not in self.errors:
                self.add_error("max_length", _("Enter the longest answer in characters."))
        return data


def question_formset(data=None, questions=(), prefix: str = "q"):
    """The draft's questions with empty rows to add more (no script adds
    rows): a row left empty is no question."""
    initial = list(questions)
    extra = max(min(3, MAX_QUESTIONS - len(initial)), 0)
    formset = forms.formset_factory(
        QuestionForm, extra=extra, max_num=MAX_QUESTIONS, absolute_max=MAX_QUESTIONS
    )
    return formset(data, initial=initial, prefix=prefix)


def filled_questions(formset) -> list[dict]:
    return [
        {name: form.cleaned_data.get(name) for name in QuestionForm.base_fields}
        for form in formset
        if form.cleaned_data.get("key") or form.cleaned_data.get("text")
    ]


def _long_text(label, help_text, name: str, missing) -> forms.CharField:
    field = forms.CharField(
        label=label,
        help_text=help_text,
        error_messages={"required": missing},
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "class": "govuk-js-character-count",
                "aria-describedby": f"id_{name}-info id_{name}_helptext",
            }
        ),
        template_name=CHARACTER_COUNT_TEMPLATE,
    )
    field.max_chars = MOTIVATION_LENGTH
    return field


class ProposalForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Proposed decision"),
        choices=SubGrantOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose grant or reject.")},
    )
    amount_sek = KronorField(
        label=_("Amount to grant (kr)"),
        help_text=_(
            "Only for a grant: whole kronor, at least 1 and at most the amount applied for."
        ),
        required=False,
    )
    motivation = _long_text(
        _("Motivation"),
        _("Why the application is granted or rejected. The letter quotes it."),
        "motivation",
        _("Write the motivation for the decision."),
    )

    def clean(self):
        data = super().clean()
        granted = data.get("outcome") == SubGrantOutcome.GRANTED
        if granted and not data.get("amount_sek") and "amount_sek" not in self.errors:
            self.add_error("amount_sek", _("Enter the amount to grant in whole kronor."))
        return data


class ReturnForm(ServiceErrorsMixin, forms.Form):
    reason = _long_text(
        _("Why is the proposal sent back?"),
        _("The administrator reads it."),
        "reason",
        _("Say why the proposal is sent back."),
    )
