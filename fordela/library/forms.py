from django import forms
from django.utils.translation import gettext_lazy as _

from fordela.core.cleaning import column_length
from fordela.core.forms import ServiceErrorsMixin

from .models import Material, MaterialKind, MaterialPart, TargetGroup, Topic
from .services import MAX_PARTS, MaterialValues, Upload

# The free-text search box: longer queries are cut, never an error.
QUERY_LENGTH = 200


class MaterialFilterForm(forms.Form):
    """The public list's search and filters (GET); an invalid choice is
    shown beside its field and that filter is not applied."""

    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    publisher = forms.TypedChoiceField(label=_("Publisher"), required=False, coerce=int)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, publishers, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "publisher", "target_group", "topic", "q"):
            self.fields[name].widget.attrs["class"] = "govuk-!-width-full"
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + MaterialKind.choices
        self.fields["publisher"].choices = everything + [(p.pk, p.name) for p in publishers]
        self.fields["target_group"].choices = everything + TargetGroup.choices
        self.fields["topic"].choices = everything + Topic.choices


class MaterialForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=column_length(Material, "title"))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=column_length(Material, "summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the material is about and who it is for, in plain Swedish."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MaterialKind.choices, widget=forms.RadioSelect
    )
    publisher = forms.ModelChoiceField(label=_("Publisher"), queryset=None, empty_label=None)
    publisher_unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=column_length(Material, "publisher_unit"),
        help_text=_(
            "The part of the organisation that publishes it, for example "
            "Nationellt centrum för kvinnofrid (NCK)."
        ),
    )
    url = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=column_length(Material, "url"),
        help_text=_("The address of the publisher's page (https://). Give a link or upload a PDF."),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )
    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        help_text=_("Instead of a link: the material as one PDF file."),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, publishers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = publishers
        self.fields["publisher"].label_from_instance = lambda organisation: organisation.name

    def field_for_error(self, name: str) -> str | None:
        return name if name in self.fields else None

    def values(self, parts: list[dict]) -> MaterialValues:
        data = self.cleaned_data
        return MaterialValues(
            title=data["title"],
            summary=data["summary"],
            publisher=data["publisher"],
            kind=data["kind"],
            publisher_unit=data["publisher_unit"],
            url=data["url"],
            target_groups=data["target_groups"],
            topics=data["topics"],
            parts=parts,
        )

    def upload(self) -> Upload | None:
        file = self.cleaned_data.get("file")
        if not file:
            return None
        return Upload(name=file.name, data=file.read())


class PartForm(forms.Form):
    """One part of an entry (FREDA's instruments): described and linked."""

    title = forms.CharField(
        label=_("Title of the part"),
        required=False,
        max_length=column_length(MaterialPart, "title"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=column_length(MaterialPart, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    url = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=column_length(MaterialPart, "url"),
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        if (data.get("description") or data.get("url")) and not data.get("title"):
            self.add_error("title", _("Give the part a title, or leave all its fields empty."))
        if data.get("title") and not data.get("description"):
            self.add_error("description", _("Describe the part."))
        return data


def part_formset(data=None, parts=(), prefix: str = "part"):
    """The parts of an entry with empty rows up to ``MAX_PARTS`` (no script
    adds rows)."""
    initial = [{"title": p.title, "description": p.description, "url": p.url} for p in parts]
    formset = forms.formset_factory(
        PartForm, extra=MAX_PARTS - len(initial), max_num=MAX_PARTS, absolute_max=MAX_PARTS
    )
    return formset(data, initial=initial, prefix=prefix)


def filled_parts(formset) -> list[dict]:
    return [
        {key: form.cleaned_data.get(key, "") for key in ("title", "description", "url")}
        for form in formset
        if form.cleaned_data.get("title")
    ]
