"""Consultation pages: the handläggare sends an application to
Jämställdhetsmyndigheten; the consultee sees only the applications sent to
it and files an opinion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.permissions import StaffAction, require_staff
from fordela.core.flash import flash_errors
from fordela.core.pagination import page_of

from ..forms import ConsultationForm, OpinionForm
from ..models import ConsultationRequest, Opinion
from ..services.consultation import (
    consultation_state,
    file_opinion,
    requests_open_first,
    send_to_consultation,
)
from .common import staff_post


@login_required
@require_POST
def consult(request, pk: int):
    def handle(application, data):
        send_to_consultation(
            request.user,
            application,
            data["reply_by"],
            data["message"],
            site_url=request.build_absolute_uri("/"),
        )
        return _("The application has been sent to Jämställdhetsmyndigheten.")

    return staff_post(request, pk, ConsultationForm, handle, prefix="consultation")


def _consultee(request) -> None:
    require_staff(request.user, StaffAction.FILE_OPINION)


@login_required
@require_GET
def consultations(request):
    """Only the applications sent to Jämställdhetsmyndigheten, those waiting
    for an opinion first, a page at a time."""
    _consultee(request)
    page = page_of(request, requests_open_first())
    return render(
        request,
        "applications/consultations.html",
        {"page": page, "rows": [(r, consultation_state(r)) for r in page]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    _consultee(request)
    consultation_request = get_object_or_404(
        ConsultationRequest.objects.select_related(
            "application__organisation", "application__call", "application__question_set"
        ),
        pk=pk,
    )
    application = consultation_request.application
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            file_opinion(
                request.user,
                consultation_request,
                form.cleaned_data["text"],
                form.cleaned_data["recommendation"],
                form.cleaned_data["amount_sek"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your opinion has been filed."))
            return redirect("applications:consultation", consultation_request.pk)
    return render(
        request,
        "applications/consultation.html",
        {
            "request_": consultation_request,
            "application": application,
            "answers": [
                (q, application.answers.get(q.key, ""))
                for q in application.question_set.questions.all()
            ],
            "attachments": application.attachments.all(),
            "opinion": Opinion.objects.filter(request=consultation_request).first(),
            "state": consultation_state(consultation_request),
            "form": form,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
