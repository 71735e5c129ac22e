"""The organiser's forms: the event, a session, cancelling a session, moving
a registration and marking attendance. The services check the rules; these
only read the input (times in Europe/Stockholm, the site's time zone)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.clock import STOCKHOLM
from fordela.core.forms import ServiceErrorsMixin
from fordela.organisations.models import Organisation

from ..counties import COUNTIES
from ..models import Event, Session
from ..services.organiser import grants_of


def _length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker; without it, typed as
    2022-09-01T09:00 (the hint says so)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


MOMENT_HINT = _("For example 2022-09-01 09:00")


def _moment(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=MOMENT_HINT,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class EventForm(ServiceErrorsMixin, forms.Form):
    organiser = forms.ModelChoiceField(
        label=_("Organiser"), queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=_length(Event, "title"))
    organiser_unit = forms.CharField(
        label=_("Unit or team"),
        required=False,
        max_length=_length(Event, "organiser_unit"),
        help_text=_("For example Nationella kompetensteamet mot hedersrelaterat våld och förtryck"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=Event._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    target_group = forms.CharField(
        label=_("Target group"),
        required=False,
        max_length=_length(Event, "target_group"),
        help_text=_("For example Socialtjänstens handläggare"),
    )
    county_code = forms.ChoiceField(
        label=_("County"),
        required=False,
        choices=[("", _("The whole country")), *COUNTIES.items()],
        help_text=_("The public list of events can be filtered by county."),
    )
    decision = forms.ModelChoiceField(
        label=_("Paid by a stimulus-fund grant"),
        required=False,
        queryset=None,
        empty_label=_("No"),
        help_text=_("The grant's follow-up report then lists the event and its attendance."),
    )

    def __init__(self, *args, organisers, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            # The organiser of an event does not change.
            del self.fields["organiser"]
            grants = grants_of(event.organiser)
        else:
            field = self.fields["organiser"]
            field.queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisers]
            ).order_by("name")
            field.label_from_instance = lambda organisation: organisation.name
            if len(organisers) == 1:
                field.initial = organisers[0].pk
            # Grants are offered once the organiser is known (when editing,
            # or with one organiser to choose from).
            grants = grants_of(organisers[0]) if len(organisers) == 1 else None
        if grants is not None and grants.exists():
            self.fields["decision"].queryset = grants
            self.fields["decision"].label_from_instance = lambda decision: (
                f"{decision.application.case_number or ''} {decision.call.title}".strip()
            )
        else:
            del self.fields["decision"]

    def event_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organiser", None)
        return data


class SessionForm(ServiceErrorsMixin, forms.Form):
    starts_at = _moment(_("Starts"))
    ends_at = _moment(_("Ends"))
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=_length(Session, "place"),
        help_text=_("Address and room; leave empty for an online session."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=_length(Session, "online_url"),
        assume_scheme="https",
    )
    capacity = forms.IntegerField(
        label=_("Number of seats"),
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    registration_opens_at = _moment(_("Registration opens"))
    registration_closes_at = _moment(_("Registration closes"))

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        return {name: getattr(session, name) for name in cls.base_fields}


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the participants"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the e-mail to everyone registered or waiting."),
    )


class MoveForm(ServiceErrorsMixin, forms.Form):
    session = forms.ModelChoiceField(label=_("Move to"), queryset=None, empty_label=None)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = session_label


def session_label(session: Session) -> str:
    start = session.starts_at.astimezone(STOCKHOLM)
    return f"{start:%Y-%m-%d %H:%M}, {session.place or session.online_url}"
