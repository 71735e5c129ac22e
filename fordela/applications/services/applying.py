"""Applying (*ansöka*): start an application to a call, fill it in (with
autosave), attach PDFs and submit it for a case number and a receipt."""

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Case, DateField, F, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.pdf import validate_pdf
from fordela.access.permissions import Action, can, require
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import case_numbers, cleaning, clock
from fordela.core.formatting import kronor
from fordela.payments import bankgiro
from fordela.payments.services import is_agency_bank_giro

from .. import calls
from ..models import Application, ApplicationStatus, Attachment, Call, QuestionKind
from ..tasks import send_receipt
from .common import lock, transition

FIELDS = (
    "project_title",
    "requested_sek",
    "budget_personnel_sek",
    "budget_activities_sek",
    "budget_other_sek",
    "other_public_funding",
    "contact_name",
    "contact_email",
    "bank_giro",
    "truth_declared",
)
AMOUNT_FIELDS = (
    "requested_sek",
    "budget_personnel_sek",
    "budget_activities_sek",
    "budget_other_sek",
)


def _snapshot(application: Application) -> dict:
    data = {name: getattr(application, name) for name in FIELDS}
    data["answers"] = dict(application.answers)
    data["status"] = application.status
    data["case_number"] = application.case_number
    return data


def deadline_message(call: Call) -> str:
    return _("The last day to apply was %(date)s. Applications can no longer be submitted.") % {
        "date": date_format(call.closes_on, "j F Y")
    }


def open_calls_first(queryset):
    """The calls of ``queryset``, the open ones first (the nearest last day
    first), then the others by last day, latest first: the calls not yet
    open, then the closed ones. Open is what ``calls.is_open`` says: opened,
    and the last day not yet over."""
    today = clock.today()
    open_closes_on = Case(
        When(opens_on__lte=today, closes_on__gte=today, then=F("closes_on")),
        output_field=DateField(),
    )
    return queryset.alias(open_closes_on=open_closes_on).order_by(
        F("open_closes_on").asc(nulls_last=True), "-closes_on", "pk"
    )


def start_application(user, organisation, call: Call) -> Application:
    """Start (or reopen) the organisation's application to ``call``.
    Ombud and representant of an eligible organisation (START_CASE)."""
    require(user, Action.START_CASE, organisation)
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing:
        return existing
    if not calls.eligible(call, organisation):
        raise ValidationError(_("Your organisation cannot apply to this call."))
    if call.question_set is None:
        raise ValidationError(_("This call is not published yet."))
    if clock.today() < call.opens_on:
        raise ValidationError(
            _("The call opens on %(date)s.") % {"date": date_format(call.opens_on, "j F Y")}
        )
    if clock.is_past(call.closes_on):
        raise ValidationError(deadline_message(call))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                organisation=organisation,
                question_set=call.question_set,
                contact_name=user.get_full_name(),
                contact_email=user.email,
                bank_giro=organisation.bank_giro,
                created_by=user,
            )
            record(user, AuditAction.APPLICATION_STARTED, application, after=_snapshot(application))
    except IntegrityError:  # a double click: the other request created it
        return Application.objects.get(call=call, organisation=organisation)
    return application


def clean_changes(changes: dict) -> tuple[dict, dict]:
    """The form's ``changes`` as model fields and question answers: amounts
    in whole kronor, the bank giro normalised, text stripped. A value its
    column cannot hold (too long, not whole kronor, too large) is a field
    error."""
    fields, answers = {}, {}
    for name, value in changes.items():
        if name in AMOUNT_FIELDS:
            fields[name] = cleaning.amount_for(name, value)
        elif name == "bank_giro":
            fields[name] = bankgiro.normalise(value or "")
            if len(fields[name]) > bankgiro.MAX_DIGITS:
                raise ValidationError(
                    {name: [_("A bank giro number has 7 or 8 digits. Check the number.")]}
                )
        elif name == "truth_declared":
            fields[name] = bool(value)
        elif name in FIELDS:
            fields[name] = cleaning.text_for(Application, name, value)
        elif name == "answers":
            answers = {k: ("" if v is None else str(v).strip()) for k, v in value.items()}
    return fields, answers


def _editable(application: Application) -> None:
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.COMPLETION_REQUESTED):
        if application.case_number:
            raise ValidationError(
                _("This application has already been submitted (case number %(case)s).")
                % {"case": application.case_number}
            )
        raise ValidationError(_("This application can no longer be changed."))


def save_draft(user, application: Application, changes: dict) -> Application:
    """Save what has been filled in so far (any role; autosave)."""
    require(user, Action.FILL_IN, application.organisation)
    with transaction.atomic():
        locked = lock(application)
        _editable(locked)
        before = _snapshot(locked)
        fields, answers = clean_changes(changes)
        for name, value in fields.items():
            setattr(locked, name, value)
        if answers:
            locked.answers = {**locked.answers, **answers}
        after = _snapshot(locked)
        if record_changes(user, AuditAction.APPLICATION_DRAFT_SAVED, locked, before, after):
            locked.save()
    return locked


def attach_file(user, application: Application, item: str, name: str, data: bytes) -> Attachment:
    """Attach a PDF for a checklist item or file question (any role)."""
    require(user, Action.FILL_IN, application.organisation)
    pages = validate_pdf(data, max_bytes=settings.FORDELA_MAX_ATTACHMENT_BYTES)
    with transaction.atomic():
        locked = lock(application)
        _editable(locked)
        valid_items = {a["key"] for a in locked.call.attachment_checklist} | set(
            locked.question_set.questions.filter(kind=QuestionKind.FILE).values_list(
                "key", flat=True
            )
        )
        if item not in valid_items:
            raise ValidationError(_("Choose what the file is."))
        attachment = Attachment(
            application=locked,
            item=item,
            filename=name[:200],
            pages=pages,
            size=len(data),
            uploaded_by=user,
        )
        attachment.file.save(f"{locked.pk}-{item}.pdf", ContentFile(data), save=False)
        attachment.save()
        record(user, AuditAction.APPLICATION_ATTACHED, locked, after={"item": item, "file": name})
    return attachment


def remove_attachment(user, attachment: Attachment) -> None:
    require(user, Action.FILL_IN, attachment.application.organisation)
    with transaction.atomic():
        locked = lock(attachment.application)
        _editable(locked)
        record(
            user,
            AuditAction.APPLICATION_ATTACHMENT_REMOVED,
            locked,
            before={"file": attachment.filename},
        )
        attachment.delete()


def delete_draft(user, application: Application) -> None:
    """Delete a draft that was never submitted, with its attachments (*ta bort
    utkast*). Those who may start an application may delete it: the ombud
    and a representant (START_CASE). The audit event keeps what it held."""
    require(user, Action.START_CASE, application.organisation)
    with transaction.atomic():
        locked = lock(application)
        if locked.status != ApplicationStatus.DRAFT or locked.case_number:
            raise ValidationError(_("Only a draft that has not been submitted can be deleted."))
        attachments = list(locked.attachments.all())
        before = _snapshot(locked)
        before["attachments"] = [a.filename for a in attachments]
        record(user, AuditAction.APPLICATION_DRAFT_DELETED, locked, before=before)
        files = [a.file.name for a in attachments if a.file]
        storage = Attachment._meta.get_field("file").storage
        locked.delete()
        # The files go once the rows are gone for good.
        transaction.on_commit(partial(_delete_files, storage, files))


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _answer_problem(question, value: str) -> str | None:
    if question.kind == QuestionKind.FILE:
        return None
    if value == "":
        return _("Answer the question.") if question.required else None
    if question.kind == QuestionKind.TEXT:
        if question.max_length and len(value) > question.max_length:
            return _("Write at most %(n)s characters.") % {"n": question.max_length}
    elif question.kind in (QuestionKind.NUMBER, QuestionKind.AMOUNT):
        try:
            number = cleaning.whole_number(value)
        except ValueError:
            return _("Enter a whole number, digits only.")
        if question.min_value is not None and number < question.min_value:
            return _("Enter at least %(n)s.") % {"n": question.min_value}
        if question.max_value is not None and number > question.max_value:
            return _("Enter at most %(n)s.") % {"n": question.max_value}
    elif question.kind == QuestionKind.CHOICE:
        if value not in question.choices:
            return _("Choose one of the alternatives.")
    elif question.kind == QuestionKind.DATE:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return _("Enter the date as YYYY-MM-DD.")
    return None


def missing(application: Application) -> dict[str, list[str]]:
    """Everything that stops ``application`` from being submitted, as
    field → messages (question keys as ``q-<key>``, attachments as
    ``a-<key>``, ``__all__`` for the whole application)."""
    errors: dict[str, list[str]] = {}
    call = application.call
    if clock.is_past(call.closes_on) and application.is_draft:
        errors["__all__"] = [deadline_message(call)]
    if not application.project_title:
        errors["project_title"] = [_("Give the project a title.")]
    if application.requested_sek < 1:
        errors["requested_sek"] = [_("Enter the amount you apply for.")]
    elif application.requested_sek > call.budget_sek:
        errors["requested_sek"] = [
            _("You can apply for at most the call's budget, %(max)s.")
            % {"max": kronor(call.budget_sek)}
        ]
    if application.budget_total_sek != application.requested_sek:
        errors["budget"] = [
            _(
                "The budget lines add up to %(total)s but you apply for %(requested)s. "
                "They must be equal."
            )
            % {
                "total": kronor(application.budget_total_sek),
                "requested": kronor(application.requested_sek),
            }
        ]
    if not application.contact_name:
        errors["contact_name"] = [_("Enter the contact person's name.")]
    try:
        validate_email(application.contact_email)
    except ValidationError:
        errors["contact_email"] = [_("Enter the contact person's e-mail address.")]
    if not bankgiro.is_valid(application.bank_giro):
        errors["bank_giro"] = [
            _("The bank giro number is not valid: 7 or 8 digits with the right check digit.")
        ]
    elif is_agency_bank_giro(application.bank_giro):
        errors["bank_giro"] = [
            _(
                "This is the agency's own bank giro number. "
                "Enter your organisation's bank giro number."
            )
        ]
    attached = set(application.attachments.values_list("item", flat=True))
    for question in application.question_set.questions.all():
        if question.kind == QuestionKind.FILE:
            if question.required and question.key not in attached:
                errors[f"q-{question.key}"] = [_("Attach the file.")]
            continue
        problem = _answer_problem(question, application.answers.get(question.key, ""))
        if problem:
            errors[f"q-{question.key}"] = [problem]
    for item in call.attachment_checklist:
        if item["key"] not in attached:
            errors[f"a-{item['key']}"] = [_("Attach %(what)s as a PDF.") % {"what": item["label"]}]
    if not application.truth_declared:
        errors["truth_declared"] = [_("Confirm that the information is true.")]
    return errors


def submit_application(user, application: Application, changes: dict | None = None) -> Application:
    """Submit the application (*skicka in*). Ombud and representant only.
    All or nothing: a refused submission changes nothing."""
    if not can(user, Action.SUBMIT_CASE, application.organisation):
        raise PermissionDenied(
            _("Only the organisation's ombud or a representant can submit an application.")
        )
    with transaction.atomic():
        locked = lock(application)
        if locked.status != ApplicationStatus.DRAFT:
            _editable(locked)
            raise ValidationError(_("This application has already been submitted."))
        before = _snapshot(locked)
        fields, answers = clean_changes(changes or {})
        for name, value in fields.items():
            setattr(locked, name, value)
        if answers:
            locked.answers = {**locked.answers, **answers}
        errors = missing(locked)
        if errors:
            raise ValidationError(errors)
        moment = clock.now()
        transition(locked, ApplicationStatus.SUBMITTED)
        locked.case_number = case_numbers.next_case_number(moment.year, case_numbers.APPLICATIONS)
        locked.submitted_at = moment
        locked.submitted_by = user
        locked.save()
        record(
            user, AuditAction.APPLICATION_SUBMITTED, locked, before=before, after=_snapshot(locked)
        )

        transaction.on_commit(partial(send_receipt.enqueue, locked.pk))
    return locked
