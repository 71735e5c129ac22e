"""Application pages: the public call pages and list of grants, the
applicant's form, check page and status, the handläggare's queue and case,
the consultee's requests, and the bulk decisions with their progress."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.models import Membership
from fordela.access.permissions import Action, StaffAction, can, can_staff, is_member, require_staff
from fordela.audit.services import events_for
from fordela.core import clock
from fordela.core.flash import flash_errors
from fordela.organisations.models import Organisation

from . import calls as call_rules
from . import services
from .forms import (
    ApplicationForm,
    AttachmentForm,
    CompletionAnswerForm,
    CompletionRequestForm,
    ConsultationForm,
    OpinionForm,
    ProposalForm,
    ReturnProposalForm,
    RiskForm,
    ScoreForm,
    initial_for,
)
from .models import (
    Application,
    ApplicationStatus,
    Attachment,
    BulkDecisionRun,
    Call,
    ConsultationRequest,
    Decision,
    Opinion,
)

# -------------------------------------------------------------------- public


def _published_calls():
    return Call.objects.filter(question_set__isnull=False).select_related("pool__programme_year")


@require_GET
def call_list(request):
    rows = list(_published_calls().order_by("-closes_on"))
    return render(
        request,
        "applications/call_list.html",
        {
            "rows": [(c, call_rules.is_open(c), call_rules.days_left(c)) for c in rows],
            "is_case_reader": can_staff(request.user, StaffAction.READ_APPLICATIONS),
            "is_consultee": can_staff(request.user, StaffAction.FILE_OPINION),
        },
    )


@require_GET
def call_detail(request, pk: int):
    call = get_object_or_404(_published_calls(), pk=pk)
    startable, existing = [], {}
    if request.user.is_authenticated:
        memberships = Membership.objects.filter(user=request.user).select_related("organisation")
        for membership in memberships:
            organisation = membership.organisation
            if call_rules.eligible(call, organisation):
                startable.append((organisation, can(request.user, Action.START_CASE, organisation)))
        existing = {
            a.organisation_id: a
            for a in Application.objects.filter(
                call=call, organisation__in=[o for o, _ in startable]
            )
        }
    return render(
        request,
        "applications/call_detail.html",
        {
            "call": call,
            "is_open": call_rules.is_open(call),
            "days_left": call_rules.days_left(call),
            "not_yet_open": clock.today() < call.opens_on,
            "questions": call.question_set.questions.all(),
            "startable": [(o, may, existing.get(o.pk)) for o, may in startable],
        },
    )


def _granted(call: Call):
    return (
        Decision.objects.filter(call=call, decided_at__isnull=False, amount_sek__gt=0)
        .select_related("application__organisation")
        .order_by("application__organisation__name")
    )


@require_GET
def granted_list(request, pk: int):
    call = get_object_or_404(_published_calls(), pk=pk)
    rows = list(_granted(call))
    return render(
        request,
        "applications/granted_list.html",
        {"call": call, "rows": rows, "total_sek": sum(d.amount_sek for d in rows)},
    )


@require_GET
def granted_list_csv(request, pk: int):
    call = get_object_or_404(_published_calls(), pk=pk)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["case_number", "organisation_number", "organisation", "amount_sek"])
    for d in _granted(call):
        organisation = d.application.organisation
        writer.writerow(
            [
                d.application.case_number,
                organisation.organisation_number,
                organisation.name,
                d.amount_sek,
            ]
        )
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="beviljade-{call.pk}.csv"'
    return response


# --------------------------------------------------------------- applicant


@login_required
@require_POST
def start(request, organisation_id: int, call_id: int):
    call = get_object_or_404(_published_calls(), pk=call_id)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    try:
        application = services.start_application(request.user, organisation, call)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("applications:call", call.pk)
    return redirect("applications:edit", application.pk)


@login_required
@require_GET
def my_applications(request):
    """The applications of the user's organisations, with their status."""
    organisations = Membership.objects.filter(user=request.user).values_list(
        "organisation_id", flat=True
    )
    rows = (
        Application.objects.filter(organisation__in=organisations)
        .select_related("organisation", "call")
        .order_by("-created_at")
    )
    return render(request, "applications/my_applications.html", {"rows": rows})


def _for_member(request, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "organisation", "call__pool__programme_year", "question_set"
        ),
        pk=pk,
    )
    if not is_member(request.user, application.organisation):
        raise PermissionDenied
    return application


def _form(application, data=None):
    questions = list(application.question_set.questions.all())
    if data is None:
        return ApplicationForm(initial=initial_for(application), questions=questions)
    return ApplicationForm(data, questions=questions)


def _attachment_items(application):
    items = [(a["key"], a["label"]) for a in application.call.attachment_checklist]
    items += [(q.key, q.text) for q in application.question_set.questions.all() if q.kind == "file"]
    return items


def _render_edit(request, application, form, status=200, attachment_form=None):
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "attachment_form": attachment_form
            or AttachmentForm(items=_attachment_items(application)),
            "attachments": application.attachments.all(),
            "checklist": _attachment_items(application),
            "may_submit": can(request.user, Action.SUBMIT_CASE, application.organisation),
            "deadline_passed": clock.is_past(application.call.closes_on),
            "days_left": call_rules.days_left(application.call),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    application = _for_member(request, pk)
    if not application.is_draft:
        return redirect("applications:status", application.pk)
    if request.method == "GET":
        return _render_edit(request, application, _form(application))
    form = _form(application, request.POST)
    form.is_valid()
    action = request.POST.get("action", "save")
    try:
        services.save_draft(request.user, application, form.changes())
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_edit(request, application, form, status=400)
    if form.errors:
        return _render_edit(request, application, form, status=400)
    if action == "check":
        return redirect("applications:check", application.pk)
    messages.success(request, _("The draft has been saved."))
    return redirect("applications:edit", application.pk)


@login_required
@require_POST
def autosave(request, pk: int):
    """The form's JavaScript posts here while the user types."""
    application = _for_member(request, pk)
    form = _form(application, request.POST)
    form.is_valid()
    try:
        services.save_draft(request.user, application, form.changes())
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": error.messages}, status=400)
    return JsonResponse(
        {
            "saved": True,
            "message": _("Draft saved at %(time)s.") % {"time": date_format(clock.now(), "H:i:s")},
        }
    )


@login_required
@require_POST
def attach(request, pk: int):
    application = _for_member(request, pk)
    form = AttachmentForm(request.POST, request.FILES, items=_attachment_items(application))
    target = "applications:status" if not application.is_draft else "applications:edit"
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(target, application.pk)
    upload = form.cleaned_data["file"]
    try:
        services.attach_file(
            request.user, application, form.cleaned_data["item"], upload.name, upload.read()
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The file has been attached."))
    return redirect(target, application.pk)


@login_required
@require_POST
def remove_attachment(request, pk: int, attachment_id: int):
    application = _for_member(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    try:
        services.remove_attachment(request.user, attachment)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("applications:edit", application.pk)


def _may_read_case(user, application) -> bool:
    if is_member(user, application.organisation) or can_staff(user, StaffAction.READ_APPLICATIONS):
        return True
    return can_staff(user, StaffAction.FILE_OPINION) and application.consultations.exists()


@login_required
@require_GET
def attachment_file(request, pk: int, attachment_id: int):
    application = get_object_or_404(Application, pk=pk)
    if not _may_read_case(request.user, application):
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return FileResponse(
        attachment.file.open("rb"), content_type="application/pdf", filename=attachment.filename
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """What is missing before the application can be submitted; submit."""
    application = _for_member(request, pk)
    if not application.is_draft:
        return redirect("applications:status", application.pk)
    may_submit = can(request.user, Action.SUBMIT_CASE, application.organisation)
    if request.method == "POST":
        try:
            services.submit_application(request.user, application)
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your application has been submitted."))
            return redirect("applications:status", application.pk)
    missing = services.missing(application)
    form = _form(application)
    labels = {name: field.label for name, field in form.fields.items()}
    labels["budget"] = _("Budget")
    for key, label in _attachment_items(application):
        labels[f"a-{key}"] = label
    rows = []
    for key, problems in missing.items():
        name = "q_" + key[2:] if key.startswith("q-") else key
        rows.append((labels.get(name, ""), problems))
    return render(
        request,
        "applications/check.html",
        {"application": application, "rows": rows, "may_submit": may_submit},
        status=200,
    )


@login_required
@require_GET
def status(request, pk: int):
    """Receipt and status: the applicant follows the case here."""
    application = _for_member(request, pk)
    if application.is_draft:
        return redirect("applications:edit", application.pk)
    open_request = application.completion_requests.filter(answered_at__isnull=True).first()
    decision = Decision.objects.filter(application=application, decided_at__isnull=False).first()
    return render(
        request,
        "applications/status.html",
        {
            "application": application,
            "open_request": open_request,
            "answer_form": CompletionAnswerForm(),
            "attachment_form": AttachmentForm(items=_attachment_items(application)),
            "attachments": application.attachments.all(),
            "decision": decision,
            "may_submit": can(request.user, Action.SUBMIT_CASE, application.organisation),
        },
    )


@login_required
@require_POST
def complete(request, pk: int):
    application = _for_member(request, pk)
    form = CompletionAnswerForm(request.POST)
    form.is_valid()
    try:
        services.answer_completion(request.user, application, form.cleaned_data.get("answer", ""))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your completion has been sent."))
    return redirect("applications:status", application.pk)


@login_required
@require_GET
def letter(request, pk: int):
    application = get_object_or_404(Application, pk=pk)
    if not (
        is_member(request.user, application.organisation)
        or can_staff(request.user, StaffAction.READ_APPLICATIONS)
    ):
        raise PermissionDenied
    decision = get_object_or_404(Decision, application=application, decided_at__isnull=False)
    if not decision.letter:
        from .tasks import store_letter

        store_letter(decision)
    return FileResponse(
        decision.letter.open("rb"),
        content_type="application/pdf",
        filename=f"beslut-{application.case_number}.pdf",
    )


# ------------------------------------------------------------- handläggare


def _reader(request) -> None:
    require_staff(request.user, StaffAction.READ_APPLICATIONS)


@login_required
@require_GET
def staff_calls(request):
    _reader(request)
    rows = [(c, services.granted_total(c)) for c in _published_calls()]
    return render(request, "applications/staff_calls.html", {"rows": rows})


@login_required
@require_GET
def queue(request, call_id: int):
    _reader(request)
    call = get_object_or_404(_published_calls(), pk=call_id)
    applications = list(
        Application.objects.filter(call=call)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .select_related("organisation", "decision")
        .prefetch_related("scores")
        .order_by("case_number")
    )
    rows = []
    for application in applications:
        averages = services.average_scores(application)
        mean = sum(averages.values()) / len(averages) if averages else None
        rows.append((application, mean, getattr(application, "decision", None)))
    status_filter = request.GET.get("status", "")
    if status_filter:
        rows = [r for r in rows if r[0].status == status_filter]
    return render(
        request,
        "applications/queue.html",
        {
            "call": call,
            "rows": rows,
            "granted_sek": services.granted_total(call),
            "proposed_sek": sum(d.amount_sek for _a, _m, d in rows if d and not d.is_decided),
            "statuses": ApplicationStatus.choices,
            "status_filter": status_filter,
            "may_decide": can_staff(request.user, StaffAction.DECIDE_APPLICATIONS),
            "runs": call.bulk_runs.all()[:5],
        },
    )


def _case(pk: int) -> Application:
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


@login_required
@require_GET
def case(request, pk: int):
    _reader(request)
    application = _case(pk)
    if application.is_draft:
        raise PermissionDenied
    user = request.user
    scores = {
        s.criterion: s for s in application.scores.filter(assessor=user).select_related("assessor")
    }
    criteria = [
        (
            c,
            ScoreForm(
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
    consultations = [(c, services.consultation_state(c)) for c in application.consultations.all()]
    return render(
        request,
        "applications/case.html",
        {
            "application": application,
            "call": application.call,
            "answers": answers,
            "attachments": application.attachments.all(),
            "criteria": criteria,
            "all_scores": application.scores.select_related("assessor").order_by("criterion"),
            "averages": services.average_scores(application),
            "risk_form": risk_form,
            "risk": risk,
            "other_grants": services.other_agency_grants(application)[:20],
            "completion_requests": application.completion_requests.all(),
            "completion_form": CompletionRequestForm(prefix="completion"),
            "consultation_form": ConsultationForm(prefix="consultation"),
            "consultations": consultations,
            "proposal_form": ProposalForm(prefix="proposal"),
            "return_form": ReturnProposalForm(prefix="return"),
            "decision": decision,
            "is_handlaggare": can_staff(user, StaffAction.ASSESS_APPLICATIONS),
            "is_beslutsfattare": can_staff(user, StaffAction.DECIDE_APPLICATIONS),
            "granted_sek": services.granted_total(application.call),
            "events": events_for(application).order_by("created_at"),
        },
    )


def _staff_post(request, pk: int, form_class, handle, **form_kwargs):
    """Run one service from a case-page form; errors become messages."""
    _reader(request)
    application = _case(pk)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("applications:case", application.pk)
    try:
        done = handle(application, form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect("applications:case", application.pk)


@login_required
@require_POST
def score(request, pk: int):
    prefix = request.POST.get("criterion", "")

    def handle(application, data):
        services.score_criterion(
            request.user, application, data["criterion"], data["score"], data["comment"]
        )
        return _("The score has been saved.")

    _reader(request)
    form = ScoreForm(request.POST, prefix=prefix)
    application = _case(pk)
    if not form.is_valid():
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
        services.save_risk_check(request.user, application, **data)
        return _("The risk checklist has been saved.")

    return _staff_post(request, pk, RiskForm, handle, prefix="risk")


@login_required
@require_POST
def request_completion(request, pk: int):
    def handle(application, data):
        services.request_completion(request.user, application, data["message"], data["reply_by"])
        return _("The applicant has been asked to complete the application.")

    return _staff_post(request, pk, CompletionRequestForm, handle, prefix="completion")


@login_required
@require_POST
def consult(request, pk: int):
    def handle(application, data):
        services.send_to_consultation(request.user, application, data["reply_by"], data["message"])
        return _("The application has been sent to Jämställdhetsmyndigheten.")

    return _staff_post(request, pk, ConsultationForm, handle, prefix="consultation")


@login_required
@require_POST
def propose(request, pk: int):
    def handle(application, data):
        services.propose_decision(
            request.user, application, data["outcome"], data["reasons"], data["amount_sek"]
        )
        return _("The decision has been proposed.")

    return _staff_post(request, pk, ProposalForm, handle, prefix="proposal")


@login_required
@require_POST
def decide(request, pk: int):
    _reader(request)
    application = _case(pk)
    try:
        services.decide(request.user, application)
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
        services.return_proposal(request.user, application, data["reason"])
        return _("The proposal has been sent back to the case officer.")

    return _staff_post(request, pk, ReturnProposalForm, handle, prefix="return")


@login_required
@require_POST
def bulk_start(request, call_id: int):
    _reader(request)
    call = get_object_or_404(_published_calls(), pk=call_id)
    try:
        run = services.start_bulk_decisions(request.user, call)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("applications:queue", call.pk)
    return redirect("applications:bulk", run.pk)


@login_required
@require_GET
def bulk(request, run_id: int):
    _reader(request)
    run = get_object_or_404(BulkDecisionRun.objects.select_related("call"), pk=run_id)
    return render(request, "applications/bulk.html", {"run": run})


@login_required
@require_GET
def bulk_progress(request, run_id: int):
    _reader(request)
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


# ----------------------------------------------------------------- consultee


def _consultee(request) -> None:
    require_staff(request.user, StaffAction.FILE_OPINION)


@login_required
@require_GET
def consultations(request):
    """Only the applications sent to Jämställdhetsmyndigheten."""
    _consultee(request)
    rows = ConsultationRequest.objects.select_related(
        "application__organisation", "application__call", "opinion"
    ).order_by("reply_by")
    return render(
        request,
        "applications/consultations.html",
        {"rows": [(r, services.consultation_state(r)) for r in rows]},
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
            services.file_opinion(
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
            "state": services.consultation_state(consultation_request),
            "form": form,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
