"""The bound form a view answered with, read from the test client's
``response.context``.

The test client records every template rendered in the process while the
request runs, on any thread: a page the browser tests' live server renders
at that moment (its login page, say) lands in the same list. So a test asks
for the form by its class, never for whichever ``form`` comes first."""

from django import forms


def form_of(response, form_class: type[forms.BaseForm]) -> forms.BaseForm:
    found = {
        id(context["form"]): context["form"]
        for context in response.context
        if isinstance(context.get("form"), form_class)
    }
    assert len(found) == 1, f"expected one {form_class.__name__} in the context, found {len(found)}"
    return next(iter(found.values()))
