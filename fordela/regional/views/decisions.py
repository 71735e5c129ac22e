"""The assessment page of one application in a regional round, with the
administrator's proposal, the decision maker's decision or return, and the
decision letter as a download. The application is read through its round
(``regional.access``): another region's staff get 403, the agency's readers
see it without forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import RegionalAction, is_member
from fordela.core.confirm import confirmation
from fordela.core.downloads import content_disposition
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor

from ..access import can_read_round, round_for
from ..forms_rounds import ProposalForm, ReturnForm
from ..letters import LETTER_RELATED, letter_filename, render_letter
from ..models import SubGrantApplication, SubGrantDecision, SubGrantStatus
from ..services import decisions as services
from .rounds import may

# A draft is the applicant's own until it is sent in.
STAFF_VISIBLE = (
    SubGrantStatus.SUBMITTED,
    SubGrantStatus.PROPOSED,
    SubGrantStatus.DECIDED,
)


def _application(request, pk: int, action: RegionalAction | None = None) -> SubGrantApplication:
    application = get_object_or_404(
        SubGrantApplication.objects.select_related(
            "organisation", "question_set", "submitted_by"
        ).filter(status__in=STAFF_VISIBLE),
        pk=pk,
    )
    # The round (with its region) through the one loader: 403 for another
    # region's staff and for anyone who is no reader of rounds.
    application.round = round_for(request.user, application.round_id, action)
    return application


def _decision(application) -> SubGrantDecision | None:
    return (
        SubGrantDecision.objects.select_related("proposed_by", "decided_by")
        .filter(application=application)
        .first()
    )


def _page(request, application, status: int = 200, **forms):
    decision = _decision(application)
    rights = may(request.user, application.round)
    questions = application.question_set.questions if application.question_set_id else []
    answers = [(q, application.answers.get(q["key"], "")) for q in questions]
    context = {
        "application": application,
        "round": application.round,
        "decision": decision,
        "may": rights,
        "answers": answers,
        "proposal_form": forms.get("proposal_form")
        or ProposalForm(prefix="proposal", initial={"amount_sek": application.requested_sek}),
        "return_form": forms.get("return_form") or ReturnForm(prefix="return"),
        "can_propose": rights["assess"]
        and application.status == SubGrantStatus.SUBMITTED
        and application.round.status in services.DECIDING,
        "can_decide": rights["decide"]
        and application.status == SubGrantStatus.PROPOSED
        and application.round.status in services.DECIDING,
        "own_proposal": decision is not None and decision.proposed_by_id == request.user.pk,
    }
    return render(request, "regional/rounds/assessment.html", context, status=status)


def _back(application):
    return redirect(reverse("regional:assessment", args=[application.pk]) + "#decision")


@login_required
@require_GET
def assessment(request, pk: int):
    return _page(request, _application(request, pk))


@login_required
@require_POST
def propose(request, pk: int):
    application = _application(request, pk, RegionalAction.ASSESS)
    form = ProposalForm(request.POST, prefix="proposal")
    if not form.is_valid():
        return _page(request, application, 400, proposal_form=form)
    data = form.cleaned_data
    try:
        services.propose(
            request.user, application, data["outcome"], data["motivation"], data["amount_sek"]
        )
    except ValidationError as error:
        if set(getattr(error, "error_dict", {})) & set(form.fields):
            form.add_service_errors(error)
            return _page(request, application, 400, proposal_form=form)
        flash_errors(request, error)
    else:
        messages.success(request, _("The decision has been proposed."))
    return _back(application)


@login_required
@require_POST
def decide(request, pk: int):
    application = _application(request, pk, RegionalAction.DECIDE)
    decision = _decision(application)
    if decision is not None and not decision.is_decided:
        page = confirmation(
            request,
            title=_("Decide as proposed?"),
            consequences=[
                _("The decision is final: the decision letter is e-mailed to the applicant.")
            ],
            button=_("Yes, decide"),
            cancel_url=reverse("regional:assessment", args=[application.pk]),
            facts=[
                (_("Applicant"), application.applicant_name),
                (_("Decision"), decision.get_outcome_display()),
                (_("Amount"), kronor(decision.amount_sek)),
                (_("Left in the round"), kronor(application.round.remaining_sek)),
            ],
        )
        if page is not None:
            return page
    try:
        services.decide(request.user, application)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The decision has been made and the letter is being sent."))
    return _back(application)


@login_required
@require_POST
def return_proposal(request, pk: int):
    application = _application(request, pk, RegionalAction.DECIDE)
    form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        return _page(request, application, 400, return_form=form)
    try:
        services.return_proposal(request.user, application, form.cleaned_data["reason"])
    except ValidationError as error:
        if set(getattr(error, "error_dict", {})) & set(form.fields):
            form.add_service_errors(error)
            return _page(request, application, 400, return_form=form)
        flash_errors(request, error)
    else:
        messages.success(request, _("The proposal has been sent back to the administrator."))
    return _back(application)


@login_required
@require_GET
def decision_letter(request, pk: int):
    """The decision letter as PDF, made from the decision (a GET writes
    nothing): for the region's staff, the agency's readers and the
    applicant's own members."""
    decision = get_object_or_404(
        SubGrantDecision.objects.select_related(*LETTER_RELATED), pk=pk, decided_at__isnull=False
    )
    if not (
        can_read_round(request.user, decision.round)
        or is_member(request.user, decision.application.organisation)
    ):
        raise PermissionDenied
    response = HttpResponse(render_letter(decision), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter_filename(decision))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
