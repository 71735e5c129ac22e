"""Calls (*utlysningar*) and their versioned question sets. A published
question set never changes: a change means a new version."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.programmes.models import Pool, PoolKind

from .models import (
    QUESTION_SET_TRANSITIONS,
    Call,
    Question,
    QuestionKind,
    QuestionSet,
    QuestionSetStatus,
)

QUESTION_FIELDS = (
    "key",
    "text",
    "help_text",
    "kind",
    "required",
    "max_length",
    "min_value",
    "max_value",
    "choices",
)


def create_call(actor, pool: Pool, **fields) -> Call:
    """Create a call for an application pool, with an empty draft question set."""
    if pool.kind != PoolKind.APPLICATION:
        raise ValidationError(_("Calls are made only for application pools."))
    with transaction.atomic():
        call = Call.objects.create(pool=pool, **fields)
        QuestionSet.objects.create(call=call, version=1)
        record(actor, AuditAction.CALL_CREATED, call, after={"pool": pool.pk, "title": call.title})
    return call


def draft_set(call: Call) -> QuestionSet:
    return call.question_sets.filter(status=QuestionSetStatus.DRAFT).order_by("-version").first()


def add_question(actor, question_set: QuestionSet, **fields) -> Question:
    """Add a question to a draft set (refused once the set is published)."""
    with transaction.atomic():
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if locked.is_published:
            raise ValidationError(_("A published question set cannot change; make a new version."))
        if fields.get("kind") not in QuestionKind.values:
            raise ValidationError(_("Unknown question type."))
        position = fields.pop("position", None) or locked.questions.count() + 1
        question = Question.objects.create(question_set=locked, position=position, **fields)
        record(actor, AuditAction.QUESTION_ADDED, locked, after={"key": question.key})
    return question


def publish_question_set(actor, question_set: QuestionSet) -> QuestionSet:
    """Publish a draft set and make it the one the call uses."""
    with transaction.atomic():
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        refusal = _("A question set that is %(status)s cannot be published.")
        states.move(locked, QuestionSetStatus.PUBLISHED, QUESTION_SET_TRANSITIONS, refusal)
        if not locked.questions.exists():
            raise ValidationError(_("A question set needs at least one question."))
        locked.published_at = clock.now()
        locked.save(update_fields=["status", "published_at"])
        call = Call.objects.select_for_update().get(pk=locked.call_id)
        call.question_set = locked
        call.save(update_fields=["question_set"])
        record(actor, AuditAction.QUESTION_SET_PUBLISHED, locked, after={"version": locked.version})
    return locked


def _copy_questions(source: QuestionSet, target: QuestionSet) -> None:
    Question.objects.bulk_create(
        Question(
            question_set=target,
            position=q.position,
            **{name: getattr(q, name) for name in QUESTION_FIELDS},
        )
        for q in source.questions.all()
    )


def new_version(actor, call: Call) -> QuestionSet:
    """Start a new draft version as a copy of the newest version."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if draft_set(call):
            raise ValidationError(_("There is already a draft version."))
        latest = call.question_sets.order_by("-version").first()
        created = QuestionSet.objects.create(call=call, version=latest.version + 1)
        _copy_questions(latest, created)
        record(
            actor, AuditAction.QUESTION_SET_NEW_VERSION, created, after={"version": created.version}
        )
    return created


def copy_call(actor, call: Call, pool: Pool, opens_on: datetime.date, closes_on: datetime.date):
    """A new year's call that starts as a copy of ``call`` (a draft set of
    the same questions, ready to adjust and publish)."""
    fields = {
        name: getattr(call, name)
        for name in (
            "summary",
            "decision_expected",
            "eligible_kinds",
            "conditions",
            "attachment_checklist",
            "criteria",
            "needs_consultation",
        )
    }
    with transaction.atomic():
        new = create_call(
            actor,
            pool,
            title=call.title.replace(
                str(call.pool.programme_year.year), str(pool.programme_year.year)
            ),
            opens_on=opens_on,
            closes_on=closes_on,
            report_due=pool.report_due,
            copied_from=call,
            **fields,
        )
        _copy_questions(call.question_set or call.question_sets.last(), draft_set(new))
    return new


def is_open(call: Call) -> bool:
    today = clock.today()
    return call.opens_on <= today and not clock.is_past(call.closes_on)


def days_left(call: Call) -> int | None:
    """Whole days left including the last day, or None when closed/not open."""
    if not is_open(call):
        return None
    return (call.closes_on - clock.today()).days + 1


def eligible(call: Call, organisation) -> bool:
    return organisation.kind in call.eligible_kinds
