"""State changes of requisitions and redistributions. Each function checks
permission, validates, changes state in one transaction, writes an audit event
and enqueues e-mail (on commit; the submit's receipt inside its transaction)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.models import Membership, UserProfile
from fordela.access.permissions import Action, StaffAction, can, require, require_staff
from fordela.allocation.models import Allocation, AllocationKey
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import case_numbers, cleaning, clock, states
from fordela.core.formatting import kronor
from fordela.payments import bankgiro
from fordela.payments.models import PayableSource
from fordela.payments.services import create_payable, is_agency_bank_giro
from fordela.programmes.models import Pool, PoolKind

from . import redistribution as arithmetic
from .models import (
    REQUISITION_TRANSITIONS,
    REQUISITIONED,
    Redistribution,
    RedistributionShare,
    Requisition,
    RequisitionStatus,
)

EDITABLE_FIELDS = (
    "amount_sek",
    "wants_redistribution",
    "contact_name",
    "contact_email",
    "contact_phone",
    "bank_giro",
    "conditions_confirmed",
)


def _snapshot(requisition: Requisition) -> dict:
    data = {name: getattr(requisition, name) for name in EDITABLE_FIELDS}
    data["status"] = requisition.status
    data["case_number"] = requisition.case_number
    return data


def _transition(requisition: Requisition, target: str) -> None:
    refusal = _("A requisition that is %(status)s cannot be changed that way.")
    states.move(requisition, target, REQUISITION_TRANSITIONS, refusal)


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class OpenPool:
    pool: Pool
    allocation: Allocation
    requisition: Requisition | None

    @property
    def available_sek(self) -> int:
        return self.allocation.amount_sek


def open_pools_for(organisation) -> list[OpenPool]:
    """Requisition pools with a published key in which ``organisation`` has an
    allocation and whose last day has not passed (today in Stockholm)."""
    today = clock.today()
    allocations = (
        Allocation.objects.filter(
            organisation=organisation,
            key__status="frozen",
            key__pool__kind=PoolKind.REQUISITION,
            key__pool__closes_on__gte=today,
        )
        .select_related("key__pool__programme_year__programme")
        .order_by("key__pool__closes_on", "key__pool__programme_year__year", "key__pool__slug")
    )
    allocations = [
        a for a in allocations if not a.key.pool.opens_on or a.key.pool.opens_on <= today
    ]
    existing = {
        r.pool_id: r
        for r in Requisition.objects.filter(
            organisation=organisation, pool__in=[a.key.pool_id for a in allocations]
        )
    }
    return [OpenPool(a.key.pool, a, existing.get(a.key.pool_id)) for a in allocations]


# ---------------------------------------------------------------- requisition


def _allocation_for(organisation, pool: Pool) -> Allocation:
    try:
        key = AllocationKey.objects.get(pool=pool)
    except AllocationKey.DoesNotExist:
        raise ValidationError(_("This pool has no allocation key yet.")) from None
    if not key.is_frozen:
        raise ValidationError(_("The allocation key for this pool is not published yet."))
    try:
        return Allocation.objects.get(key=key, organisation=organisation)
    except Allocation.DoesNotExist:
        raise ValidationError(_("Your organisation has no allocation in this pool.")) from None


def _deadline_message(pool: Pool) -> str:
    return _(
        "The last day to requisition from %(pool)s was %(date)s. "
        "The requisition can no longer be submitted."
    ) % {"pool": pool.name, "date": date_format(pool.closes_on, "j F Y")}


def start_requisition(user, organisation, pool: Pool) -> Requisition:
    """Start (or reopen) the organisation's requisition from ``pool``,
    prefilled with the full allocation. Ombud and representant (START_CASE)."""
    require(user, Action.START_CASE, organisation)
    if pool.kind != PoolKind.REQUISITION:
        raise ValidationError(_("This pool is not requisitioned."))
    existing = Requisition.objects.filter(organisation=organisation, pool=pool).first()
    if existing:
        return existing
    allocation = _allocation_for(organisation, pool)
    if pool.closes_on and clock.is_past(pool.closes_on):
        raise ValidationError(_deadline_message(pool))
    if pool.opens_on and clock.today() < pool.opens_on:
        raise ValidationError(
            _("Requisitions open on %(date)s.") % {"date": date_format(pool.opens_on, "j F Y")}
        )
    profile = UserProfile.objects.filter(user=user).first()
    try:
        with transaction.atomic():
            requisition = Requisition.objects.create(
                organisation=organisation,
                pool=pool,
                allocation=allocation,
                allocation_sek=allocation.amount_sek,
                amount_sek=allocation.amount_sek,
                contact_name=user.get_full_name(),
                contact_email=user.email,
                contact_phone=profile.phone if profile else "",
                bank_giro=organisation.bank_giro,
                created_by=user,
            )
            record(user, AuditAction.REQUISITION_STARTED, requisition, after=_snapshot(requisition))
    except IntegrityError:  # a double click: the other request created it
        return Requisition.objects.get(organisation=organisation, pool=pool)
    return requisition


def _clean_each(changes: dict) -> tuple[dict, dict[str, list[str]]]:
    """The editable fields a form or autosave sent, normalised, and the
    fields whose value their column cannot hold (too long, not whole kronor,
    too large) with their messages. An empty amount is left out: no error in
    a draft, and the submission asks for it."""
    cleaned: dict = {}
    problems: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            continue
        try:
            if name == "bank_giro":
                value = bankgiro.normalise(value or "")
                if len(value) > bankgiro.MAX_DIGITS:
                    raise ValidationError(
                        {name: [_("A bank giro number has 7 or 8 digits. Check the number.")]}
                    )
            elif name in ("contact_name", "contact_email", "contact_phone"):
                value = cleaning.text_for(Requisition, name, value)
            elif name == "amount_sek":
                if value in (None, ""):
                    continue
                value = cleaning.amount_for(name, value)
            else:
                value = bool(value)
        except ValidationError as error:
            problems.setdefault(name, []).extend(error.messages)
            continue
        cleaned[name] = value
    return cleaned, problems


def _clean_changes(requisition: Requisition, changes: dict) -> dict:
    """``_clean_each`` for a submission: all or nothing, so a value its
    column cannot hold refuses the whole change."""
    cleaned, problems = _clean_each(changes)
    if problems:
        raise ValidationError(problems)
    return cleaned


def _bank_giro_errors(number: str) -> list[str]:
    """Why ``number`` is no bank giro to pay to (empty: it is one)."""
    if not bankgiro.is_valid(number):
        return [
            _(
                "The bank giro number is not valid: it must have 7 or 8 digits and "
                "the last digit must be the right check digit. Check the number."
            )
        ]
    if is_agency_bank_giro(number):
        return [
            _(
                "This is the agency's own bank giro number. "
                "Enter your organisation's bank giro number."
            )
        ]
    return []


def _amount_errors(requisition: Requisition) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 1 <= requisition.amount_sek <= requisition.allocation_sek:
        errors["amount_sek"] = [
            _("The amount must be at least 1 kr and at most your allocation, %(max)s.")
            % {"max": kronor(requisition.allocation_sek)}
        ]
    if requisition.wants_redistribution and requisition.amount_sek != requisition.allocation_sek:
        errors["wants_redistribution"] = [
            _(
                "Only an organisation that requisitions its full allocation (%(max)s) "
                "can take part in the redistribution."
            )
            % {"max": kronor(requisition.allocation_sek)}
        ]
    return errors


def _lock_draft(requisition: Requisition | int) -> Requisition:
    """The requisition (or the one with that id), locked and fresh from the
    database, with what the rules and the audit labels read: its organisation,
    pool, programme year and allocation key. Only the requisition's row is
    locked: submissions to one pool do not wait for each other."""
    requisition_id = requisition if isinstance(requisition, int) else requisition.pk
    return (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("organisation", "pool__programme_year", "allocation__key")
        .get(pk=requisition_id)
    )


def _require_draft(requisition: Requisition) -> None:
    if requisition.status != RequisitionStatus.DRAFT:
        if requisition.case_number:
            raise ValidationError(
                _("This requisition has already been submitted (case number %(case)s).")
                % {"case": requisition.case_number}
            )
        raise ValidationError(_("This requisition can no longer be changed."))


def _require_editable(requisition: Requisition) -> None:
    """A draft, or a case returned for correction, may be edited and submitted."""
    if not requisition.is_editable:
        _require_draft(requisition)


@dataclass(frozen=True)
class DraftSaved:
    """What ``save_draft`` did: the requisition with every value it could
    keep, and the fields it could not (field → messages); those keep the
    values saved before."""

    requisition: Requisition
    problems: dict[str, list[str]]


def save_draft(user, requisition: Requisition, changes: dict) -> DraftSaved:
    """Save what has been filled in so far (any role in the organisation), in
    a draft or a requisition returned for correction. Every field that is
    valid is saved; one that is not (a value its column cannot hold, an
    amount outside the allocation, an opt-in without the full amount, a bank
    giro number that is not one) keeps its saved value and is named in the
    answer, so no work is thrown away for one wrong field."""
    require(user, Action.FILL_IN, requisition.organisation)
    with transaction.atomic():
        locked = _lock_draft(requisition)
        _require_editable(locked)
        before = _snapshot(locked)
        cleaned, problems = _clean_each(changes)
        if cleaned.get("bank_giro"):
            bank_giro_errors = _bank_giro_errors(cleaned["bank_giro"])
            if bank_giro_errors:
                problems["bank_giro"] = bank_giro_errors
                del cleaned["bank_giro"]
        for name, value in cleaned.items():
            setattr(locked, name, value)
        errors = _amount_errors(locked)
        if "amount_sek" in errors:
            problems["amount_sek"] = errors["amount_sek"]
            locked.amount_sek = before["amount_sek"]
            errors = _amount_errors(locked)
        if "wants_redistribution" in errors:
            problems["wants_redistribution"] = errors["wants_redistribution"]
            locked.wants_redistribution = before["wants_redistribution"]
            if _amount_errors(locked):  # the saved opt-in needs the full amount
                problems.setdefault("amount_sek", errors["wants_redistribution"])
                locked.amount_sek = before["amount_sek"]
        after = _snapshot(locked)
        if record_changes(user, AuditAction.REQUISITION_DRAFT_SAVED, locked, before, after):
            locked.save()
    return DraftSaved(locked, problems)


def delete_draft(user, requisition: Requisition) -> None:
    """Delete a draft requisition: one never submitted, so it has no case
    number and owes nothing. Ombud and representant, by the matrix row that
    starts a case (START_CASE): who may start one may throw a draft away and
    start again while the pool is open. The audit trail keeps the draft's last
    values under its id."""
    require(user, Action.START_CASE, requisition.organisation)
    with transaction.atomic():
        locked = _lock_draft(requisition)
        _require_draft(locked)
        record(user, AuditAction.REQUISITION_DRAFT_DELETED, locked, before=_snapshot(locked))
        locked.delete()


def submission_errors(requisition: Requisition) -> dict[str, list[str]]:
    """Everything that stops ``requisition`` (with its current values) from
    being submitted, as field → messages (``__all__`` for the whole form)."""
    errors = _amount_errors(requisition)
    pool = requisition.pool
    general = []
    if pool.closes_on and clock.is_past(pool.closes_on):
        general.append(_deadline_message(pool))
    if not requisition.allocation.key.is_frozen:
        general.append(_("The allocation key for this pool is not published yet."))
    if general:
        errors["__all__"] = general
    bank_giro_errors = _bank_giro_errors(requisition.bank_giro)
    if bank_giro_errors:
        errors["bank_giro"] = bank_giro_errors
    if not requisition.contact_name:
        errors["contact_name"] = [_("Enter the contact person's name.")]
    try:
        validate_email(requisition.contact_email)
    except ValidationError:
        errors["contact_email"] = [_("Enter the contact person's e-mail address.")]
    if len([c for c in requisition.contact_phone if c.isdigit()]) < 6:
        errors["contact_phone"] = [_("Enter the contact person's phone number.")]
    if not requisition.conditions_confirmed:
        errors["conditions_confirmed"] = [
            _("Confirm that the funds will be used according to the conditions.")
        ]
    return errors


def _apply_submission(user, requisition: Requisition, changes: dict | None) -> None:
    """Check that ``user`` may submit ``requisition`` and set the form's last
    ``changes`` on it (not saved); raises what stops the submission."""
    if not can(user, Action.SUBMIT_CASE, requisition.organisation):
        raise PermissionDenied(
            _("Only the organisation's ombud or a representant can submit a requisition.")
        )
    _require_editable(requisition)
    for name, value in _clean_changes(requisition, changes or {}).items():
        setattr(requisition, name, value)
    errors = submission_errors(requisition)
    if errors:
        raise ValidationError(errors)


def check_submission(user, requisition_id: int, changes: dict | None = None) -> Requisition:
    """What ``submit_requisition`` would say, changing nothing: the
    requisition with ``changes`` set (not saved) when it could be submitted,
    for the page that asks the user to confirm. Raises as the submission
    does (``Requisition.DoesNotExist``, ``PermissionDenied``,
    ``ValidationError``)."""
    requisition = Requisition.objects.select_related(
        "organisation", "pool__programme_year", "allocation__key"
    ).get(pk=requisition_id)
    _apply_submission(user, requisition, changes)
    return requisition


def submit_requisition(
    user, requisition: Requisition | int, changes: dict | None = None, *, send_receipt: bool = True
) -> Requisition:
    """Submit the requisition (*skicka in*; it or its id), with the form's last
    ``changes``. Ombud and representant (SUBMIT_CASE). All or nothing: a
    refused submission changes nothing. A requisition returned for correction
    is submitted again the same way, until the pool's last day: it keeps its
    case number and owes through a new payable (``payable_reference``).

    Raises ``Requisition.DoesNotExist``, ``PermissionDenied`` (not ombud or
    representant of its organisation) or ``ValidationError`` (the messages)."""
    requisition_id = requisition if isinstance(requisition, int) else requisition.pk
    with transaction.atomic():
        locked = _lock_draft(requisition_id)
        before = _snapshot(locked)
        _apply_submission(user, locked, changes)
        moment = clock.now()
        _transition(locked, RequisitionStatus.SUBMITTED)
        if not locked.case_number:  # a resubmission keeps its case number
            locked.case_number = case_numbers.next_case_number(
                moment.year, case_numbers.REQUISITIONS
            )
        locked.submitted_at = moment
        locked.submitted_by = user
        locked.submission_count += 1
        locked.save()
        create_payable(
            source=PayableSource.REQUISITION,
            reference=locked.payable_reference,
            organisation=locked.organisation,
            pool=locked.pool,
            case_number=locked.case_number,
            amount_sek=locked.amount_sek,
            bank_giro=locked.bank_giro,
            received_on=clock.local_date(moment),
            requisition=locked,
        )
        record(
            user,
            AuditAction.REQUISITION_SUBMITTED,
            locked,
            before=before,
            after=_snapshot(locked),
        )
        if send_receipt:
            from .tasks import send_receipt as receipt_task

            # Inside the transaction: the receipt is kept or dropped with the
            # submission (the database task backend's row commits with it).
            if locked.submission_count == 1:
                receipt_task.enqueue(locked.pk)
            else:  # a resubmission's receipt is its own message
                receipt_task.enqueue(locked.pk, locked.submission_count)
    return locked


def withdraw_requisition(user, requisition: Requisition) -> Requisition:
    """Withdraw a draft (*återta*). Ombud and representant."""
    require(user, Action.SUBMIT_CASE, requisition.organisation)
    with transaction.atomic():
        locked = _lock_draft(requisition)
        _require_draft(locked)
        before = _snapshot(locked)
        _transition(locked, RequisitionStatus.WITHDRAWN)
        locked.save(update_fields=["status", "updated_at"])
        record(
            user, AuditAction.REQUISITION_WITHDRAWN, locked, before=before, after=_snapshot(locked)
        )
    return locked


# ------------------------------------------------------------ redistribution


@dataclass(frozen=True)
class RedistributionRow:
    allocation: Allocation
    requisition: Requisition | None
    eligible: bool
    share_sek: int


@dataclass(frozen=True)
class RedistributionPreview:
    pool: Pool
    outcome: arithmetic.Outcome
    rows: list[RedistributionRow]
    population_date: datetime.date


def _on_time(requisition: Requisition, pool: Pool) -> bool:
    return (
        requisition.status in REQUISITIONED
        and requisition.submitted_at is not None
        and (pool.closes_on is None or not clock.is_past(pool.closes_on, requisition.submitted_at))
    )


def preview_redistribution(pool: Pool) -> RedistributionPreview:
    """What a redistribution of ``pool`` would give now (nothing is stored)."""
    key = AllocationKey.objects.get(pool=pool)
    allocations = list(key.allocations.select_related("organisation").order_by("code"))
    requisitions = {r.organisation_id: r for r in Requisition.objects.filter(pool=pool)}
    positions = []
    for allocation in allocations:
        requisition = requisitions.get(allocation.organisation_id)
        on_time = requisition is not None and _on_time(requisition, pool)
        positions.append(
            arithmetic.Position(
                code=allocation.code,
                population=allocation.population,
                allocation_sek=allocation.amount_sek,
                requisitioned_sek=requisition.amount_sek if on_time else 0,
                opted_in=bool(on_time and requisition.wants_redistribution),
            )
        )
    outcome = arithmetic.redistribute(positions)
    rows = [
        RedistributionRow(
            allocation=allocation,
            requisition=requisitions.get(allocation.organisation_id),
            eligible=allocation.code in outcome.shares,
            share_sek=outcome.shares.get(allocation.code, 0),
        )
        for allocation in allocations
    ]
    return RedistributionPreview(pool, outcome, rows, key.population_date)


def redistribution_refusal(pool: Pool) -> str | None:
    """Why ``pool`` cannot be redistributed now, or None."""
    if pool.kind != PoolKind.REQUISITION:
        return _("Only requisition pools are redistributed.")
    if not pool.allows_redistribution:
        return _("Unrequisitioned funds in this pool are not redistributed.")
    key = AllocationKey.objects.filter(pool=pool).first()
    if key is None or not key.is_frozen:
        return _("The allocation key for this pool is not published.")
    if pool.closes_on is None or not clock.is_past(pool.closes_on):
        return _("Redistribution can be made only after the last day to requisition.")
    if Redistribution.objects.filter(pool=pool).exists():
        return _("The redistribution of this pool has already been confirmed.")
    return None


def confirm_redistribution(user, pool: Pool) -> Redistribution:
    """Freeze the redistribution of ``pool`` and create its payables
    (handläggare). Can be done once per pool."""
    require_staff(user, StaffAction.REDISTRIBUTE)
    with transaction.atomic():
        # FOR NO KEY UPDATE: a submission in progress holds its requisition's
        # lock and, at commit, checks its payable's foreign key to the pool
        # (a key-share lock), which a plain FOR UPDATE here would block while
        # this waits for the requisition below: a deadlock.
        pool = Pool.objects.select_for_update(no_key=True).get(pk=pool.pk)
        refusal = redistribution_refusal(pool)
        if refusal:
            raise ValidationError(refusal)
        # Lock the requisitions so none changes while we freeze the result; a
        # submission in progress is waited for, and counted.
        list(Requisition.objects.select_for_update().filter(pool=pool).order_by("pk"))
        preview = preview_redistribution(pool)
        outcome = preview.outcome
        moment = clock.now()
        redistribution = Redistribution.objects.create(
            pool=pool,
            allocated_sek=outcome.allocated_sek,
            requisitioned_sek=outcome.requisitioned_sek,
            unrequisitioned_sek=outcome.unrequisitioned_sek,
            redistributed_sek=outcome.redistributed_sek,
            unallocated_sek=outcome.unallocated_sek,
            population_date=preview.population_date,
            confirmed_at=moment,
            confirmed_by=user,
        )
        for row in preview.rows:
            if not row.eligible:
                continue
            share = RedistributionShare.objects.create(
                redistribution=redistribution,
                requisition=row.requisition,
                organisation=row.allocation.organisation,
                code=row.allocation.code,
                population=row.allocation.population,
                amount_sek=row.share_sek,
            )
            if share.amount_sek > 0:
                create_payable(
                    source=PayableSource.REDISTRIBUTION,
                    reference=f"redistribution-share:{share.pk}",
                    organisation=share.organisation,
                    pool=pool,
                    case_number=row.requisition.case_number,
                    amount_sek=share.amount_sek,
                    bank_giro=row.requisition.bank_giro,
                    received_on=clock.local_date(moment),
                    redistribution_share=share,
                )
        record(
            user,
            AuditAction.REDISTRIBUTION_CONFIRMED,
            redistribution,
            after={
                "allocated_sek": outcome.allocated_sek,
                "requisitioned_sek": outcome.requisitioned_sek,
                "unrequisitioned_sek": outcome.unrequisitioned_sek,
                "redistributed_sek": outcome.redistributed_sek,
                "unallocated_sek": outcome.unallocated_sek,
                "recipients": len(outcome.shares),
            },
        )
    return redistribution


def requisitioned_total(pool: Pool) -> int:
    return (
        Requisition.objects.filter(pool=pool, status__in=REQUISITIONED).aggregate(
            total=Sum("amount_sek")
        )["total"]
        or 0
    )


# ------------------------------------------------------------------ reminders


def send_deadline_reminders(days: int) -> int:
    """Remind every organisation that has not submitted a requisition from a
    pool whose last day is within ``days`` days. Each organisation is reminded
    at most once per pool (a Reminder row with a unique constraint)."""
    from fordela.access.tasks import enqueue_email_on_commit

    from .models import Reminder, ReminderKind

    today = clock.today()
    horizon = today + datetime.timedelta(days=days)
    pools = Pool.objects.filter(
        kind=PoolKind.REQUISITION,
        allocation_key__status="frozen",
        closes_on__gte=today,
        closes_on__lte=horizon,
    ).select_related("programme_year")
    sent = 0
    for pool in pools:
        done = set(
            Requisition.objects.filter(pool=pool, status__in=REQUISITIONED).values_list(
                "organisation_id", flat=True
            )
        )
        allocations = pool.allocation_key.allocations.select_related("organisation")
        for allocation in allocations:
            organisation = allocation.organisation
            if organisation.pk in done:
                continue
            recipients = sorted(
                {
                    *Membership.objects.filter(
                        organisation=organisation, role__in=["ombud", "representant"]
                    ).values_list("user__email", flat=True),
                    organisation.email,
                }
                - {""}
            )
            with transaction.atomic():
                reminder, created = Reminder.objects.get_or_create(
                    organisation=organisation,
                    pool=pool,
                    kind=ReminderKind.DEADLINE,
                    defaults={"sent_at": clock.now(), "recipients": ",".join(recipients)},
                )
                if not created:
                    continue
                subject = _("Reminder: last day to requisition %(pool)s is %(date)s") % {
                    "pool": pool,
                    "date": date_format(pool.closes_on, "j F Y"),
                }
                body = _(
                    "%(organisation)s has not yet requisitioned its allocation of %(amount)s "
                    "from %(pool)s. The last day is %(date)s. Log in to Fördela to requisition."
                ) % {
                    "organisation": organisation.name,
                    "amount": kronor(allocation.amount_sek),
                    "pool": pool,
                    "date": date_format(pool.closes_on, "j F Y"),
                }
                enqueue_email_on_commit(recipients, subject, body)
                record(
                    "system",
                    AuditAction.REQUISITION_REMINDER_SENT,
                    reminder,
                    after={"to": recipients},
                )
                sent += 1
    return sent
