"""Every Django form renders as the design system's markup (fordela/core/forms.py),
and the design system's helpers: status tags, steps, the confirmation page."""

import re

from django import forms
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from fordela.core.confirm import confirmation


class ExampleForm(forms.Form):
    name = forms.CharField(label="Namn", max_length=10)
    note = forms.CharField(label="Anteckning", required=False, help_text="Syns för handläggaren")
    text = forms.CharField(label="Beskrivning", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(
        label="Roll",
        choices=[("a", "Representant"), ("b", "Uppgiftssamordnare")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="Jag intygar")

    def clean(self):
        if self.cleaned_data.get("name") == "fel":
            raise forms.ValidationError("Hela formuläret är fel.")
        return self.cleaned_data


def render(form) -> str:
    with translation.override("sv"):
        return str(form)


def test_an_unbound_form_has_labels_hints_and_no_error_summary():
    html = render(ExampleForm())
    assert "govuk-error-summary" not in html
    assert '<label class="govuk-label govuk-label--s" for="id_name">Namn</label>' in html
    assert 'class="govuk-input"' in html and 'class="govuk-textarea"' in html
    assert "Anteckning (valfritt)" in html and "Namn (valfritt)" not in html
    assert '<div class="govuk-hint" id="id_note_helptext">Syns för handläggaren</div>' in html
    assert 'aria-describedby="id_note_helptext"' in html


def test_radios_and_a_checkbox_sit_beside_their_labels_in_a_fieldset():
    html = render(ExampleForm())
    assert '<fieldset class="govuk-fieldset"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Roll</legend>' in html
    radio = re.search(
        r'<input type="radio"[^>]*id="id_kind_0"[^>]*>\s*<label([^>]*)>Representant</label>', html
    )
    assert radio and 'class="govuk-label govuk-radios__label"' in radio.group(1)
    assert 'for="id_kind_0"' in radio.group(1)
    checkbox = re.search(r'<input type="checkbox"[^>]*>\s*<label([^>]*)>Jag intygar</label>', html)
    assert checkbox and 'for="id_agree"' in checkbox.group(1)
    assert 'class="govuk-checkboxes__input"' in html


def test_errors_sit_beside_their_fields_and_the_summary_links_to_each():
    form = ExampleForm(data={"name": "x" * 11, "kind": ""})
    assert not form.is_valid()
    html = render(form)
    summary = html[: html.index("govuk-form-group")]
    assert "Det finns ett problem" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links == ["id_name", "id_kind_0", "id_agree"]
    # The field's own error, with its id, which the input is described by.
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'id="id_name_error"' in html and "Fel:" in html
    name_input = re.search(r'<input type="text" name="name"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in name_input and "id_name_error" in name_input
    assert "govuk-input--error" in name_input
    # The value typed is kept, so nothing typed is lost.
    assert 'value="' + "x" * 11 + '"' in name_input


def test_the_forms_own_errors_are_in_the_summary_without_a_link():
    form = ExampleForm(data={"name": "fel", "kind": "a", "agree": "on"})
    assert not form.is_valid()
    html = render(form)
    assert "<li>Hela formuläret är fel.</li>" in html


def test_status_tags_steps_and_the_error_summary_for_several_forms():
    first, second = ExampleForm(data={}), ExampleForm(data={}, prefix="other")
    template = engines["django"].from_string(
        "{% load design_system %}{% status_tag 'paid' 'Utbetald' id='s' %}{% status_tag 'odd' 'Okänd' %}"
        "{% steps 2 'Fyll i' 'Granska' 'Skicka' %}"
        '{% include "forms/error_summary.html" with forms=both %}'
    )
    with translation.override("sv"):
        html = template.render({"both": [first, second]})
    assert '<strong class="govuk-tag govuk-tag--green" id="s">Utbetald</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Okänd</strong>' in html
    assert 'aria-label="Steg 2 av 3"' in html
    assert (
        '<li class="steps__done">Fyll i<span class="govuk-visually-hidden"> (klart)</span></li>'
        in html
    )
    assert '<li aria-current="step">Granska</li>' in html
    assert 'href="#id_name"' in html and 'href="#id_other-name"' in html


def test_the_confirmation_page_posts_the_same_form_again_until_confirmed(rf: RequestFactory, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post(
        "/x/?next=1", {"action": "submit", "ids": ["1", "2"], "csrfmiddlewaretoken": "t"}
    )
    request.user = AnonymousUser()
    with translation.override("sv"):
        response = confirmation(
            request,
            title="Skicka in?",
            consequences=["Det går inte att ångra."],
            button="Skicka",
            cancel_url="/tillbaka/",
        )
    html = response.content.decode()
    assert '<form method="post" action="/x/?next=1"' in html
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    assert ("action", "submit") in hidden and ("ids", "1") in hidden and ("ids", "2") in hidden
    assert ("confirmed", "1") in hidden and not any(
        name == "csrfmiddlewaretoken" and value == "t" for name, value in hidden
    )
    assert "Det går inte att ångra." in html and 'href="/tillbaka/"' in html

    confirmed = rf.post("/x/", {"action": "submit", "confirmed": "1"})
    assert confirmation(confirmed, title="", consequences=[], button="", cancel_url="/") is None
