"""The receipt e-mail of a regional application, as a background task after
commit (like the national applications' ``applications.tasks``): to the
contact person and whoever submitted it, once however often it runs
(``send_once``). The region sends it: its round's contact signs it."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fordela.core import clock
from fordela.core.formatting import kronor
from fordela.core.tasks import send_once

from .models import SubGrantApplication


def receipt_key(application_id: int) -> str:
    return f"regional-application-receipt:{application_id}"


def receipt_text(application: SubGrantApplication) -> tuple[str, str]:
    round_ = application.round
    submitted = application.submitted_at.astimezone(clock.STOCKHOLM)
    subject = _("Receipt: application %(case)s to %(region)s") % {
        "case": application.case_number,
        "region": round_.region.name,
    }
    lines = [
        _("%(region)s has received your application.") % {"region": round_.region.name},
        "",
        _("Case number: %(case)s") % {"case": application.case_number},
        _("Applicant: %(name)s") % {"name": application.applicant_name},
        _("Round: %(title)s") % {"title": round_.title},
        _("Project: %(title)s") % {"title": application.project_title},
        _("Amount applied for: %(amount)s") % {"amount": kronor(application.requested_sek)},
        _("Received: %(when)s") % {"when": date_format(submitted, "j F Y H:i")},
        "",
        _("The region decides by %(date)s. You can follow the application on My pages.")
        % {"date": date_format(round_.decide_by, "j F Y")},
        "",
        "-- ",
        round_.region.name,
    ]
    if round_.contact:
        lines.append(round_.contact)
    return subject, "\n".join(lines) + "\n"


def _recipients(application: SubGrantApplication) -> list[str]:
    addresses = {application.contact_email}
    if application.submitted_by_id:
        addresses.add(application.submitted_by.email)
    return sorted(a for a in addresses if a)


@task
def send_receipt(application_id: int) -> int:
    application = SubGrantApplication.objects.select_related(
        "round__region", "organisation", "submitted_by"
    ).get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = receipt_text(application)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, _recipients(application))
    return send_once(receipt_key(application_id), message)
