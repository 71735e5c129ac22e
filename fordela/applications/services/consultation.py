"""Consultation (*remiss*): the handläggare sends a stimulus application to
Jämställdhetsmyndigheten with a reply date; the consultee files one opinion
(*yttrande*) per request."""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateField, F, Prefetch, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock

from ..models import Application, ConsultationRequest, Opinion, Recommendation
from ..tasks import send_consultation_notice
from .common import UNDER_ASSESSMENT, lock, require_handlaggare

# The furthest ahead a reply date may lie: no decision is proposed while the
# opinion may still come, so a distant date would hold the case up (the call
# has no decision date to bound it, only a text such as "mars 2022").
MAX_REPLY_DAYS = 60


def reply_date_range() -> tuple[datetime.date, datetime.date]:
    """The first and last reply date a consultation sent today may have."""
    today = clock.today()
    return today + datetime.timedelta(days=1), today + datetime.timedelta(days=MAX_REPLY_DAYS)


def reply_date_refusal(reply_by: datetime.date) -> str | None:
    """Why ``reply_by`` cannot be a new consultation's reply date, or None."""
    first, last = reply_date_range()
    if reply_by < first:
        return _("The reply date must be after today.")
    if reply_by > last:
        return _("Choose a reply date at most %(days)s days ahead, %(date)s at the latest.") % {
            "days": MAX_REPLY_DAYS,
            "date": date_format(last, "j F Y"),
        }
    return None


def send_to_consultation(
    user,
    application: Application,
    reply_by: datetime.date,
    message: str = "",
    *,
    site_url: str = "",
):
    """Send the application to Jämställdhetsmyndigheten for views (*remiss*),
    with a reply date (handläggare). ``site_url`` is the scheme and host the
    e-mail's link points to."""
    require_handlaggare(user)
    refusal = reply_date_refusal(reply_by)
    if refusal:
        raise ValidationError({"reply_by": [refusal]})
    with transaction.atomic():
        locked = lock(application)
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

        transaction.on_commit(partial(send_consultation_notice.enqueue, request.pk, site_url))
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


def requests_open_first():
    """Every request for views, those still waiting for an opinion first
    (the nearest reply date first), then the answered and expired ones (the
    latest reply date first), with the opinion, application, organisation
    and call read along."""
    waiting_reply_by = Case(
        When(opinion__isnull=True, reply_by__gte=clock.today(), then=F("reply_by")),
        output_field=DateField(),
    )
    return (
        ConsultationRequest.objects.select_related("opinion")
        .alias(waiting_reply_by=waiting_reply_by)
        .order_by(F("waiting_reply_by").asc(nulls_last=True), "-reply_by", "-pk")
        # Read for the page's rows only, after the sort (joined into it, the
        # applications would be sorted along, all of them).
        .prefetch_related(
            Prefetch(
                "application", queryset=Application.objects.select_related("organisation", "call")
            )
        )
    )


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
        # The application first, then its request (common's lock order), so
        # a proposal made at the same moment is checked before or after the
        # opinion, not while it is being filed.
        application = lock(request.application)
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
            application,
            after={"recommendation": recommendation, "amount_sek": amount_sek},
        )
    return opinion
