"""The answer of every autosave endpoint (requisitions, applications), which
the forms' little script shows beside the form."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import clock


def saved() -> JsonResponse:
    message = _("Draft saved at %(time)s.") % {"time": date_format(clock.now(), "H:i:s")}
    return JsonResponse({"saved": True, "message": message})


def refused(error: ValidationError) -> JsonResponse:
    return JsonResponse({"saved": False, "errors": error.messages}, status=400)


def answer(form) -> JsonResponse:
    """After saving what ``form`` could read: saved, or the fields it could
    not read (they were not saved), each message after its field's label. A
    field left empty is no error in a draft: the submission asks for it."""
    messages = [
        f"{form.fields[name].label}: {message}" if name in form.fields else message
        for name, errors in form.errors.as_data().items()
        for error in errors
        if error.code != "required"
        for message in error
    ]
    if not messages:
        return saved()
    return JsonResponse({"saved": False, "errors": messages}, status=400)
