"""Decision pages: the proposal, the decision and its return on the case
page, bulk decisions with their progress, the decision letter and the
public list of grants."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import StaffAction, can_staff, is_member, require_staff
from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors

from .. import exports
from ..forms import ProposalForm, ReturnProposalForm
from ..letters import letter_filename
from ..models import Application, BulkDecisionRun, Decision
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


@login_required
@require_POST
def propose(request, pk: int):
    def handle(application, data):
        decisions.propose_decision(
            request.user, application, data["outcome"], data["reasons"], data["amount_sek"]
        )
        return _("The decision has been proposed.")

    return staff_post(request, pk, ProposalForm, handle, prefix="proposal")


@login_required
@require_POST
def decide(request, pk: int):
    require_reader(request)
    application = staff_case(pk)
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

    return staff_post(request, pk, ReturnProposalForm, handle, prefix="return")


@login_required
@require_POST
def bulk_start(request, call_id: int):
    require_reader(request)
    call = get_object_or_404(published_calls(), pk=call_id)
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
