"""Invitations and decisions go out as real e-mail over SMTP, from a task."""

import pytest

from fordela.access import services
from fordela.access.models import OrganisationRole, RoleBasis, StaffRole
from tests.worker import run_db_worker

from .conftest import pdf_bytes


def test_invitation_arrives_over_smtp(ale, member, smtp_sink, django_capture_on_commit_callbacks):
    ombud = member(ale, OrganisationRole.OMBUD)
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invite_member(
            ombud, ale, "Ulla@Example.se", "uppgiftssamordnare", site_url="http://testserver/"
        )
    [message] = smtp_sink.parsed()
    assert message["To"] == "ulla@example.se"
    assert "Ale kommun" in message["Subject"]
    assert issued.url in message.get_content()


def test_no_mail_when_the_transaction_rolls_back(ale, member, smtp_sink):
    from django.db import transaction

    ombud = member(ale, OrganisationRole.OMBUD)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invite_member(ombud, ale, "x@example.se", "representant", site_url="http://t")
        raise RuntimeError
    assert smtp_sink.messages == []


def test_decision_mail_via_database_queue_and_db_worker(
    transactional_db, settings, smtp_sink, make_user, staff
):
    """Enqueue on django_tasks_db, then run the real worker command."""
    from django_tasks_db.models import DBTaskResult

    from tests.factories import OrganisationFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    organisation = OrganisationFactory(name="Ale kommun", organisation_number="2120001439")
    applicant = make_user("asa")
    officer = staff(StaffRole.HANDLAGGARE)
    application = services.start_ombud_application(applicant, "2120001439", RoleBasis.FULLMAKT)
    for kind in ("delegation", "fullmakt"):
        services.add_attachment(applicant, application, kind, f"{kind}.pdf", pdf_bytes())
    services.submit_ombud_application(applicant, application)
    services.approve_ombud_application(officer, application)
    assert DBTaskResult.objects.count() == 1
    assert smtp_sink.messages == []  # queued, not sent

    run_db_worker(settings)
    [message] = smtp_sink.parsed()
    assert message["To"] == applicant.email
    assert organisation.name in message["Subject"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
