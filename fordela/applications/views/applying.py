"""The applicant's pages: the public call pages, starting an application,
the form with autosave and attachments, the check page with submission, the
status page and the answer to a completion request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.models import Membership
from fordela.access.permissions import Action, StaffAction, can, can_staff, is_member
from fordela.core import clock
from fordela.core.autosave import answer as autosave_answer
from fordela.core.autosave import refused as autosave_refused
from fordela.core.confirm import confirmation
from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation
from fordela.payments import bankgiro

from .. import calls as call_rules
from ..forms import ApplicationForm, AttachmentForm, CompletionAnswerForm, initial_for
from ..models import Application, ApplicationStatus, Attachment, Decision
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


def _attachment_rows(application) -> list:
    """Each checklist item and file question with the files attached for it."""
    attachments = list(application.attachments.all())
    return [
        (key, label, [a for a in attachments if a.item == key])
        for key, label in _attachment_items(application)
    ]


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
            "attachment_rows": _attachment_rows(application),
            "may_submit": can(request.user, Action.SUBMIT_CASE, application.organisation),
            "may_delete": can(request.user, Action.START_CASE, application.organisation),
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
        _save_what_can_be_saved(request.user, application, form)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_edit(request, application, form, status=400)
    bank_giro = form.cleaned_data.get("bank_giro")
    if bank_giro and "bank_giro" not in form.errors and not bankgiro.is_valid(bank_giro):
        # Saved as typed, so nothing is lost, but it could not be paid to.
        form.add_error(
            "bank_giro",
            _(
                "The bank giro number is not valid: 7 or 8 digits with the right check digit. "
                "The draft is saved, but it cannot be submitted with this number."
            ),
        )
    if form.errors:
        return _render_edit(request, application, form, status=400)
    if action == "check":
        return redirect("applications:check", application.pk)
    messages.success(request, _("The draft has been saved."))
    return redirect("applications:edit", application.pk)


@login_required
@require_POST
def autosave(request, pk: int):
    """The form's JavaScript posts here while the user types. Every field the
    form and the service can read is saved; the answer names the others, by
    field, and they stay as typed in the form."""
    application = _for_member(request, pk)
    form = _form(application, request.POST)
    form.is_valid()
    try:
        _save_what_can_be_saved(request.user, application, form)
    except ValidationError as error:
        return autosave_refused(error)
    return autosave_answer(form)


def _save_what_can_be_saved(user, application, form) -> None:
    """Save the form's valid fields. When the service refuses some fields
    (a value its columns cannot hold), those become the form's errors and the
    rest is saved all the same: one bad field never loses the others. A
    refusal of the whole draft (submitted meanwhile, no right) is raised."""
    try:
        applying.save_draft(user, application, form.changes())
    except ValidationError as error:
        if not hasattr(error, "error_dict") or set(error.error_dict) == {NON_FIELD_ERRORS}:
            raise
        form.add_service_errors(error)
        applying.save_draft(user, application, form.changes())


@login_required
@require_POST
def attach(request, pk: int):
    application = _for_member(request, pk)
    form = AttachmentForm(request.POST, request.FILES, items=_attachment_items(application))
    target = "applications:status" if not application.is_draft else "applications:edit"
    if application.is_draft and request.POST.get("next") == "check":
        target = "applications:check"
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
    """Every answer, the budget and the attachments, what is missing before
    the application can be submitted; submit (after a confirmation)."""
    application = _for_member(request, pk)
    if not application.is_draft:
        return redirect("applications:status", application.pk)
    may_submit = can(request.user, Action.SUBMIT_CASE, application.organisation)
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        missing_now = applying.missing(application)
        if not missing_now:
            page = confirmation(
                request,
                title=_("Submit the application?"),
                consequences=[
                    _(
                        "Once submitted, the application cannot be changed or withdrawn here. "
                        "It gets a case number and Socialstyrelsen starts assessing it."
                    )
                ],
                button=_("Yes, submit the application"),
                cancel_url=reverse("applications:check", args=[application.pk]),
                facts=[
                    (_("Call"), application.call.title),
                    (_("Organisation"), application.organisation.name),
                    (_("Amount applied for"), kronor(application.requested_sek)),
                ],
                template="applications/confirm_submit.html",
            )
            if page is not None:
                return page
        try:
            applying.submit_application(request.user, application)
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_errors(request, error)
        else:
            return redirect(reverse("applications:status", args=[application.pk]) + "?kvittens=1")
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
    items = _attachment_items(application)
    rows_of_files = _attachment_rows(application)
    attached = {key for key, _label, files in rows_of_files if files}
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "call": application.call,
            "rows": rows,
            "may_submit": may_submit,
            "answers": _answers(application),
            "attachments": [a for _key, _label, files in rows_of_files for a in files],
            "attachment_rows": rows_of_files,
            "attachment_form": AttachmentForm(items=[i for i in items if i[0] not in attached]),
            "attachments_missing": any(key not in attached for key, _label in items),
        },
        status=200,
    )


def _answers(application) -> list:
    return [
        (q, application.answers.get(q.key, "")) for q in application.question_set.questions.all()
    ]


@login_required
@require_POST
def delete(request, pk: int):
    """Delete a draft (the ombud or a representant), after a confirmation."""
    application = _for_member(request, pk)
    if not application.is_draft:
        return redirect("applications:status", application.pk)
    if not can(request.user, Action.START_CASE, application.organisation):
        raise PermissionDenied
    page = confirmation(
        request,
        title=_("Delete the draft application?"),
        consequences=[
            _("The draft and its attachments are deleted. This cannot be undone."),
            _("You can start a new application to the call while it is open."),
        ],
        button=_("Yes, delete the draft"),
        cancel_url=reverse("applications:edit", args=[application.pk]),
        facts=[
            (_("Call"), application.call.title),
            (_("Organisation"), application.organisation.name),
        ],
    )
    if page is not None:
        return page
    try:
        applying.delete_draft(request.user, application)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("applications:edit", application.pk)
    messages.success(request, _("The draft application has been deleted."))
    return redirect("applications:mine")


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
            # Just after the submission the page opens with the receipt.
            "receipt": request.GET.get("kvittens") == "1",
        },
    )


@login_required
@require_POST
def complete(request, pk: int):
    """Send the answer to a completion request, after a confirmation: the
    answer cannot be changed once sent. What the service would refuse (no
    right to send, no answer, no open request) is refused at once, without
    the confirmation page."""
    application = _for_member(request, pk)
    form = CompletionAnswerForm(request.POST)
    form.is_valid()
    answer = form.cleaned_data.get("answer", "")
    if not can(request.user, Action.SUBMIT_CASE, application.organisation):
        raise PermissionDenied
    if answer.strip() and application.status == ApplicationStatus.COMPLETION_REQUESTED:
        page = confirmation(
            request,
            title=_("Send the completion?"),
            consequences=[
                _(
                    "Your answer and the files attached to the application go to "
                    "Socialstyrelsen, and the assessment continues."
                ),
                _("You cannot change the answer afterwards."),
            ],
            button=_("Yes, send the completion"),
            cancel_url=reverse("applications:status", args=[application.pk]) + "#completion",
            facts=[
                (_("Application"), str(application)),
                (_("Your answer"), answer.strip()),
            ],
        )
        if page is not None:
            return page
    try:
        assessment.answer_completion(request.user, application, answer)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your completion has been sent."))
    return redirect("applications:status", application.pk)
