"""The report form: its questions come from the report's form version; the
economic statement is the same in every version. The forms only parse
input: the limits (characters, 0 ≤ used ≤ received) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.fields import KronorField
from fordela.core.forms import ServiceErrorsMixin

from .models import COMMENT_LIMIT, ReportSection, ReportStatus

CHARACTER_COUNT_TEMPLATE = "reports/includes/character_count_field.html"


def _text_field(
    label: str, help_text: str, limit: int | None, name: str, required: bool = False
) -> forms.CharField:
    attrs = {"rows": 6}
    if limit:
        attrs["class"] = "govuk-js-character-count"
        attrs["aria-describedby"] = f"id_{name}-info id_{name}_helptext"
    field = forms.CharField(
        label=label,
        help_text=help_text,
        # Required to submit, never to save a draft: the view drops "required".
        required=required,
        strip=False,
        widget=forms.Textarea(attrs=attrs),
        template_name=CHARACTER_COUNT_TEMPLATE if limit else None,
    )
    field.max_chars = limit
    return field


class ReportAnswersForm(forms.Form):
    """The questions of ``report.form``, then the economic statement."""

    def __init__(self, report, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.sections: dict[str, list[str]] = {s.value: [] for s in ReportSection}
        for question in report.form.questions:
            key = question["key"]
            self.fields[key] = _text_field(
                question["text"],
                question.get("help", ""),
                question.get("max_length"),
                key,
                required=question.get("required", False),
            )
            self.sections.setdefault(question["section"], []).append(key)
        self.fields["used_sek"] = KronorField(
            label=_("Used in the grant year (kr)"),
            help_text=_("Whole kronor, from 0 kr up to what you received."),
        )
        self.fields["economy_comment"] = _text_field(
            _("Comment on the economic statement"),
            _("For example what the money was used for, or why some of it was not used."),
            COMMENT_LIMIT,
            "economy_comment",
        )

    # Not named like the sections: a template looks ``form.results`` up as
    # the field ``results`` first.
    def section(self, name: str):
        return [self[key] for key in self.sections.get(name, [])]

    @property
    def activities_fields(self):
        return self.section(ReportSection.ACTIVITIES)

    @property
    def results_fields(self):
        return self.section(ReportSection.RESULTS)

    @property
    def lessons_fields(self):
        return self.section(ReportSection.LESSONS)

    def drop_required(self) -> None:
        """A field left empty is no error in a draft (the check page and the
        submission ask for it)."""
        for name, errors in list(self.errors.as_data().items()):
            kept = [error for error in errors if error.code != "required"]
            if kept:
                self.errors[name] = self.error_class(kept)
            else:
                del self.errors[name]

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class StaffFilterForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int)
    year = forms.TypedChoiceField(label=_("Grant year"), required=False, coerce=int)
    pool = forms.TypedChoiceField(label=_("Pool"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ReportStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue reports"), required=False)
    unused = forms.BooleanField(label=_("Only reports with unused money"), required=False)


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """The handläggare's review of a submitted report. The service checks the
    status, the reason and the deadline."""

    ACTIONS = [
        ("completion", _("Request completion")),
        ("approve", _("Approve")),
        ("reject", _("Do not approve")),
    ]
    action = forms.ChoiceField(label=_("Review"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Message to the organisation"),
        help_text=_(
            "For a completion request: what to complete. For a rejection: the reason. "
            "Optional for an approval."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    new_due_on = forms.DateField(
        label=_("New deadline for the completion"),
        help_text=_("Only for a completion request, e.g. 2022-05-15."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, e.g. 2022-05-15.")},
    )


class ContactForm(ServiceErrorsMixin, forms.Form):
    """The report's contact person; the service checks the values."""

    contact_name = forms.CharField(label=_("Contact person"), required=False)
    contact_email = forms.CharField(
        label=_("Contact person's e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    contact_phone = forms.CharField(
        label=_("Contact person's phone"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
