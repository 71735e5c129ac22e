"""State changes of applications: applying, assessment, completion,
consultation and decisions. Each function checks permission, validates,
changes state in one transaction, writes an audit event and enqueues e-mail
on commit."""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.pdf import validate_pdf
from fordela.access.permissions import Action, StaffAction, can, require, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import case_numbers, clock, states
from fordela.core.templatetags.fordela import kronor
from fordela.payments import bankgiro
from fordela.payments.models import PayableSource
from fordela.payments.services import create_payable

from . import calls
from .models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CompletionRequest,
    ConsultationOutcome,
    ConsultationRequest,
    Decision,
    Opinion,
    Outcome,
    QuestionKind,
    Recommendation,
    RiskCheck,
    Score,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
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


def _transition(application: Application, target: str) -> None:
    refusal = _("An application that is %(status)s cannot be changed that way.")
    states.move(application, target, APPLICATION_TRANSITIONS, refusal)


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("call__pool", "organisation")
        .get(pk=application.pk)
    )


def deadline_message(call: Call) -> str:
    return _("The last day to apply was %(date)s. Applications can no longer be submitted.") % {
        "date": date_format(call.closes_on, "j F Y")
    }


# ------------------------------------------------------------------ applying


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


def _clean(changes: dict) -> tuple[dict, dict]:
    fields, answers = {}, {}
    for name, value in changes.items():
        if name in AMOUNT_FIELDS:
            if value in (None, ""):
                value = 0
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ValidationError(
                    {name: [_("Enter the amount in whole kronor, digits only.")]}
                ) from None
            if value < 0:
                raise ValidationError({name: [_("The amount cannot be negative.")]})
            fields[name] = value
        elif name == "bank_giro":
            fields[name] = bankgiro.normalise(value or "")
        elif name == "truth_declared":
            fields[name] = bool(value)
        elif name in FIELDS:
            fields[name] = (value or "").strip()
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
        locked = _lock(application)
        _editable(locked)
        before = _snapshot(locked)
        fields, answers = _clean(changes)
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
    pages = validate_pdf(data, max_bytes=MAX_ATTACHMENT_BYTES)
    with transaction.atomic():
        locked = _lock(application)
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
        locked = _lock(attachment.application)
        _editable(locked)
        record(
            user,
            AuditAction.APPLICATION_ATTACHMENT_REMOVED,
            locked,
            before={"file": attachment.filename},
        )
        attachment.delete()


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
            number = int(value.replace(" ", "").replace("\u202f", ""))
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
        locked = _lock(application)
        if locked.status != ApplicationStatus.DRAFT:
            _editable(locked)
            raise ValidationError(_("This application has already been submitted."))
        before = _snapshot(locked)
        fields, answers = _clean(changes or {})
        for name, value in fields.items():
            setattr(locked, name, value)
        if answers:
            locked.answers = {**locked.answers, **answers}
        errors = missing(locked)
        if errors:
            raise ValidationError(errors)
        moment = clock.now()
        _transition(locked, ApplicationStatus.SUBMITTED)
        locked.case_number = case_numbers.next_case_number(moment.year, case_numbers.APPLICATIONS)
        locked.submitted_at = moment
        locked.submitted_by = user
        locked.save()
        record(
            user, AuditAction.APPLICATION_SUBMITTED, locked, before=before, after=_snapshot(locked)
        )
        from .tasks import send_receipt

        transaction.on_commit(partial(send_receipt.enqueue, locked.pk))
    return locked


# ---------------------------------------------------------------- assessment


def _require_handlaggare(user) -> None:
    require_staff(user, StaffAction.ASSESS_APPLICATIONS)


UNDER_ASSESSMENT = (ApplicationStatus.SUBMITTED, ApplicationStatus.COMPLETION_REQUESTED)


def score_criterion(user, application: Application, criterion: str, score: int, comment: str):
    """Score one criterion 1–5 with a motivation (handläggare)."""
    _require_handlaggare(user)
    with transaction.atomic():
        locked = _lock(application)
        if locked.status not in UNDER_ASSESSMENT:
            raise ValidationError(_("Only applications being assessed can be scored."))
        if criterion not in {c["key"] for c in locked.call.criteria}:
            raise ValidationError(_("Unknown criterion."))
        if not 1 <= int(score) <= 5:
            raise ValidationError(_("The score must be from 1 to 5."))
        row, _created = Score.objects.update_or_create(
            application=locked,
            criterion=criterion,
            assessor=user,
            defaults={"score": int(score), "comment": comment.strip()},
        )
        record(user, AuditAction.APPLICATION_SCORED, locked, after={criterion: row.score})
    return row


def average_scores(application: Application) -> dict[str, float]:
    rows: dict[str, list[int]] = {}
    for s in application.scores.all():
        rows.setdefault(s.criterion, []).append(s.score)
    return {k: sum(v) / len(v) for k, v in rows.items()}


def save_risk_check(user, application: Application, **fields) -> RiskCheck:
    """Fill in the risk checklist (handläggare)."""
    _require_handlaggare(user)
    allowed = {
        "other_public_funding_checked",
        "other_agency_grants_checked",
        "founded_year",
        "register_checked",
        "notes",
    }
    with transaction.atomic():
        locked = _lock(application)
        values = {k: v for k, v in fields.items() if k in allowed}
        check, _created = RiskCheck.objects.update_or_create(
            application=locked, defaults={**values, "checked_by": user}
        )
        record(
            user,
            AuditAction.APPLICATION_RISK_CHECKED,
            locked,
            after={k: str(v) for k, v in values.items()},
        )
    return check


def other_agency_grants(application: Application):
    """Other grants from the agency to the same organisation: decided grants
    and requisitions (P11)."""
    from fordela.payments.models import Payable

    return (
        Payable.objects.filter(organisation=application.organisation)
        .exclude(reference=f"grant:{getattr(getattr(application, 'decision', None), 'pk', 0)}")
        .select_related("pool__programme_year")
        .order_by("-received_on")
    )


def request_completion(user, application: Application, message: str, reply_by: datetime.date):
    """Ask the applicant to complete the application (handläggare). The
    case waits until the applicant answers."""
    _require_handlaggare(user)
    if not message.strip():
        raise ValidationError({"message": [_("Write what the applicant must complete.")]})
    if reply_by < clock.today():
        raise ValidationError({"reply_by": [_("The reply date cannot be in the past.")]})
    with transaction.atomic():
        locked = _lock(application)
        before = {"status": locked.status}
        _transition(locked, ApplicationStatus.COMPLETION_REQUESTED)
        locked.save(update_fields=["status", "updated_at"])
        request = CompletionRequest.objects.create(
            application=locked,
            message=message.strip(),
            reply_by=reply_by,
            requested_by=user,
            requested_at=clock.now(),
        )
        record(
            user,
            AuditAction.APPLICATION_COMPLETION_REQUESTED,
            locked,
            before=before,
            after={"status": locked.status, "message": request.message},
        )
        from .tasks import send_completion_request

        transaction.on_commit(partial(send_completion_request.enqueue, request.pk))
    return request


def answer_completion(user, application: Application, answer: str, changes: dict | None = None):
    """The applicant answers the completion request; the case resumes
    (ombud and representant)."""
    if not can(user, Action.SUBMIT_CASE, application.organisation):
        raise PermissionDenied(
            _("Only the organisation's ombud or a representant can send a completion.")
        )
    if not answer.strip():
        raise ValidationError({"answer": [_("Write your answer.")]})
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != ApplicationStatus.COMPLETION_REQUESTED:
            raise ValidationError(_("No completion has been requested."))
        fields, answers = _clean(changes or {})
        for name, value in fields.items():
            setattr(locked, name, value)
        if answers:
            locked.answers = {**locked.answers, **answers}
        errors = {k: v for k, v in missing(locked).items() if k != "__all__"}
        if errors:
            raise ValidationError(errors)
        request = locked.completion_requests.select_for_update().get(answered_at__isnull=True)
        request.answer = answer.strip()
        request.answered_by = user
        request.answered_at = clock.now()
        request.save()
        _transition(locked, ApplicationStatus.SUBMITTED)
        locked.save()
        record(
            user,
            AuditAction.APPLICATION_COMPLETED,
            locked,
            before={"status": "completion_requested"},
            after={"status": locked.status, "answer": request.answer},
        )
    return locked


# -------------------------------------------------------------- consultation


def send_to_consultation(
    user, application: Application, reply_by: datetime.date, message: str = ""
):
    """Send the application to Jämställdhetsmyndigheten for views (*remiss*),
    with a reply date (handläggare)."""
    _require_handlaggare(user)
    if reply_by <= clock.today():
        raise ValidationError({"reply_by": [_("The reply date must be after today.")]})
    with transaction.atomic():
        locked = _lock(application)
        if not locked.call.needs_consultation:
            raise ValidationError(_("Applications to this call are not sent for consultation."))
        if locked.status not in UNDER_ASSESSMENT:
            raise ValidationError(_("Only applications being assessed can be sent."))
        if any(consultation_state(c) == "waiting" for c in locked.consultations.all()):
            raise ValidationError(_("The application is already out for consultation."))
        request = ConsultationRequest.objects.create(
            application=locked,
            reply_by=reply_by,
            message=message.strip(),
            sent_by=user,
            sent_at=clock.now(),
        )
        record(
            user,
            AuditAction.APPLICATION_SENT_FOR_CONSULTATION,
            locked,
            after={"reply_by": reply_by.isoformat()},
        )
        from .tasks import send_consultation_notice

        transaction.on_commit(partial(send_consultation_notice.enqueue, request.pk))
    return request


def consultation_state(request: ConsultationRequest) -> str:
    """``answered``, ``expired`` or ``waiting``."""
    try:
        request.opinion  # noqa: B018 - cached by select_related where it matters
    except Opinion.DoesNotExist:
        pass
    else:
        return "answered"
    if clock.is_past(request.reply_by):
        return "expired"
    return "waiting"


def file_opinion(
    user,
    request: ConsultationRequest,
    text: str,
    recommendation: str = "none",
    amount_sek: int | None = None,
) -> Opinion:
    """The consultee files its opinion (*yttrande*): one per request."""
    require_staff(user, StaffAction.FILE_OPINION)
    if not text.strip():
        raise ValidationError({"text": [_("Write the opinion.")]})
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": [_("Choose a recommendation.")]})
    with transaction.atomic():
        locked = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
        if Opinion.objects.filter(request=locked).exists():
            raise ValidationError(_("An opinion has already been filed for this request."))
        if clock.is_past(locked.reply_by):
            raise ValidationError(_("The reply date has passed."))
        opinion = Opinion.objects.create(
            request=locked,
            text=text.strip(),
            recommendation=recommendation,
            amount_sek=amount_sek or None,
            filed_by=user,
            filed_at=clock.now(),
        )
        record(
            user,
            AuditAction.APPLICATION_OPINION_FILED,
            locked.application,
            after={"recommendation": recommendation, "amount_sek": amount_sek},
        )
    return opinion


# ----------------------------------------------------------------- decisions


def _consultation_outcome(application: Application) -> str:
    if not application.call.needs_consultation:
        return ConsultationOutcome.NOT_NEEDED
    states = [consultation_state(c) for c in application.consultations.all()]
    if "answered" in states:
        return ConsultationOutcome.ANSWERED
    if "waiting" in states:
        raise ValidationError(_("Wait for the opinion or for the reply date to pass."))
    if "expired" in states:
        return ConsultationOutcome.EXPIRED
    raise ValidationError(_("Send the application to Jämställdhetsmyndigheten first."))


def granted_total(call: Call) -> int:
    return (
        Decision.objects.filter(call=call, decided_at__isnull=False).aggregate(
            total=Sum("amount_sek")
        )["total"]
        or 0
    )


def propose_decision(
    user, application: Application, outcome: str, reasons: str, amount_sek: int | None = None
) -> Decision:
    """The handläggare's proposal: full grant, partial grant with amount, or
    refusal, each with reasons."""
    _require_handlaggare(user)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose a decision.")]})
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for the decision.")]})
    with transaction.atomic():
        locked = _lock(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(_("Only an assessed application without a proposal can get one."))
        requested = locked.requested_sek
        if outcome == Outcome.GRANTED:
            amount = requested
        elif outcome == Outcome.REFUSED:
            amount = 0
        else:
            amount = int(amount_sek or 0)
            if not 1 <= amount < requested:
                raise ValidationError(
                    {
                        "amount_sek": [
                            _(
                                "A partial grant is at least 1 kr and less than the %(requested)s "
                                "applied for."
                            )
                            % {"requested": kronor(requested)}
                        ]
                    }
                )
        consultation = _consultation_outcome(locked)
        decision = Decision.objects.create(
            application=locked,
            call=locked.call,
            outcome=outcome,
            requested_sek=requested,
            amount_sek=amount,
            reasons=reasons.strip(),
            consultation=consultation,
            proposed_by=user,
            proposed_at=clock.now(),
        )
        _transition(locked, ApplicationStatus.PROPOSED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.APPLICATION_DECISION_PROPOSED,
            locked,
            after={"outcome": outcome, "amount_sek": amount, "consultation": consultation},
        )
    return decision


def decide(user, application: Application, *, send_letter: bool = True) -> Decision:
    """The beslutsfattare decides as proposed. Never the proposer. The sum
    granted in the call stays within its budget: the call row is locked, so
    two decisions at once are checked one after the other."""
    require_staff(user, StaffAction.DECIDE_APPLICATIONS)
    with transaction.atomic():
        call = Call.objects.select_for_update().select_related("pool").get(pk=application.call_id)
        locked = _lock(application)
        decision = Decision.objects.select_for_update().get(application=locked)
        if decision.is_decided:
            raise ValidationError(_("This application has already been decided."))
        if decision.proposed_by_id == user.pk:
            raise ValidationError(
                _("The decision must be made by someone other than the person who proposed it.")
            )
        already = granted_total(call)
        if already + decision.amount_sek > call.budget_sek:
            raise ValidationError(
                _(
                    "Granting %(amount)s would exceed the call's budget: %(granted)s of "
                    "%(budget)s is already granted."
                )
                % {
                    "amount": kronor(decision.amount_sek),
                    "granted": kronor(already),
                    "budget": kronor(call.budget_sek),
                }
            )
        moment = clock.now()
        decision.decided_by = user
        decision.decided_at = moment
        decision.save(update_fields=["decided_by", "decided_at"])
        _transition(locked, ApplicationStatus.DECIDED)
        locked.save(update_fields=["status", "updated_at"])
        if decision.amount_sek > 0:
            create_payable(
                source=PayableSource.GRANT,
                reference=f"grant:{decision.pk}",
                organisation=locked.organisation,
                pool=call.pool,
                case_number=locked.case_number,
                amount_sek=decision.amount_sek,
                bank_giro=locked.bank_giro,
                received_on=clock.local_date(moment),
            )
        record(
            user,
            AuditAction.APPLICATION_DECIDED,
            locked,
            before={"status": "proposed"},
            after={
                "status": locked.status,
                "outcome": decision.outcome,
                "amount_sek": decision.amount_sek,
            },
        )
        if send_letter:
            from .tasks import send_decision_letter

            transaction.on_commit(partial(send_decision_letter.enqueue, decision.pk))
    return decision


def return_proposal(user, application: Application, reason: str) -> Application:
    """The beslutsfattare sends a proposal back to the handläggare instead
    of deciding it; the application is assessed again."""
    require_staff(user, StaffAction.DECIDE_APPLICATIONS)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the proposal is sent back.")]})
    with transaction.atomic():
        locked = _lock(application)
        decision = Decision.objects.select_for_update().filter(application=locked).first()
        if decision is None or decision.is_decided:
            raise ValidationError(_("There is no undecided proposal to send back."))
        before = {
            "status": locked.status,
            "outcome": decision.outcome,
            "amount_sek": decision.amount_sek,
            "proposed_by": decision.proposed_by_id,
        }
        decision.delete()
        _transition(locked, ApplicationStatus.SUBMITTED)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user,
            AuditAction.APPLICATION_PROPOSAL_RETURNED,
            locked,
            before=before,
            after={"status": locked.status, "reason": reason.strip()},
        )
    return locked


def start_bulk_decisions(user, call: Call):
    """Decide every proposed application of ``call`` in the background and
    send the letters (beslutsfattare). Returns the run to follow."""
    from .models import BulkDecisionRun

    require_staff(user, StaffAction.DECIDE_APPLICATIONS)
    with transaction.atomic():
        pending = Decision.objects.filter(call=call, decided_at__isnull=True).exclude(
            proposed_by=user
        )
        total = pending.count()
        if total == 0:
            raise ValidationError(_("There are no proposals to decide."))
        run = BulkDecisionRun.objects.create(
            call=call, started_by=user, started_at=clock.now(), total=total
        )
        record(
            user,
            AuditAction.CALL_BULK_DECISIONS_STARTED,
            call,
            after={"run": run.pk, "total": total},
        )
        from .tasks import run_bulk_decisions

        transaction.on_commit(partial(run_bulk_decisions.enqueue, run.pk))
    return run
