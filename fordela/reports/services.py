"""Follow-up reports' services: opening the report period (the obligations),
saving a draft, submitting. Each state change is one function in one
transaction with the rows it changes locked, its audit event and its e-mail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fordela.access.permissions import Action, require
from fordela.applications.models import Decision, QuestionSetStatus
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.cleaning import MAX_SEK, parse_kronor
from fordela.core.formatting import kronor
from fordela.programmes.models import Pool, PoolKind
from fordela.requisitions.ledger import Received, received_per_case
from fordela.requisitions.models import Requisition

from .models import (
    COMMENT_LIMIT,
    REPORT_TRANSITIONS,
    Report,
    ReportForm,
    ReportSource,
    ReportStatus,
)

SYSTEM = "open_report_period"


# ------------------------------------------------------------ the period


@dataclass
class OpenedPeriod:
    year: int
    created: int = 0
    existing: int = 0
    # Pools (and calls) without a report due date: nothing is opened for them
    # until the date is set (never a hard-coded date).
    without_due_date: list[str] = field(default_factory=list)


def current_form() -> ReportForm:
    """The newest published report form: new reports are opened on it."""
    form = (
        ReportForm.objects.filter(status=QuestionSetStatus.PUBLISHED).order_by("-version").first()
    )
    if form is None:
        raise ValidationError(_("There is no published report form."))
    return form


def _due_date(pool: Pool, received: Received):
    if received.decision_id is not None:
        call = getattr(pool, "call", None)
        if call is not None and call.report_due:
            return call.report_due
    return pool.report_due


def _report_pools(year: int):
    return (
        Pool.objects.filter(
            programme_year__year=year, kind__in=[PoolKind.REQUISITION, PoolKind.APPLICATION]
        )
        .select_related("programme_year", "call")
        .order_by("pk")
    )


def open_report_period(year: int, actor=SYSTEM) -> OpenedPeriod:
    """Open the follow-up reports of grant year ``year``: one report for each
    paid requisition (with its redistributed share) and each paid grant of
    the year's pools. Idempotent: a case that has its report already is left
    as it is (one report per case is a unique constraint), so running it
    again creates nothing twice. The contact person gets the form's link by
    e-mail."""
    from .tasks import send_invitation

    result = OpenedPeriod(year=year)
    form = current_form()
    for pool in _report_pools(year):
        cases = received_per_case(pool)
        if not cases:
            continue
        have = set(Report.objects.filter(pool=pool).values_list("requisition_id", "decision_id"))
        for case in cases:
            if (case.requisition_id, case.decision_id) in have:
                result.existing += 1
                continue
            due_on = _due_date(pool, case)
            if due_on is None:
                if str(pool) not in result.without_due_date:
                    result.without_due_date.append(str(pool))
                continue
            if _create(pool, case, form, due_on, actor, send_invitation):
                result.created += 1
            else:
                result.existing += 1
    return result


def _contact(case: Received) -> tuple[str, str, str, str]:
    """The case number and the contact person the case names."""
    if case.requisition_id is not None:
        r = Requisition.objects.get(pk=case.requisition_id)
        return r.case_number, r.contact_name, r.contact_email, r.contact_phone
    decision = Decision.objects.select_related("application").get(pk=case.decision_id)
    application = decision.application
    return application.case_number, application.contact_name, application.contact_email, ""


def _create(pool, case: Received, form, due_on, actor, send_invitation) -> bool:
    case_number, name, email, phone = _contact(case)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                organisation_id=case.organisation_id,
                pool=pool,
                year=pool.programme_year.year,
                source=ReportSource.REQUISITION if case.requisition_id else ReportSource.GRANT,
                requisition_id=case.requisition_id,
                decision_id=case.decision_id,
                case_number=case_number or "",
                form=form,
                due_on=due_on,
                requisitioned_sek=case.requisitioned_sek,
                redistributed_sek=case.redistributed_sek,
                granted_sek=case.granted_sek,
                received_sek=case.received_sek,
                contact_name=name,
                contact_email=email,
                contact_phone=phone,
            )
            record(
                actor,
                AuditAction.REPORT_OPENED,
                report,
                after={"received_sek": report.received_sek, "due_on": due_on.isoformat()},
            )
            send_invitation.enqueue(report.pk)
    except IntegrityError:
        # Another run opened it meanwhile (the unique constraint holds).
        return False
    return True


# ------------------------------------------------------------ the answers


@dataclass
class DraftSaved:
    report: Report
    problems: dict[str, list[str]] = field(default_factory=dict)


def questions(report: Report) -> list[dict]:
    return report.form.questions


def clean_text(question: dict, value) -> tuple[str | None, str | None]:
    """An answer as stored (trimmed, ``\n`` line ends) or why not: the limit
    of ``question``. Public: the regional reports clean their answers here."""
    text = "" if value is None else str(value).replace("\r\n", "\n").strip()
    limit = question.get("max_length")
    if limit and len(text) > limit:
        return None, _("Write at most %(limit)s characters (you wrote %(count)s).") % {
            "limit": limit,
            "count": len(text),
        }
    return text, None


def clean_used(value, ceiling_sek: int, over_ceiling: str) -> tuple[int | None, str | None]:
    """The amount used: whole kronor (``core.cleaning.parse_kronor``, the same
    rule as every amount), 0 ≤ used ≤ ``ceiling_sek`` (what was received;
    granted, for a regional sub-grant), else ``over_ceiling``."""
    if value is None or value == "":
        return None, None
    try:
        used = parse_kronor(value, maximum=MAX_SEK)
    except ValidationError as error:
        return None, error.messages[0]
    if used > ceiling_sek:
        return None, over_ceiling
    return used, None


def apply_changes(report, changes: dict, ceiling_sek: int, over_ceiling: str) -> dict:
    """Write onto ``report`` what can be kept of ``changes`` (answers by
    question key, ``used_sek``, ``economy_comment``) and return the problems
    by field: a value that breaks a rule is left as it was. ``report`` is a
    national ``Report`` or a regional ``SubGrantReport``: both hold
    ``answers``, ``economy_comment``, ``used_sek``, ``unused_sek`` and a
    ``form``. The unused amount is the server's: ceiling − used."""
    problems: dict[str, list[str]] = {}
    answers = dict(report.answers)
    for question in report.form.questions:
        key = question["key"]
        if key not in changes:
            continue
        text, problem = clean_text(question, changes[key])
        if problem:
            problems[key] = [problem]
        else:
            answers[key] = text
    if "economy_comment" in changes:
        text, problem = clean_text({"max_length": COMMENT_LIMIT}, changes["economy_comment"])
        if problem:
            problems["economy_comment"] = [problem]
        else:
            report.economy_comment = text
    if "used_sek" in changes:
        used, problem = clean_used(changes["used_sek"], ceiling_sek, over_ceiling)
        if problem:
            problems["used_sek"] = [problem]
        else:
            report.used_sek = used
            report.unused_sek = None if used is None else ceiling_sek - used
    report.answers = answers
    return problems


def _lock_editable(user, report_id: int, action: Action) -> Report:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("organisation", "form")
        .get(pk=report_id)
    )
    require(user, action, report.organisation)
    if not report.is_editable:
        raise ValidationError(
            _("The report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )
    return report


def save_draft(user, report: Report | int, changes: dict) -> DraftSaved:
    """Save what can be saved of ``changes`` (answers by question key,
    ``used_sek``, ``economy_comment``): each value that breaks a rule is left
    as it was and named in ``problems``. The unused amount is the server's:
    received − used."""
    report_id = report.pk if isinstance(report, Report) else report
    with transaction.atomic():
        report = _lock_editable(user, report_id, Action.FILL_IN)
        over = _("The amount used cannot be more than the %(received)s you received.") % {
            "received": kronor(report.received_sek)
        }
        saved = DraftSaved(
            report=report,
            problems=apply_changes(report, changes, report.received_sek, over),
        )
        report.save(
            update_fields=["answers", "economy_comment", "used_sek", "unused_sek", "updated_at"]
        )
    return saved


def missing(report: Report) -> dict[str, list[str]]:
    """What must be filled in before the report can be submitted."""
    problems: dict[str, list[str]] = {}
    for question in questions(report):
        if question.get("required") and not report.answers.get(question["key"]):
            problems[question["key"]] = [_("Answer the question.")]
    areas = [q["key"] for q in questions(report) if q.get("section") == "activities"]
    if areas and not any(report.answers.get(key) for key in areas):
        problems["activities"] = [_("Describe the activities in at least one area.")]
    if report.used_sek is None:
        problems["used_sek"] = [_("Enter how much of the money was used.")]
    return problems


def _unchanged(report: Report) -> bool:
    last = report.submissions.order_by("-number").first()
    return last is not None and (
        last.answers == report.answers
        and last.used_sek == report.used_sek
        and last.economy_comment == report.economy_comment
    )


def submit_report(user, report: Report | int) -> Report:
    """Submit the report (ombud and representant): the answers are kept as a
    submission, the status moves to submitted, the submitter and time are
    stored, and the receipt is e-mailed. Refused, nothing changes."""
    from .tasks import send_receipt

    report_id = report.pk if isinstance(report, Report) else report
    with transaction.atomic():
        try:
            report = _lock_editable(user, report_id, Action.SUBMIT_CASE)
        except ValidationError:
            current = Report.objects.get(pk=report_id)
            require(user, Action.SUBMIT_CASE, current.organisation)
            raise ValidationError(
                _("The report has already been submitted; it is %(status)s.")
                % {"status": current.get_status_display().lower()}
            ) from None
        problems = missing(report)
        if problems:
            raise ValidationError(problems)
        if report.status == ReportStatus.COMPLETION_REQUESTED and _unchanged(report):
            raise ValidationError(
                _(
                    "Nothing has changed since the last submission. Make the change "
                    "Socialstyrelsen asked for, then submit the report again."
                )
            )
        # The database checks it too; the service says it in words.
        if report.used_sek > report.received_sek:
            raise ValidationError({"used_sek": [_("The amount used is more than received.")]})
        before = report.status
        states.move(
            report,
            ReportStatus.SUBMITTED,
            REPORT_TRANSITIONS,
            _("A report that is %(status)s cannot be submitted."),
        )
        report.unused_sek = report.received_sek - report.used_sek
        report.submitted_at = clock.now()
        report.submitted_by = user
        report.submission_count += 1
        report.save(
            update_fields=[
                "status",
                "unused_sek",
                "submitted_at",
                "submitted_by",
                "submission_count",
                "updated_at",
            ]
        )
        report.submissions.create(
            number=report.submission_count,
            answers=report.answers,
            used_sek=report.used_sek,
            unused_sek=report.unused_sek,
            economy_comment=report.economy_comment,
            submitted_at=report.submitted_at,
            submitted_by=user,
        )
        record(
            user,
            AuditAction.REPORT_SUBMITTED,
            report,
            before={"status": before},
            after={
                "status": report.status,
                "submission": report.submission_count,
                "used_sek": report.used_sek,
                "unused_sek": report.unused_sek,
            },
        )
        send_receipt.enqueue(report.pk, report.submission_count)
    return report


# ------------------------------------------------------ the contact person


def change_contact(user, report: Report | int, name: str, email: str, phone: str = "") -> Report:
    """Change the report's contact person (the matrix's CHANGE_CONTACT_PERSON):
    audited with before and after, and an open report's form link goes to the
    new person by e-mail. The agency sees the change on the case page."""
    from django.core.validators import validate_email

    from fordela.audit.services import record_changes

    from .tasks import send_invitation

    name, email, phone = (name or "").strip(), (email or "").strip(), (phone or "").strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["contact_name"] = [_("Enter the contact person's name.")]
    try:
        validate_email(email)
    except ValidationError:
        problems["contact_email"] = [_("Enter a valid e-mail address, e.g. namn@kommun.se.")]
    for key, value, limit in (("contact_name", name, 200), ("contact_phone", phone, 40)):
        if len(value) > limit:
            problems[key] = [
                _("Write at most %(limit)s characters (you wrote %(count)s).")
                % {"limit": limit, "count": len(value)}
            ]
    report_id = report.pk if isinstance(report, Report) else report
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=report_id)
        )
        require(user, Action.CHANGE_CONTACT_PERSON, report.organisation)
        if problems:
            raise ValidationError(problems)
        before = {
            "contact_name": report.contact_name,
            "contact_email": report.contact_email,
            "contact_phone": report.contact_phone,
        }
        after = {"contact_name": name, "contact_email": email, "contact_phone": phone}
        if not record_changes(user, AuditAction.REPORT_CONTACT_CHANGED, report, before, after):
            return report
        report.contact_name, report.contact_email, report.contact_phone = name, email, phone
        report.save(update_fields=["contact_name", "contact_email", "contact_phone", "updated_at"])
        if report.is_editable and email != before["contact_email"]:
            send_invitation.enqueue(report.pk)
    return report


# ------------------------------------------------- the contact person's link

# The signature's own salt: a signed value from elsewhere in the product is
# not a report link, and a report link is nothing else.
LINK_SALT = "fordela.reports.contact-link"


def link_max_age() -> datetime.timedelta:
    """How long an e-mailed link works: long enough to cover the report
    period (the invitation at its opening to the deadline, and a completion
    round), ``FORDELA_REPORT_LINK_MAX_AGE_DAYS`` (default 183). Every
    reminder and completion e-mail carries a fresh link."""
    return datetime.timedelta(days=settings.FORDELA_REPORT_LINK_MAX_AGE_DAYS)


def contact_link_token(report: Report) -> str:
    """The signed token of the e-mailed link: the report, the contact e-mail
    it was sent to and when (the product's clock, so a moved clock ages it)."""
    issued = int(clock.now().timestamp())
    payload = {"r": report.pk, "e": report.contact_email.strip().lower(), "t": issued}
    return signing.Signer(salt=LINK_SALT).sign_object(payload, compress=True)


class LinkProblem:
    INVALID = "invalid"  # not a link we signed (altered, cut short)
    SUPERSEDED = "superseded"  # sent to a contact person who has since been replaced
    EXPIRED = "expired"  # older than link_max_age()


@dataclass
class OpenedLink:
    report: Report | None = None
    problem: str = ""
    sent_at: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None


def open_contact_link(token: str) -> OpenedLink:
    """What an e-mailed link is today: current (the report), or why not.
    Reads only: opening a link changes nothing."""
    try:
        payload = signing.Signer(salt=LINK_SALT).unsign_object(token)
        report_id, email, issued = int(payload["r"]), str(payload["e"]), int(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return OpenedLink(problem=LinkProblem.INVALID)
    report = (
        Report.objects.select_related("organisation", "pool__programme_year")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return OpenedLink(problem=LinkProblem.INVALID)
    sent_at = datetime.datetime.fromtimestamp(issued, tz=clock.STOCKHOLM)
    opened = OpenedLink(report=report, sent_at=sent_at, valid_until=sent_at + link_max_age())
    if report.contact_email.strip().lower() != email:
        opened.problem = LinkProblem.SUPERSEDED
    elif clock.now() > opened.valid_until:
        opened.problem = LinkProblem.EXPIRED
    return opened
