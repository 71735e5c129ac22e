"""Recovery decision pages: the staff list (candidates to propose, proposals
to decide, decided), the proposal from a follow-up report, the decision's
case page with its decision and return, and the letter as a download for
staff and the organisation's members. Views parse input, call one service
and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.permissions import (
    StaffAction,
    is_member,
    require_staff,
    staff_can,
    staff_roles,
)
from fordela.audit.services import events_for
from fordela.core.confirm import confirmation
from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of
from fordela.reports.models import Report

from ..forms.decisions import RecoveryFilterForm, RecoveryProposalForm, RecoveryReturnForm
from ..letters import letter_filename
from ..models import Invoice, RecoveryDecision, RecoveryOutcome, RecoveryStatus
from ..services import decisions as services

CANDIDATE = "candidate"
# Candidates shown above the decisions when the list is not filtered to them.
CANDIDATES_SHOWN = 50


def _filters(request):
    form = RecoveryFilterForm(request.GET or None)
    years = sorted(
        set(Report.objects.order_by().values_list("year", flat=True).distinct()), reverse=True
    )
    form.fields["year"].choices = [("", _("All")), *[(y, y) for y in years]]
    form.fields["status"].choices = [
        ("", _("All")),
        (CANDIDATE, _("To propose")),
        *RecoveryStatus.choices,
    ]
    data = form.cleaned_data if form.is_valid() else {"status": "", "year": None}
    return form, data.get("status") or "", data.get("year")


@login_required
@require_GET
def decision_list(request):
    """Candidates to propose, proposals to decide and decisions made, with
    the counts; filtered by status and grant year. Its queries do not grow
    with the rows."""
    require_staff(request.user, StaffAction.READ_RECOVERY)
    form, status, year = _filters(request)
    candidates = services.recovery_candidates()
    decisions = RecoveryDecision.objects.select_related(
        "organisation", "pool", "proposed_by", "decided_by"
    ).order_by(
        Case(
            When(status=RecoveryStatus.PROPOSED, then=Value(0)),
            When(status=RecoveryStatus.RETURNED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        "-year",
        "organisation__name",
        "pk",
    )
    if year:
        candidates = candidates.filter(year=year)
        decisions = decisions.filter(year=year)
    counts = dict(decisions.order_by().values_list("status").annotate(n=Count("pk")))
    candidate_count = candidates.count()
    if status and status != CANDIDATE:
        decisions = decisions.filter(status=status)
    context = {
        "form": form,
        "status": status,
        "query": request.GET.urlencode(),
        "candidate_count": candidate_count,
        "counts": [(v, label, counts.get(v, 0)) for v, label in RecoveryStatus.choices],
    }
    if status == CANDIDATE:
        context["candidates"] = page_of(request, candidates)
        context["candidates_paged"] = True
    else:
        if not status:
            context["candidates"] = list(candidates[:CANDIDATES_SHOWN])
        context["page"] = page_of(request, decisions)
    return render(request, "recovery/decisions/list.html", context)


# --------------------------------------------------------------- proposing


def _render_propose(request, report, candidate, decision, form, status=200):
    return render(
        request,
        "recovery/decisions/propose.html",
        {
            "report": report,
            "candidate": candidate,
            "decision": decision,
            "origin": candidate.origin if candidate else (decision.origin if decision else None),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, report_id: int):
    """The handläggare proposes a claim or a waiver for a report that is a
    candidate, or proposes again a proposal that was sent back; prefilled
    from what the report suggests."""
    require_staff(request.user, StaffAction.PROPOSE_RECOVERY)
    report = get_object_or_404(
        Report.objects.select_related("organisation", "pool__programme_year"), pk=report_id
    )
    decision = RecoveryDecision.objects.filter(report=report).first()
    if decision is not None and decision.status != RecoveryStatus.RETURNED:
        messages.info(request, _("This report already has a recovery decision or proposal."))
        return redirect("recovery:decision", decision.pk)
    candidate = services.candidate_for(report)
    if decision is None and candidate is None:
        messages.error(request, _("This report needs no recovery decision."))
        return redirect("reports:staff_case", report.pk)
    if request.method == "GET":
        if decision is not None:
            initial = {
                "outcome": decision.outcome,
                "ground": decision.ground,
                "amount_sek": decision.amount_sek,
                "motivation": decision.motivation,
            }
        else:
            initial = {
                "outcome": RecoveryOutcome.CLAIM,
                "ground": candidate.ground,
                "amount_sek": candidate.suggested_sek,
            }
        form = RecoveryProposalForm(initial=initial)
        return _render_propose(request, report, candidate, decision, form)
    form = RecoveryProposalForm(request.POST)
    if not form.is_valid():
        return _render_propose(request, report, candidate, decision, form, status=400)
    data = form.cleaned_data
    try:
        proposed = services.propose_recovery(
            request.user,
            report,
            outcome=data["outcome"],
            ground=data["ground"],
            amount_sek=data["amount_sek"],
            motivation=data["motivation"],
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_propose(request, report, candidate, decision, form, status=400)
    messages.success(request, _("The recovery has been proposed. A decision-maker decides it."))
    return redirect("recovery:decision", proposed.pk)


# ---------------------------------------------------------------- deciding


def _decision(pk: int) -> RecoveryDecision:
    return get_object_or_404(
        RecoveryDecision.objects.select_related(
            "report",
            "organisation",
            "pool__programme_year",
            "proposed_by",
            "decided_by",
        ),
        pk=pk,
    )


def _render_case(request, decision, return_form=None, status=200):
    roles = staff_roles(request.user)
    proposed = decision.status == RecoveryStatus.PROPOSED
    may_decide = staff_can(roles, StaffAction.DECIDE_RECOVERY) and proposed
    return render(
        request,
        "recovery/decisions/case.html",
        {
            "decision": decision,
            "report": decision.report,
            "invoice": Invoice.objects.filter(decision=decision).first(),
            "events": events_for(decision),
            "may_decide": may_decide,
            "is_proposer": decision.proposed_by_id == request.user.pk,
            "may_propose_again": staff_can(roles, StaffAction.PROPOSE_RECOVERY)
            and decision.status == RecoveryStatus.RETURNED,
            "return_form": return_form or RecoveryReturnForm(),
        },
        status=status,
    )


@login_required
@require_GET
def decision(request, pk: int):
    require_staff(request.user, StaffAction.READ_RECOVERY)
    return _render_case(request, _decision(pk))


def _case_url(decision) -> str:
    return reverse("recovery:decision", args=[decision.pk])


@login_required
@require_POST
def decide(request, pk: int):
    """Decide as proposed, after the confirmation page."""
    require_staff(request.user, StaffAction.DECIDE_RECOVERY)
    decision = _decision(pk)
    if decision.status == RecoveryStatus.PROPOSED and decision.proposed_by_id != request.user.pk:
        if decision.is_claim:
            consequences = [
                _("The decision is final: the letter is sent to the organisation."),
                _("An invoice of %(amount)s with an OCR reference is issued.")
                % {"amount": kronor(decision.amount_sek)},
            ]
        else:
            consequences = [
                _("The decision is final: the letter is sent to the organisation."),
                _("Nothing is claimed back and no invoice is issued."),
            ]
        page = confirmation(
            request,
            title=_("Decide the recovery as proposed?"),
            consequences=consequences,
            button=_("Yes, decide"),
            cancel_url=_case_url(decision),
            facts=[
                (_("Case number"), decision.case_number),
                (_("Organisation"), decision.organisation.name),
                (_("Decision"), decision.get_outcome_display()),
                (_("Ground"), decision.get_ground_display()),
                (_("Amount"), kronor(decision.amount_sek)),
            ],
        )
        if page is not None:
            return page
    try:
        services.decide_recovery(request.user, decision)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The recovery has been decided and the letter is being sent."))
    return redirect("recovery:decision", decision.pk)


@login_required
@require_POST
def return_proposal(request, pk: int):
    """Send the proposal back to the handläggare, with the reason."""
    require_staff(request.user, StaffAction.DECIDE_RECOVERY)
    decision = _decision(pk)
    form = RecoveryReturnForm(request.POST)
    if not form.is_valid():
        return _render_case(request, decision, form, status=400)
    try:
        services.return_recovery_proposal(request.user, decision, form.cleaned_data["reason"])
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_case(request, decision, form, status=400)
    messages.success(request, _("The proposal has been sent back to the case officer."))
    return redirect("recovery:decision", decision.pk)


# ----------------------------------------------------------------- letter


@login_required
@require_GET
def letter(request, pk: int):
    """The decision letter as a download, for the agency's readers and the
    organisation's members; until the task has made it the page says so."""
    decision = get_object_or_404(RecoveryDecision.objects.select_related("organisation"), pk=pk)
    member = is_member(request.user, decision.organisation)
    if not member:
        require_staff(request.user, StaffAction.READ_RECOVERY)
    if decision.status != RecoveryStatus.DECIDED:
        raise Http404("The recovery is not decided.")
    if not decision.letter:
        return render(
            request,
            "recovery/decisions/letter_pending.html",
            {"decision": decision, "is_member": member},
            status=404,
        )
    return file_download(decision.letter, letter_filename(decision))
