"""Applying in a region's own round (*ansöka om regionala medel*, issue 20
§3): the public round pages, starting an application (the region for one of
its own units, or an external local actor), the draft with autosave, the
submission with a case number and a receipt, and withdrawing a draft.

Who applies is the organisation in the e-service: a member with
``Action.START_CASE`` starts, ``FILL_IN`` fills in, ``SUBMIT_CASE`` submits
(the organisation matrix, as for the national calls). The region's own
staff (``REGIONAL_MATRIX``) read the applications through
``regional.access``; they never fill in an applicant's draft."""

import re
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, DateField, F, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from stdnum.se import orgnr

from fordela.access.models import Membership
from fordela.access.permissions import Action, can, require, role_can
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import case_numbers, cleaning, clock, states
from fordela.core.formatting import kronor
from fordela.organisations.models import Organisation

from ..models import (
    SUBGRANT_TRANSITIONS,
    ApplicantKind,
    RoundStatus,
    SubGrantApplication,
    SubGrantRound,
    SubGrantStatus,
)

# The application's own fields the applicant fills in; the questions'
# answers are ``q_<key>`` in a form and the service's problems.
FIELDS = ("project_title", "requested_sek", "contact_name", "contact_email", "contact_phone")
# A unit code (kostnadsställe): letters and digits, 1–20 of them.
UNIT_CODE = re.compile(r"[0-9A-Za-zÅÄÖåäö]{1,20}")
# A phone number: digits with spaces, hyphens, brackets, a leading plus.
PHONE = re.compile(r"\+?[0-9 ()\-]{5,40}")

# ------------------------------------------------------------ public pages


def public_rounds():
    """Every round that is not a draft, its region read along: the open
    ones first (the nearest last day first), then the others, the latest
    last day first."""
    today = clock.today()
    open_apply_by = Case(
        When(status=RoundStatus.OPEN, apply_by__gte=today, then=F("apply_by")),
        output_field=DateField(),
    )
    return (
        SubGrantRound.objects.exclude(status=RoundStatus.DRAFT)
        .select_related("region", "programme_year")
        .alias(open_apply_by=open_apply_by)
        .order_by(F("open_apply_by").asc(nulls_last=True), "-apply_by", "pk")
    )


def is_open(round_: SubGrantRound) -> bool:
    """Open for applications: opened by the region and the last day not over."""
    return (
        round_.status == RoundStatus.OPEN
        and round_.question_set_id is not None
        and not clock.is_past(round_.apply_by)
    )


def deadline_message(round_: SubGrantRound) -> str:
    return _("The last day to apply was %(date)s. Applications can no longer be submitted.") % {
        "date": date_format(round_.apply_by, "j F Y")
    }


def _not_open_message(round_: SubGrantRound) -> str:
    if round_.status == RoundStatus.OPEN and clock.is_past(round_.apply_by):
        return deadline_message(round_)
    return _("The round is not open for applications.")


# ---------------------------------------------------------------- starting


@dataclass(frozen=True)
class Applicant:
    """One of the user's organisations as an applicant in a round: how it
    applies (``kind``, None when it cannot) and whether the user may start
    an application for it (``may_start``), or why not (``refusal``)."""

    organisation: Organisation
    kind: str | None
    may_start: bool
    refusal: str = ""


def applicants_for(user, round_: SubGrantRound) -> list[Applicant]:
    """The user's organisations and how each may apply in ``round_`` (one
    query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    applicants = []
    for membership in memberships:
        organisation = membership.organisation
        kind, refusal = _kind_of(round_, organisation)
        may = kind is not None and role_can(membership.role, Action.START_CASE)
        if kind is not None and not may:
            refusal = _("Only the ombud or a representative can start an application.")
        applicants.append(Applicant(organisation, kind, may, refusal))
    return applicants


def _kind_of(round_: SubGrantRound, organisation: Organisation) -> tuple[str | None, str]:
    """How ``organisation`` applies in ``round_``: the round's region for one
    of its own units, any other organisation with a valid organisation number
    (its check digit) as an external actor; without one it cannot apply (the
    reason)."""
    if organisation.pk == round_.region_id:
        return ApplicantKind.OWN_UNIT, ""
    if organisation.organisation_number:
        if not orgnr.is_valid(organisation.organisation_number):
            return None, _(
                "%(name)s's organisation number in Fördela, %(number)s, is not a valid Swedish "
                "organisation number (its check digit is wrong). Ask us to correct it before "
                "you apply."
            ) % {"name": organisation.name, "number": organisation.organisation_number}
        return ApplicantKind.EXTERNAL, ""
    return None, _(
        "%(name)s has no organisation number in Fördela. An external actor applies with its "
        "organisation number; contact the region."
    ) % {"name": organisation.name}


def _clean_unit(code: str, name: str) -> tuple[str, str]:
    code, name = (code or "").strip(), (name or "").strip()
    errors = {}
    if not code:
        errors["unit_code"] = [_("Enter the unit's code (kostnadsställe).")]
    elif not UNIT_CODE.fullmatch(code):
        errors["unit_code"] = [
            _("The unit code (kostnadsställe) is 1–20 letters or digits, without spaces.")
        ]
    limit = cleaning.column_length(SubGrantApplication, "unit_name")
    if not name:
        errors["unit_name"] = [_("Enter the unit's name.")]
    elif len(name) > limit:
        errors["unit_name"] = [_("Write at most %(n)s characters.") % {"n": limit}]
    if errors:
        raise ValidationError(errors)
    return code, name


def start_application(
    user,
    round_: SubGrantRound,
    organisation: Organisation,
    *,
    unit_code: str = "",
    unit_name: str = "",
) -> SubGrantApplication:
    """Start an application in ``round_`` for ``organisation`` (ombud or
    representant: START_CASE). The round's region applies for one of its own
    units (``unit_code``, the kostnadsställe, and ``unit_name``); any other
    organisation applies as an external actor with its organisation number,
    without a unit code. Starting again while a draft for the same applicant
    (and unit) exists gives that draft: a double click makes one."""
    require(user, Action.START_CASE, organisation)
    if not is_open(round_):
        raise ValidationError(_not_open_message(round_))
    kind, refusal = _kind_of(round_, organisation)
    if kind is None:
        raise ValidationError(refusal)
    if kind == ApplicantKind.OWN_UNIT:
        unit_code, unit_name = _clean_unit(unit_code, unit_name)
    elif (unit_code or "").strip() or (unit_name or "").strip():
        raise ValidationError(
            {
                "unit_code": [
                    _(
                        "Only %(region)s's own units apply with a unit code. %(name)s applies "
                        "as an external actor with its organisation number: leave the unit "
                        "code and unit name empty."
                    )
                    % {"region": round_.region.name, "name": organisation.name}
                ]
            }
        )
    with transaction.atomic():
        # One start at a time per organisation: a second click waits here
        # and then finds the draft the first one made.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        existing = SubGrantApplication.objects.filter(
            round=round_,
            organisation=organisation,
            unit_code=unit_code if kind == ApplicantKind.OWN_UNIT else "",
            status=SubGrantStatus.DRAFT,
        ).first()
        if existing:
            return existing
        application = SubGrantApplication.objects.create(
            round=round_,
            kind=kind,
            organisation=organisation,
            unit_code=unit_code if kind == ApplicantKind.OWN_UNIT else "",
            unit_name=unit_name if kind == ApplicantKind.OWN_UNIT else "",
            question_set=round_.question_set,
            contact_name=user.get_full_name()[:200],
            contact_email=user.email,
            created_by=user,
        )
        record(user, AuditAction.SUBGRANT_STARTED, application, after=_snapshot(application))
    return application


# ------------------------------------------------------------------ drafts


def _snapshot(application: SubGrantApplication) -> dict:
    data = {name: getattr(application, name) for name in FIELDS}
    data.update(
        kind=application.kind,
        unit_code=application.unit_code,
        unit_name=application.unit_name,
        answers=dict(application.answers),
        status=application.status,
        case_number=application.case_number,
    )
    return data


def questions_of(application: SubGrantApplication) -> list[dict]:
    """The questions the application answers: its pinned version's."""
    return list(application.question_set.questions)


def lock(application: SubGrantApplication) -> SubGrantApplication:
    return (
        SubGrantApplication.objects.select_for_update(of=("self",))
        .select_related("round__region", "organisation", "question_set")
        .get(pk=application.pk)
    )


def _editable(application: SubGrantApplication) -> None:
    if application.status == SubGrantStatus.DRAFT:
        return
    if application.case_number:
        raise ValidationError(
            _("This application has already been submitted (case number %(case)s).")
            % {"case": application.case_number}
        )
    raise ValidationError(_("This application can no longer be changed."))


def _clean_amount(round_: SubGrantRound, value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        amount = cleaning.parse_kronor(value)
    except ValidationError as error:
        raise ValidationError({"requested_sek": error.messages}) from None
    if amount < 1:
        raise ValidationError({"requested_sek": [_("Apply for at least 1 kr.")]})
    if amount > round_.budget_sek:
        raise ValidationError(
            {
                "requested_sek": [
                    _("You can apply for at most the round's budget, %(max)s.")
                    % {"max": kronor(round_.budget_sek)}
                ]
            }
        )
    return amount


def _clean_field(round_: SubGrantRound, name: str, value):
    if name == "requested_sek":
        return _clean_amount(round_, value)
    text = cleaning.text_for(SubGrantApplication, name, value)
    if name == "contact_email" and text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                {name: [_("Enter an e-mail address like namn@exempel.se.")]}
            ) from None
    if name == "contact_phone" and text and not PHONE.fullmatch(text):
        raise ValidationError({name: [_("Enter a phone number with digits, e.g. 031-123 45 67.")]})
    return text


def _answer_problem(question: dict, value: str) -> str | None:
    limit = question.get("max_length")
    if limit and len(value) > limit:
        return _("Write at most %(n)s characters.") % {"n": limit}
    return None


def save_draft(user, application: SubGrantApplication, changes: dict) -> dict[str, list[str]]:
    """Save what has been filled in so far (FILL_IN: every role of the
    applicant; autosave). ``changes`` holds the fields of ``FIELDS`` and the
    answers as ``q_<key>``. A value that breaks its rule (too long, not whole
    kronor, above the round's budget) is not saved and comes back as a
    problem by field; everything else is saved all the same."""
    require(user, Action.FILL_IN, application.organisation)
    problems: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = lock(application)
        _editable(locked)
        before = _snapshot(locked)
        for name in FIELDS:
            if name not in changes:
                continue
            try:
                setattr(locked, name, _clean_field(locked.round, name, changes[name]))
            except ValidationError as error:
                problems.update(error.message_dict)
        answers = dict(locked.answers)
        for question in questions_of(locked):
            name = f"q_{question['key']}"
            if name not in changes:
                continue
            value = "" if changes[name] is None else str(changes[name]).strip()
            problem = _answer_problem(question, value)
            if problem:
                problems[name] = [problem]
            else:
                answers[question["key"]] = value
        locked.answers = answers
        if record_changes(user, AuditAction.SUBGRANT_SAVED, locked, before, _snapshot(locked)):
            locked.save()
    return problems


def missing(application: SubGrantApplication) -> dict[str, list[str]]:
    """Everything that stops ``application`` from being submitted, as
    field → messages (answers as ``q_<key>``, ``__all__`` for the whole)."""
    errors: dict[str, list[str]] = {}
    round_ = application.round
    if application.status == SubGrantStatus.DRAFT and not is_open(round_):
        errors["__all__"] = [_not_open_message(round_)]
    if not application.project_title:
        errors["project_title"] = [_("Give the project a title.")]
    if not application.requested_sek:
        errors["requested_sek"] = [_("Enter the amount you apply for.")]
    elif application.requested_sek > round_.budget_sek:
        errors["requested_sek"] = [
            _("You can apply for at most the round's budget, %(max)s.")
            % {"max": kronor(round_.budget_sek)}
        ]
    for question in questions_of(application):
        value = application.answers.get(question["key"], "")
        if not value and question.get("required"):
            errors[f"q_{question['key']}"] = [_("Answer the question.")]
        elif problem := _answer_problem(question, value):
            errors[f"q_{question['key']}"] = [problem]
    if not application.contact_name:
        errors["contact_name"] = [_("Enter the contact person's name.")]
    try:
        validate_email(application.contact_email)
    except ValidationError:
        errors["contact_email"] = [_("Enter the contact person's e-mail address.")]
    if not application.contact_phone:
        errors["contact_phone"] = [_("Enter the contact person's phone number.")]
    return errors


def _move(application: SubGrantApplication, target: str) -> None:
    refusal = _("An application that is %(status)s cannot be changed that way.")
    states.move(application, target, SUBGRANT_TRANSITIONS, refusal)


def submit_application(user, application: SubGrantApplication) -> SubGrantApplication:
    """Submit the application to the region (*skicka in*): ombud and
    representant (SUBMIT_CASE), by the round's last day to apply. All or
    nothing: a refused submission changes nothing. The case number is drawn
    in the transaction; the receipt goes to the contact person after
    commit."""
    from ..tasks_applying import send_receipt

    if not can(user, Action.SUBMIT_CASE, application.organisation):
        raise PermissionDenied(
            _("Only the organisation's ombud or a representative can submit an application.")
        )
    with transaction.atomic():
        locked = lock(application)
        _editable(locked)
        errors = missing(locked)
        if errors:
            raise ValidationError(errors)
        before = _snapshot(locked)
        moment = clock.now()
        _move(locked, SubGrantStatus.SUBMITTED)
        locked.case_number = case_numbers.next_case_number(
            moment.year, case_numbers.REGIONAL_APPLICATIONS
        )
        locked.submitted_at = moment
        locked.submitted_by = user
        locked.save()
        record(user, AuditAction.SUBGRANT_SUBMITTED, locked, before=before, after=_snapshot(locked))
        transaction.on_commit(partial(send_receipt.enqueue, locked.pk))
    return locked


def withdraw_draft(user, application: SubGrantApplication) -> SubGrantApplication:
    """Withdraw a draft that was never submitted (*ta tillbaka*): those who
    may start an application (START_CASE). The row stays, withdrawn, with
    its audit trail."""
    require(user, Action.START_CASE, application.organisation)
    with transaction.atomic():
        locked = lock(application)
        if locked.status != SubGrantStatus.DRAFT:
            raise ValidationError(_("Only a draft that has not been submitted can be withdrawn."))
        before = _snapshot(locked)
        _move(locked, SubGrantStatus.WITHDRAWN)
        locked.save(update_fields=["status", "updated_at"])
        record(user, AuditAction.SUBGRANT_WITHDRAWN, locked, before=before, after=_snapshot(locked))
    return locked


# ----------------------------------------------------- the applicant's lists


def applications_of(organisation_ids, limit: int | None = None) -> list[SubGrantApplication]:
    """The organisations' regional applications that are not withdrawn,
    drafts first, then the latest; round, region and decision read along
    (one query)."""
    rows = (
        SubGrantApplication.objects.filter(organisation_id__in=list(organisation_ids))
        .exclude(status=SubGrantStatus.WITHDRAWN)
        .select_related("round__region", "organisation", "decision")
        .alias(
            is_draft=Case(
                When(status=SubGrantStatus.DRAFT, then=0),
                default=1,
            )
        )
        .order_by("is_draft", "-created_at", "-pk")
    )
    return list(rows[:limit] if limit else rows)
