"""Decision pages: the proposal, the decision and its return on the case
page, bulk decisions with their progress, the decision letter and the
public list of grants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import StaffAction, can_staff, is_member, require_staff
from fordela.core.confirm import confirmation
from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor

from .. import exports
from ..forms import ProposalForm, ReturnProposalForm
from ..letters import letter_filename
from ..models import Application, BulkDecisionRun, Decision, Outcome
from ..services import decisions
from .common import published_calls, require_reader, staff_case, staff_post


@require_GET
def granted_list(request, pk: int):
    call = get_object_or_404(published_calls(), pk=pk)
    rows = list(decisions.granted_decisions(call))
    return render(
        request,
        "applications/granted_list.html",
        {"call": call, "rows": rows, "total_sek": sum(d.amount_sek for d in rows)},
    )


@require_GET
def granted_list_csv(request, pk: int):
    call = get_object_or_404(published_calls(), pk=pk)
    return exports.granted_csv(call, decisions.granted_decisions(call))


@login_required
@require_GET
def letter(request, pk: int):
    """The decision letter as a download. The letter is made by the
    decision's task; until it exists the page says so (and nothing is made
    here: a GET never writes)."""
    application = get_object_or_404(Application, pk=pk)
    if not (
        is_member(request.user, application.organisation)
        or can_staff(request.user, StaffAction.READ_APPLICATIONS)
    ):
        raise PermissionDenied
    decision = get_object_or_404(Decision, application=application, decided_at__isnull=False)
    if not decision.letter:
        return render(
            request,
            "applications/letter_pending.html",
            {
                "application": application,
                "is_member": is_member(request.user, application.organisation),
            },
            status=404,
        )
    return file_download(decision.letter, letter_filename(decision))


def _case_url(application) -> str:
    return reverse("applications:case", args=[application.pk]) + "#decision"


@login_required
@require_POST
def propose(request, pk: int):
    def handle(application, data):
        decisions.propose_decision(
            request.user, application, data["outcome"], data["reasons"], data["amount_sek"]
        )
        return _("The decision has been proposed.")

    def confirm(application, data):
        # The case officer cannot take a proposal back: only the
        # beslutsfattare can send it back.
        require_staff(request.user, StaffAction.ASSESS_APPLICATIONS)
        outcome = Outcome(data["outcome"])
        if outcome == Outcome.GRANTED:
            amount = application.requested_sek
        elif outcome == Outcome.REFUSED:
            amount = 0
        else:
            amount = data["amount_sek"] or 0
        return confirmation(
            request,
            title=_("Propose this decision?"),
            consequences=[
                _(
                    "The proposal goes to the decision-maker. You cannot change it yourself "
                    "afterwards; only the decision-maker can send it back to you."
                )
            ],
            button=_("Yes, propose the decision"),
            cancel_url=_case_url(application),
            facts=[
                (_("Application"), str(application)),
                (_("Proposed decision"), outcome.label),
                (_("Amount"), kronor(amount)),
            ],
        )

    return staff_post(request, pk, ProposalForm, handle, confirm=confirm, prefix="proposal")


@login_required
@require_POST
def decide(request, pk: int):
    require_reader(request)
    require_staff(request.user, StaffAction.DECIDE_APPLICATIONS)
    application = staff_case(pk)
    decision = Decision.objects.filter(application=application, decided_at__isnull=True).first()
    if decision is not None:
        page = confirmation(
            request,
            title=_("Decide as proposed?"),
            consequences=[
                _(
                    "The decision is final: the decision letter is sent to the applicant "
                    "and a granted amount is paid out."
                )
            ],
            button=_("Yes, decide"),
            cancel_url=_case_url(application),
            facts=[
                (_("Application"), str(application)),
                (_("Decision"), decision.get_outcome_display()),
                (_("Amount"), kronor(decision.amount_sek)),
            ],
        )
        if page is not None:
            return page
    try:
        decisions.decide(request.user, application)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The decision has been made and the letter sent."))
    return redirect("applications:case", application.pk)


@login_required
@require_POST
def return_proposal(request, pk: int):
    require_staff(request.user, StaffAction.DECIDE_APPLICATIONS)

    def handle(application, data):
        decisions.return_proposal(request.user, application, data["reason"])
        return _("The proposal has been sent back to the case officer.")

    return staff_post(
        request,
        pk,
        ReturnProposalForm,
        handle,
        prefix="return",
        action=StaffAction.DECIDE_APPLICATIONS,
    )


@login_required
@require_POST
def bulk_start(request, call_id: int):
    require_reader(request)
    require_staff(request.user, StaffAction.DECIDE_APPLICATIONS)
    call = get_object_or_404(published_calls(), pk=call_id)
    page = confirmation(
        request,
        title=_("Decide all proposals?"),
        consequences=[
            _(
                "Every proposal you did not make yourself is decided as proposed and its "
                "decision letter is sent. The decisions cannot be undone."
            )
        ],
        button=_("Yes, decide all and send the letters"),
        cancel_url=reverse("applications:queue", args=[call.pk]),
        facts=[(_("Call"), call.title)],
    )
    if page is not None:
        return page
    try:
        run = decisions.start_bulk_decisions(request.user, call)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("applications:queue", call.pk)
    return redirect("applications:bulk", run.pk)


@login_required
@require_GET
def bulk(request, run_id: int):
    require_reader(request)
    run = get_object_or_404(BulkDecisionRun.objects.select_related("call"), pk=run_id)
    return render(request, "applications/bulk.html", {"run": run})


@login_required
@require_GET
def bulk_progress(request, run_id: int):
    require_reader(request)
    run = get_object_or_404(BulkDecisionRun, pk=run_id)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "done": run.done,
            "total": run.total,
            "percent": round(100 * run.done / run.total) if run.total else 100,
            "errors": run.errors,
            "finished": run.finished_at is not None,
        }
    )
