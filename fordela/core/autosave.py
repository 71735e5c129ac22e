"""The answer of every autosave endpoint (requisitions, applications), which
the forms' little scripts show: a status line, and each problem beside its
field."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import clock


def _time() -> str:
    return date_format(clock.now(), "H:i:s")


def saved(**extra) -> JsonResponse:
    message = _("Draft saved at %(time)s.") % {"time": _time()}
    return JsonResponse({"saved": True, "message": message, **extra})


def refused(error: ValidationError) -> JsonResponse:
    return JsonResponse({"saved": False, "errors": error.messages}, status=400)


def answer(form) -> JsonResponse:
    """After saving what ``form`` could read (the endpoint adds the service's
    problems to the form with ``add_error``): saved, or saved except the
    fields it could not keep. ``errors`` lists each message after its field's
    label; ``fields`` gives them by the field's name, so the script shows each
    beside its field; ``valid`` names every field now in order, so the script
    takes away a problem it showed before. A field left empty is no error in a
    draft: the submission asks for it."""
    problems: dict[str, list[str]] = {}
    refused_fields = set()
    messages = []
    for name, errors in form.errors.as_data().items():
        field_messages = [m for error in errors if error.code != "required" for m in error]
        if not field_messages:
            continue
        if name in form.fields:
            problems[form[name].html_name] = field_messages
            refused_fields.add(name)
            label = form.fields[name].label
            messages += [f"{label}: {message}" for message in field_messages]
        else:
            messages += field_messages
    valid = [form[name].html_name for name in form.fields if name not in refused_fields]
    if not messages:
        return saved(fields={}, valid=valid)
    return JsonResponse(
        {
            "saved": False,
            "message": _("Draft saved at %(time)s, except what is marked.") % {"time": _time()},
            "errors": messages,
            "fields": problems,
            "valid": valid,
        },
        status=400,
    )
