"""What the pages of the stages share: the published calls and, for agency
staff, reading a case and running one service from a case-page form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect

from fordela.access.permissions import StaffAction, require_staff
from fordela.core.flash import flash_errors

from ..models import Application, Call, ConsultationRequest


def published_calls():
    return Call.objects.filter(question_set__isnull=False).select_related("pool__programme_year")


def require_reader(request) -> None:
    require_staff(request.user, StaffAction.READ_APPLICATIONS)


def staff_case(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related(
            "organisation", "call__pool__programme_year", "question_set", "submitted_by"
        ).prefetch_related(
            Prefetch(
                "consultations", queryset=ConsultationRequest.objects.select_related("opinion")
            )
        ),
        pk=pk,
    )


def staff_post(
    request,
    pk: int,
    form_class,
    handle,
    confirm=None,
    *,
    prefix: str,
    action: StaffAction = StaffAction.ASSESS_APPLICATIONS,
    **form_kwargs,
):
    """Run one service from a case-page form, for a reader who may do
    ``action`` (anyone else is refused, 403, before the form is looked at:
    a beslutsfattare's empty assessment form is not "problems beside the
    fields" but not theirs to send). A form with problems (its own
    or the service's about its fields) is shown again on the case page with
    each problem beside its field (400); the service's other refusals become
    messages. With ``confirm`` (application, cleaned data → a confirmation
    page or None) a valid form is first confirmed (``core.confirm``). The
    form is the case page's ``<prefix>_form``."""
    require_reader(request)
    require_staff(request.user, action)
    application = staff_case(pk)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if not form.is_valid():
        return _case_with(request, application, prefix, form)
    if confirm is not None:
        page = confirm(application, form.cleaned_data)
        if page is not None:
            return page
    try:
        done = handle(application, form.cleaned_data)
    except ValidationError as error:
        fields = set(getattr(error, "error_dict", {})) & set(form.fields)
        if fields:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
            return _case_with(request, application, prefix, form)
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("applications:case", application.pk)


def _case_with(request, application, prefix: str, form):
    from .assessment import render_case  # the case page is the assessment's

    return render_case(request, application, status=400, forms={f"{prefix}_form": form})
