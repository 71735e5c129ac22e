"""A region's own round (*regional utlysning*): set up, edited while a
draft, its questions drafted and published as versions, opened once the
question set is published and the budget is backed by the region's paid
state grant (``regional.funding``), closed after the last day to apply, and
finished when every application sent in is decided.

Every function here is one state change for the region's administrator
(``RegionalAction.MANAGE_ROUNDS`` in the round's region): checked through the
matrix, done in one transaction with the round locked, audited.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fordela.access.permissions import RegionalAction, require_regional
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import cleaning, clock, states
from fordela.core.formatting import kronor
from fordela.organisations.models import Organisation
from fordela.programmes.models import ProgrammeYear

from ..funding import StateGrant, state_grant
from ..models import (
    ROUND_TRANSITIONS,
    RoundQuestionSet,
    RoundStatus,
    SubGrantApplication,
    SubGrantRound,
    SubGrantStatus,
)

# The round's own fields that the form sets (the rest is the service's).
ROUND_FIELDS = (
    "title",
    "summary",
    "purposes",
    "contact",
    "apply_by",
    "decide_by",
    "use_from",
    "use_to",
    "report_by",
    "own_funding_sek",
)
DATE_FIELDS = ("apply_by", "decide_by", "use_from", "use_to", "report_by")
# Keys, lengths and the number of questions a round's question set may have.
QUESTION_KEY_LENGTH = 40
QUESTION_TEXT_LENGTH = 500
QUESTION_HELP_LENGTH = 1000
QUESTION_MAX_LENGTH = 10_000
MAX_QUESTIONS = 30
# Applications that still wait for a decision.
UNDECIDED = (SubGrantStatus.SUBMITTED, SubGrantStatus.PROPOSED)


def _move(round_: SubGrantRound, target: str) -> None:
    refusal = _("A round that is %(status)s cannot be changed that way.")
    states.move(round_, target, ROUND_TRANSITIONS, refusal)


def lock(round_: SubGrantRound) -> SubGrantRound:
    """The round, locked for the rest of the transaction (its region and
    programme year read along, not locked)."""
    return (
        SubGrantRound.objects.select_for_update(of=("self",))
        .select_related("region", "programme_year__programme")
        .get(pk=round_.pk)
    )


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def check_dates(year: int, dates: dict[str, datetime.date]) -> None:
    """The VKV dates of a round in grant year ``year``: apply by ≤ decide by
    ≤ the end of the use period, the use period within the year, the report
    due after it and at the latest a year after. A date outside that (a
    mistyped year, a far-future date) is refused beside its field."""
    errors: dict[str, list[str]] = {}
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in ("apply_by", "decide_by"):
        if not datetime.date(year - 1, 1, 1) <= dates[name] <= last:
            refuse(
                name,
                _("The date must lie between %(first)s and %(last)s (the grant year %(year)s).")
                % {"first": _day(datetime.date(year - 1, 1, 1)), "last": _day(last), "year": year},
            )
    for name in ("use_from", "use_to"):
        if not first <= dates[name] <= last:
            refuse(
                name,
                _("The money is used within the grant year: between %(first)s and %(last)s.")
                % {"first": _day(first), "last": _day(last)},
            )
    if dates["use_to"] < dates["use_from"]:
        refuse("use_to", _("The use period cannot end before it begins."))
    if dates["decide_by"] < dates["apply_by"]:
        refuse("decide_by", _("The decisions cannot come before the last day to apply."))
    if (
        "decide_by" not in errors
        and "use_to" not in errors
        and dates["decide_by"] > dates["use_to"]
    ):
        refuse("decide_by", _("The decisions must come before the use period ends."))
    latest_report = datetime.date(year + 1, 12, 31)
    if dates["report_by"] <= dates["use_to"]:
        refuse("report_by", _("The report is due after the use period has ended."))
    elif dates["report_by"] > latest_report:
        refuse(
            "report_by",
            _("The report is due at the latest %(last)s.") % {"last": _day(latest_report)},
        )
    if errors:
        raise ValidationError(errors)


def _not_backed(grant: StateGrant, region: Organisation, year: ProgrammeYear) -> ValidationError:
    if grant.paid_sek == 0:
        return ValidationError(
            _(
                "The round is not backed by a paid state grant: %(region)s has no paid "
                "requisition for %(year)s. The round can be set up once the agency has paid "
                "the region's requisition."
            )
            % {"region": region.name, "year": year.year}
        )
    return ValidationError(
        _(
            "The round is not backed by a paid state grant: the %(paid)s that %(region)s "
            "received for %(year)s is already held by its other rounds."
        )
        % {"paid": kronor(grant.paid_sek), "region": region.name, "year": year.year}
    )


def _clean(data: dict[str, Any], year: ProgrammeYear) -> dict[str, Any]:
    values = {name: data[name] for name in ROUND_FIELDS if name in data}
    # What the columns cannot hold is a field error, never a DataError.
    values["title"] = cleaning.text_for(SubGrantRound, "title", values.get("title"))
    if not values["title"]:
        raise ValidationError({"title": [_("Give the round a title.")]})
    for name in ("summary", "purposes", "contact"):
        if name in values:
            values[name] = cleaning.text_for(SubGrantRound, name, values[name])
    values["own_funding_sek"] = cleaning.amount_for(
        "own_funding_sek", values.get("own_funding_sek")
    )
    missing = [name for name in DATE_FIELDS if not isinstance(values.get(name), datetime.date)]
    if missing:
        raise ValidationError({name: [_("Enter the date.")] for name in missing})
    check_dates(year.year, {name: values[name] for name in DATE_FIELDS})
    return values


def _save(round_: SubGrantRound) -> None:
    """Save ``round_`` (a new row or its changes); a title the region already
    uses for the year is refused beside the title."""
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError as error:
        if "one_round_title_per_region_year" in str(error):
            raise ValidationError(
                {"title": [_("The region already has a round with this title for the year.")]}
            ) from None
        raise


def create_round(
    user, region: Organisation, programme_year: ProgrammeYear, data: dict[str, Any]
) -> SubGrantRound:
    """Set up a draft round in ``region`` for ``programme_year`` (the
    region's administrator). Its state funding is read from the ledger: the
    region's paid state grant for the year, less what its other rounds
    hold; without one the round is refused."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, region)
    values = _clean(data, programme_year)
    with transaction.atomic():
        # One region's rounds are set up one at a time: two at once would
        # both see the whole state grant as free.
        Organisation.objects.select_for_update(of=("self",)).filter(pk=region.pk).first()
        grant = state_grant(region, programme_year)
        if grant.available_sek == 0:
            raise _not_backed(grant, region, programme_year)
        round_ = SubGrantRound(
            region=region,
            programme_year=programme_year,
            state_funding_sek=grant.available_sek,
            status=RoundStatus.DRAFT,
            created_by=user,
            **values,
        )
        _save(round_)
        record(
            user,
            AuditAction.ROUND_CREATED,
            round_,
            after={
                **{name: _json(getattr(round_, name)) for name in ROUND_FIELDS},
                "state_funding_sek": round_.state_funding_sek,
                "requisitions": list(grant.requisition_ids),
            },
        )
    return round_


def _json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def edit_round(user, round_: SubGrantRound, data: dict[str, Any]) -> SubGrantRound:
    """Change a draft round's title, texts, dates and own money."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        locked = lock(round_)
        if locked.status != RoundStatus.DRAFT:
            raise ValidationError(_("Only a draft round can be changed."))
        values = _clean(data, locked.programme_year)
        before = {name: _json(getattr(locked, name)) for name in ROUND_FIELDS}
        for name, value in values.items():
            setattr(locked, name, value)
        after = {name: _json(getattr(locked, name)) for name in ROUND_FIELDS}
        if record_changes(user, AuditAction.ROUND_CHANGED, locked, before, after):
            _save(locked)
    return locked


def refresh_funding(user, round_: SubGrantRound) -> SubGrantRound:
    """Read the round's state funding from the ledger again (a requisition
    paid, a redistribution confirmed since). Never below what the round has
    already decided; a finished round keeps its figures."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        Organisation.objects.select_for_update(of=("self",)).filter(pk=round_.region_id).first()
        locked = lock(round_)
        if locked.status == RoundStatus.FINISHED:
            raise ValidationError(_("A finished round's funding is not changed."))
        grant = state_grant(locked.region, locked.programme_year, excluding=locked)
        funding = grant.available_sek
        if funding == 0 and locked.decided_sek == 0:
            raise _not_backed(grant, locked.region, locked.programme_year)
        if funding + locked.own_funding_sek < locked.decided_sek:
            raise ValidationError(
                _(
                    "The ledger now shows %(funding)s of state grant for the round, but it has "
                    "already decided %(decided)s: the funding is not lowered below what is "
                    "decided."
                )
                % {"funding": kronor(funding), "decided": kronor(locked.decided_sek)}
            )
        before = locked.state_funding_sek
        locked.state_funding_sek = funding
        locked.save(update_fields=["state_funding_sek"])
        record(
            user,
            AuditAction.ROUND_FUNDING_REFRESHED,
            locked,
            before={"state_funding_sek": before},
            after={
                "state_funding_sek": funding,
                "paid_sek": grant.paid_sek,
                "held_by_other_rounds_sek": grant.held_by_other_rounds_sek,
                "requisitions": list(grant.requisition_ids),
            },
        )
    return locked


# ------------------------------------------------------------- questions


def current_draft(round_: SubGrantRound) -> RoundQuestionSet | None:
    return round_.question_sets.filter(status="draft").order_by("-version").first()


def _clean_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not questions:
        raise ValidationError(_("Add at least one question."))
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("A round has at most %(count)s questions.") % {"count": MAX_QUESTIONS}
        )
    cleaned, keys = [], set()
    for number, question in enumerate(questions, start=1):
        key = str(question.get("key") or "").strip().lower()
        text = str(question.get("text") or "").strip()
        if (
            not key
            or len(key) > QUESTION_KEY_LENGTH
            or not key.isascii()
            or not key.replace("_", "").isalnum()
        ):
            raise ValidationError(
                _("Question %(n)s: the key is up to %(max)s letters a–z, digits and _.")
                % {"n": number, "max": QUESTION_KEY_LENGTH}
            )
        if key in keys:
            raise ValidationError(
                _("Question %(n)s: the key %(key)s is already used.") % {"n": number, "key": key}
            )
        if not text:
            raise ValidationError(_("Question %(n)s: write the question.") % {"n": number})
        max_length = int(question.get("max_length") or 0)
        if not 1 <= max_length <= QUESTION_MAX_LENGTH:
            raise ValidationError(
                _("Question %(n)s: the longest answer is 1 to %(max)s characters.")
                % {"n": number, "max": QUESTION_MAX_LENGTH}
            )
        keys.add(key)
        cleaned.append(
            {
                "key": key,
                "text": text[:QUESTION_TEXT_LENGTH],
                "help": str(question.get("help") or "").strip()[:QUESTION_HELP_LENGTH],
                "max_length": max_length,
                "required": bool(question.get("required")),
            }
        )
    return cleaned


def save_question_draft(
    user, round_: SubGrantRound, questions: list[dict[str, Any]]
) -> RoundQuestionSet:
    """Save the round's draft questions: the open draft, or a new version
    (the published set is never changed; its questions are copied first by
    ``start_question_draft``)."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    cleaned = _clean_questions(questions)
    with transaction.atomic():
        locked = lock(round_)
        if locked.status in (RoundStatus.CLOSED, RoundStatus.FINISHED):
            raise ValidationError(_("The questions of a closed round are not changed."))
        draft = current_draft(locked)
        if draft is None:
            draft = _new_version(locked, cleaned)
        else:
            draft.questions = cleaned
            draft.save(update_fields=["questions"])
        record(
            user,
            AuditAction.ROUND_CHANGED,
            locked,
            after={"questions_draft": draft.version, "questions": [q["key"] for q in cleaned]},
        )
    return draft


def _new_version(round_: SubGrantRound, questions: list[dict[str, Any]]) -> RoundQuestionSet:
    newest = round_.question_sets.aggregate(newest=Max("version"))["newest"] or 0
    return RoundQuestionSet.objects.create(round=round_, version=newest + 1, questions=questions)


def start_question_draft(user, round_: SubGrantRound) -> RoundQuestionSet:
    """A new draft version with the published questions copied (or the
    draft already open)."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        locked = lock(round_)
        if locked.status in (RoundStatus.CLOSED, RoundStatus.FINISHED):
            raise ValidationError(_("The questions of a closed round are not changed."))
        draft = current_draft(locked)
        if draft is not None:
            return draft
        published = locked.question_set.questions if locked.question_set_id else []
        draft = _new_version(locked, list(published))
        record(user, AuditAction.ROUND_CHANGED, locked, after={"questions_draft": draft.version})
    return draft


def publish_questions(user, round_: SubGrantRound) -> RoundQuestionSet:
    """Publish the draft version: it is the round's questions from now on
    (applications already started keep the version they began on) and is
    never changed again."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        locked = lock(round_)
        if locked.status in (RoundStatus.CLOSED, RoundStatus.FINISHED):
            raise ValidationError(_("The questions of a closed round are not changed."))
        draft = current_draft(locked)
        if draft is None:
            raise ValidationError(_("There is no draft of the questions to publish."))
        _clean_questions(draft.questions)
        draft.status = "published"
        draft.published_at = clock.now()
        draft.save(update_fields=["status", "published_at"])
        previous = locked.question_set_id
        locked.question_set = draft
        locked.save(update_fields=["question_set"])
        record(
            user,
            AuditAction.ROUND_QUESTIONS_PUBLISHED,
            locked,
            before={"question_set": previous},
            after={"question_set": draft.pk, "version": draft.version},
        )
    return draft


# ----------------------------------------------------------- the round


def open_round(user, round_: SubGrantRound) -> SubGrantRound:
    """Open a draft round for applications: its questions are published and
    its state funding is still backed by the ledger (read again now)."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        Organisation.objects.select_for_update(of=("self",)).filter(pk=round_.region_id).first()
        locked = lock(round_)
        _move(locked, RoundStatus.OPEN)
        if locked.question_set_id is None:
            raise ValidationError(_("Publish the round's questions before opening it."))
        grant = state_grant(locked.region, locked.programme_year, excluding=locked)
        if locked.state_funding_sek == 0 or grant.available_sek == 0:
            raise _not_backed(grant, locked.region, locked.programme_year)
        if locked.state_funding_sek > grant.available_sek:
            raise ValidationError(
                _(
                    "The round is not backed by a paid state grant: it counts on %(funding)s, "
                    "but the ledger shows %(available)s available. Read the funding from the "
                    "ledger again."
                )
                % {
                    "funding": kronor(locked.state_funding_sek),
                    "available": kronor(grant.available_sek),
                }
            )
        if clock.today() > locked.apply_by:
            raise ValidationError(
                _("The last day to apply, %(day)s, has passed: change it before opening.")
                % {"day": _day(locked.apply_by)}
            )
        locked.save(update_fields=["status"])
        record(
            user,
            AuditAction.ROUND_OPENED,
            locked,
            before={"status": RoundStatus.DRAFT},
            after={"status": locked.status, "state_funding_sek": locked.state_funding_sek},
        )
    return locked


def close_round(user, round_: SubGrantRound) -> SubGrantRound:
    """Close an open round once its last day to apply has passed. ``user``
    None is the scheduled closing (``close_due_rounds``)."""
    if user is not None:
        require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        locked = lock(round_)
        _move(locked, RoundStatus.CLOSED)
        if not clock.is_past(locked.apply_by):
            raise ValidationError(
                _("The round can be closed after its last day to apply, %(day)s.")
                % {"day": _day(locked.apply_by)}
            )
        locked.save(update_fields=["status"])
        record(
            user or "close_due_rounds",
            AuditAction.ROUND_CLOSED,
            locked,
            before={"status": RoundStatus.OPEN},
            after={"status": locked.status},
        )
    return locked


def close_due_rounds() -> int:
    """Close every open round whose last day to apply has passed (the
    ``close_regional_rounds`` command); returns how many."""
    closed = 0
    due = SubGrantRound.objects.filter(status=RoundStatus.OPEN, apply_by__lt=clock.today())
    for round_ in due.order_by("pk"):
        try:
            close_round(None, round_)
        except ValidationError:
            continue  # closed meanwhile
        closed += 1
    return closed


def finish_round(user, round_: SubGrantRound) -> SubGrantRound:
    """Mark a closed round decided: every application sent in has its
    decision."""
    require_regional(user, RegionalAction.MANAGE_ROUNDS, round_.region)
    with transaction.atomic():
        locked = lock(round_)
        _move(locked, RoundStatus.FINISHED)
        waiting = SubGrantApplication.objects.filter(round=locked, status__in=UNDECIDED).count()
        if waiting:
            raise ValidationError(
                ngettext(
                    "%(count)s application in the round still waits for a decision.",
                    "%(count)s applications in the round still wait for a decision.",
                    waiting,
                )
                % {"count": waiting}
            )
        locked.save(update_fields=["status"])
        record(
            user,
            AuditAction.ROUND_FINISHED,
            locked,
            before={"status": RoundStatus.CLOSED},
            after={"status": locked.status, "decided_sek": locked.decided_sek},
        )
    return locked
