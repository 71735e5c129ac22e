"""The handläggare's pages: the calls, the queue of one call, the case page
with everything about one application, scores, the risk checklist and a
request for completion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fordela.access.permissions import StaffAction, can_staff, require_staff
from fordela.audit.services import events_for
from fordela.core.flash import flash_errors
from fordela.core.pagination import page_of

from ..forms import (
    CompletionRequestForm,
    ConsultationForm,
    ProposalForm,
    ReturnProposalForm,
    RiskForm,
    ScoreForm,
)
from ..models import ApplicationStatus, Decision
from ..services import assessment, consultation, decisions
from ..services.common import UNDER_ASSESSMENT
from .common import published_calls, require_reader, staff_case, staff_post


@login_required
@require_GET
def staff_calls(request):
    require_reader(request)
    calls = decisions.with_granted_totals(published_calls()).order_by(
        "-opens_on", "pool__slug", "pk"
    )
    return render(request, "applications/staff_calls.html", {"page": page_of(request, calls)})


@login_required
@require_GET
def queue(request, call_id: int):
    """One call's sent-in applications, a page at a time, optionally of one
    status. The totals and the bulk decision are the whole call's."""
    require_reader(request)
    call = get_object_or_404(published_calls(), pk=call_id)
    status_filter = request.GET.get("status", "")
    page = page_of(request, assessment.queue(call, status_filter))
    granted_sek, proposed_sek = decisions.amounts(call)
    return render(
        request,
        "applications/queue.html",
        {
            "call": call,
            "page": page,
            "rows": [(a, assessment.mean_score(a), getattr(a, "decision", None)) for a in page],
            "granted_sek": granted_sek,
            "proposed_sek": proposed_sek,
            "statuses": ApplicationStatus.choices,
            "status_filter": status_filter,
            "may_decide": can_staff(request.user, StaffAction.DECIDE_APPLICATIONS),
            "runs": call.bulk_runs.all()[:5],
        },
    )


@login_required
@require_GET
def case(request, pk: int):
    require_reader(request)
    application = staff_case(pk)
    if application.is_draft:
        raise PermissionDenied
    return render_case(request, application)


def render_case(
    request, application, *, status: int = 200, forms: dict | None = None, score_form=None
):
    """The case page; ``forms`` (and ``score_form``, one criterion's) replace
    some of its forms by bound ones: a form posted with problems shows them
    beside its fields (status 400)."""
    user = request.user
    scores = {
        s.criterion: s for s in application.scores.filter(assessor=user).select_related("assessor")
    }
    criteria = [
        (
            c,
            score_form
            if score_form is not None and score_form.prefix == c["key"]
            else ScoreForm(
                initial={
                    "criterion": c["key"],
                    "score": scores[c["key"]].score if c["key"] in scores else None,
                    "comment": scores[c["key"]].comment if c["key"] in scores else "",
                },
                prefix=c["key"],
            ),
        )
        for c in application.call.criteria
    ]
    risk = getattr(application, "risk_check", None)
    risk_form = RiskForm(
        prefix="risk",
        initial={
            f: getattr(risk, f)
            for f in (
                "other_public_funding_checked",
                "other_agency_grants_checked",
                "founded_year",
                "register_checked",
                "notes",
            )
        }
        if risk
        else {"founded_year": (application.answers.get("founded") or "")[:4] or None},
    )
    answers = [
        (q, application.answers.get(q.key, "")) for q in application.question_set.questions.all()
    ]
    decision = Decision.objects.filter(application=application).first()
    consultations = [
        (c, consultation.consultation_state(c)) for c in application.consultations.all()
    ]
    criterion_labels = {c["key"]: c["label"] for c in application.call.criteria}
    all_scores = application.scores.select_related("assessor").order_by("criterion")
    is_handlaggare = can_staff(user, StaffAction.ASSESS_APPLICATIONS)
    return render(
        request,
        "applications/case.html",
        {
            "application": application,
            "call": application.call,
            "answers": answers,
            "attachments": application.attachments.all(),
            "criteria": criteria,
            "score_rows": [(s, criterion_labels.get(s.criterion, s.criterion)) for s in all_scores],
            "averages": assessment.average_scores(application),
            "risk_form": risk_form,
            "risk": risk,
            "other_grants": assessment.other_agency_grants(application)[:20],
            "completion_requests": application.completion_requests.all(),
            "completion_form": CompletionRequestForm(prefix="completion"),
            "consultation_form": ConsultationForm(prefix="consultation"),
            "consultations": consultations,
            "proposal_form": ProposalForm(prefix="proposal"),
            "return_form": ReturnProposalForm(prefix="return"),
            "decision": decision,
            "is_handlaggare": is_handlaggare,
            # Scores and the risk checklist change only while the services
            # accept them: before a proposal, never after the decision.
            "may_assess": is_handlaggare and application.status in UNDER_ASSESSMENT,
            "is_beslutsfattare": can_staff(user, StaffAction.DECIDE_APPLICATIONS),
            "granted_sek": decisions.granted_total(application.call),
            "events": events_for(application),  # newest first, as on every case page
            **(forms or {}),
        },
        status=status,
    )


@login_required
@require_POST
def score(request, pk: int):
    prefix = request.POST.get("criterion", "")

    def handle(application, data):
        assessment.score_criterion(
            request.user, application, data["criterion"], data["score"], data["comment"]
        )
        return _("The score has been saved.")

    require_reader(request)
    require_staff(request.user, StaffAction.ASSESS_APPLICATIONS)
    form = ScoreForm(request.POST, prefix=prefix)
    application = staff_case(pk)
    if not form.is_valid():
        criteria = {c["key"] for c in application.call.criteria}
        if prefix in criteria and application.status in UNDER_ASSESSMENT:
            return render_case(request, application, status=400, score_form=form)
        messages.error(request, _("Choose a score from 1 to 5."))
        return redirect("applications:case", application.pk)
    try:
        messages.success(request, handle(application, form.cleaned_data))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("applications:case", application.pk)


@login_required
@require_POST
def risk(request, pk: int):
    def handle(application, data):
        assessment.save_risk_check(request.user, application, **data)
        return _("The risk checklist has been saved.")

    return staff_post(request, pk, RiskForm, handle, prefix="risk")


@login_required
@require_POST
def request_completion(request, pk: int):
    def handle(application, data):
        assessment.request_completion(request.user, application, data["message"], data["reply_by"])
        return _("The applicant has been asked to complete the application.")

    return staff_post(request, pk, CompletionRequestForm, handle, prefix="completion")
