"""E-mail about requisitions, sent from background tasks after commit, once
however often the task runs (``fordela.core.tasks.send_once``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.core.agency import email_signature
from fordela.core.clock import STOCKHOLM
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once

from .models import Requisition


def receipt_text(requisition: Requisition) -> tuple[str, str]:
    submitted = requisition.submitted_at.astimezone(STOCKHOLM)
    subject = _("Receipt: requisition %(case)s") % {"case": requisition.case_number}
    lines = [
        _("We have received your requisition."),
        "",
        _("Case number: %(case)s") % {"case": requisition.case_number},
        _("Organisation: %(name)s") % {"name": requisition.organisation.name},
        _("Pool: %(pool)s") % {"pool": requisition.pool},
        _("Amount: %(amount)s") % {"amount": kronor(requisition.amount_sek)},
        _("Wants a share of unrequisitioned funds: %(answer)s")
        % {"answer": _("yes") if requisition.wants_redistribution else _("no")},
        _("Received: %(when)s") % {"when": date_format(submitted, "j F Y H:i")},
        _("Submitted by: %(name)s")
        % {"name": requisition.submitted_by.get_full_name() or requisition.submitted_by.username},
        "",
        _("Payment is made within 30 working days of receipt."),
    ]
    payable = requisition.payables.exclude(status="cancelled").first()
    if payable:
        lines.append(_("Due date: %(date)s") % {"date": date_format(payable.due_on, "j F Y")})
    lines += ["", email_signature()]
    return subject, "\n".join(lines)


@task
def send_receipt(requisition_id: int, submission: int = 1) -> int:
    """The receipt of the ``submission``:th submission (a resubmission after a
    return for correction gets its own receipt, once)."""
    requisition = Requisition.objects.select_related(
        "organisation", "pool__programme_year", "submitted_by"
    ).get(pk=requisition_id)
    recipients = sorted(
        {a for a in (requisition.contact_email, requisition.submitted_by.email) if a}
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = receipt_text(requisition)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    key = f"requisition-receipt:{requisition_id}"
    if submission > 1:
        key += f":{submission}"
    return send_once(key, message)
