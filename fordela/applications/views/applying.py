"""The applicant's pages: the public call pages, starting an application,
the form with autosave and attachments, the check page with submission, the
status page and the answer to a completion request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.models import Membership
from fordela.access.permissions import Action, StaffAction, can, can_staff, is_member
from fordela.core import clock
from fordela.core.autosave import answer as autosave_answer
from fordela.core.autosave import refused as autosave_refused
from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation

from .. import calls as call_rules
from ..forms import ApplicationForm, AttachmentForm, CompletionAnswerForm, initial_for
from ..models import Application, Attachment, Decision
from ..services import applying, assessment
from .common import published_calls


@require_GET
def call_list(request):
    page = page_of(request, applying.open_calls_first(published_calls()))
    return render(
        request,
        "applications/call_list.html",
        {
            "page": page,
            "rows": [(c, call_rules.is_open(c), call_rules.days_left(c)) for c in page],
            "is_case_reader": can_staff(request.user, StaffAction.READ_APPLICATIONS),
            "is_consultee": can_staff(request.user, StaffAction.FILE_OPINION),
        },
    )


@require_GET
def call_detail(request, pk: int):
    call = get_object_or_404(published_calls(), pk=pk)
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
            # A closed call offers no start, only the applications already made.
            "own_applications": [(o, existing[o.pk]) for o, _may in startable if o.pk in existing],
        },
    )


@login_required
@require_POST
def start(request, organisation_id: int, call_id: int):
    call = get_object_or_404(published_calls(), pk=call_id)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    try:
        application = applying.start_application(request.user, organisation, call)
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
        applying.save_draft(request.user, application, form.changes())
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
    """The form's JavaScript posts here while the user types. The fields the
    form can read are saved; the answer names those it cannot."""
    application = _for_member(request, pk)
    form = _form(application, request.POST)
    form.is_valid()
    try:
        applying.save_draft(request.user, application, form.changes())
    except ValidationError as error:
        return autosave_refused(error)
    return autosave_answer(form)


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
        applying.attach_file(
            request.user,
            application,
            form.cleaned_data["item"],
            upload.name,
            # One byte more than allowed is enough to refuse it (the upload handler keeps no more).
            upload.read(settings.FORDELA_MAX_ATTACHMENT_BYTES + 1),
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
        applying.remove_attachment(request.user, attachment)
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
    return file_download(attachment.file, attachment.filename)


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
            applying.submit_application(request.user, application)
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your application has been submitted."))
            return redirect("applications:status", application.pk)
    missing = applying.missing(application)
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
        assessment.answer_completion(request.user, application, form.cleaned_data.get("answer", ""))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your completion has been sent."))
    return redirect("applications:status", application.pk)
