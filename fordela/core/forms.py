"""Every Django form renders as the design system's markup (docs/design-system.md).

`FORM_RENDERER` points at `DesignSystemRenderer`, so `{{ form }}` and
`{{ field.as_field_group }}` give GOV.UK Frontend's form groups, labels, hints,
error messages beside the field and an error summary at the top of the form,
without a form or template having to ask for it.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

# The design system's class for each kind of widget, and its error modifier.
_WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str, str], ...] = (
    (forms.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (forms.Select, "govuk-select", "govuk-select--error"),
    (forms.ClearableFileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (forms.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (forms.CheckboxInput, "govuk-checkboxes__input", ""),
    (Input, "govuk-input", "govuk-input--error"),
)


def widget_classes(widget: forms.Widget, *, has_errors: bool) -> str:
    """The design system's classes for `widget`; '' for radios and checkbox lists,
    whose options get their classes in their own templates."""
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return ""
    for widget_type, css, error_css in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return f"{css} {error_css}" if has_errors and error_css else css
    return ""


class DesignSystemBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = widget_classes(widget, has_errors=bool(self.errors))
        if css:
            own = attrs.get("class") or widget.attrs.get("class") or ""
            attrs["class"] = f"{css} {own}".strip()
        return attrs


class DesignSystemRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = DesignSystemBoundField


def form_problems(forms_or_form) -> list[dict]:
    """What the error summary lists: each error of one form or several, the
    field's errors linking to the field (`anchor`), the form's own without."""
    if not forms_or_form:
        return []
    if isinstance(forms_or_form, forms.BaseForm):
        forms_or_form = [forms_or_form]
    problems = []
    for form in forms_or_form:
        if form is None or not form.is_bound:
            continue
        problems += [{"anchor": "", "message": error} for error in form.non_field_errors()]
        for field in form.visible_fields():
            problems += [{"anchor": _anchor(field), "message": error} for error in field.errors]
        for field in form.hidden_fields():
            problems += [{"anchor": "", "message": error} for error in field.errors]
    return problems


def _anchor(field: BoundField) -> str:
    """The id the summary links to: the field's input, or a list's first option
    (Django gives radios' and checkbox lists' legends no `for`)."""
    if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{field.auto_id}_0" if field.auto_id else ""
    return field.id_for_label or ""


class ServiceErrorsMixin:
    """For a form whose values a service checks: ``add_service_errors``
    puts the service's ``ValidationError`` beside the fields it names, and
    the rest above the form (the error summary shows both)."""

    def field_for_error(self, name: str) -> str | None:
        """The form field a service's error key belongs to, or None."""
        return name if name in self.fields else None

    def add_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                target = self.field_for_error(name)
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
