"""Ombud applications (ombudsansökan): validation, attachments, state machine,
approval replacing the old ombud (domain.md §2.2, decisions.md 9)."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from fordela.access import services
from fordela.access.models import (
    APPLICATION_TRANSITIONS,
    ApplicationStatus,
    AttachmentKind,
    Membership,
    OrganisationRole,
    RoleBasis,
    StaffRole,
)
from fordela.audit.models import AuditEvent
from fordela.settings import base as base_settings

from .conftest import other_organisation, pdf_bytes


@pytest.fixture
def applicant(make_user):
    return make_user("asa", first_name="Åsa", last_name="Öberg")


@pytest.fixture
def officer(staff):
    return staff(StaffRole.HANDLAGGARE)


def submitted(applicant, ale, basis=RoleBasis.FIRMATECKNARE):
    application = services.start_ombud_application(applicant, "212000-1439", basis)
    services.add_attachment(applicant, application, "delegation", "intyg.pdf", pdf_bytes())
    if basis == RoleBasis.FULLMAKT:
        services.add_attachment(applicant, application, "fullmakt", "fullmakt.pdf", pdf_bytes())
    return services.submit_ombud_application(applicant, application)


def test_invalid_organisation_number_is_refused(applicant, ale):
    with pytest.raises(ValidationError) as error:
        services.start_ombud_application(applicant, "212000-1438", RoleBasis.FIRMATECKNARE)
    assert error.value.code == "invalid_orgnr"


def test_unknown_organisation_number_gets_a_clear_message(applicant, ale):
    with pytest.raises(ValidationError) as error:
        services.start_ombud_application(applicant, "202100-5489", RoleBasis.FIRMATECKNARE)
    assert error.value.code == "unknown_orgnr"
    assert "202100-5489" in error.value.messages[0]


def test_attachments_depend_on_organisation_type(ale):
    assert services.attachment_kinds_for(ale, RoleBasis.FIRMATECKNARE) == [
        AttachmentKind.DELEGATION
    ]
    ngo = other_organisation(kind="nonprofit", municipality_code=None)
    assert services.attachment_kinds_for(ngo, RoleBasis.FULLMAKT) == [
        AttachmentKind.STATUTES,
        AttachmentKind.ANNUAL_MEETING,
        AttachmentKind.BOARD_MEETING,
        AttachmentKind.FULLMAKT,
    ]


def test_non_pdf_renamed_pdf_is_refused(applicant, ale):
    application = services.start_ombud_application(applicant, "2120001439", "firmatecknare")
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            applicant, application, "delegation", "intyg.pdf", b"PK\x03\x04 a zip file really"
        )
    assert error.value.code == "not_pdf"


def test_pdf_that_does_not_parse_is_refused(applicant, ale):
    application = services.start_ombud_application(applicant, "2120001439", "firmatecknare")
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            applicant, application, "delegation", "x.pdf", b"%PDF-1.7\ngarbage\n%%EOF\n"
        )
    assert error.value.code == "unreadable_pdf"


def test_too_large_attachment_is_refused(applicant, ale, settings):
    settings.FORDELA_MAX_ATTACHMENT_BYTES = 100
    application = services.start_ombud_application(applicant, "2120001439", "firmatecknare")
    with pytest.raises(ValidationError) as error:
        services.add_attachment(applicant, application, "delegation", "x.pdf", pdf_bytes())
    assert error.value.code == "too_large"


def test_upload_view_shows_the_not_a_pdf_message(client, applicant, ale):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = services.start_ombud_application(applicant, "2120001439", "firmatecknare")
    client.force_login(applicant)
    response = client.post(
        reverse("access:ombud_upload", args=[application.pk]),
        {"kind": "delegation", "file": SimpleUploadedFile("intyg.pdf", b"GIF89a not a pdf")},
    )
    assert response.status_code == 400
    assert "Filen är inte en PDF" in response.content.decode()
    assert 'aria-describedby="id_file_helptext id_file_error"' in response.content.decode()
    assert application.attachments.count() == 0


def test_cannot_submit_without_required_attachments(applicant, ale):
    application = services.start_ombud_application(applicant, "2120001439", "fullmakt")
    services.add_attachment(applicant, application, "delegation", "intyg.pdf", pdf_bytes())
    with pytest.raises(ValidationError) as error:
        services.submit_ombud_application(applicant, application)
    assert error.value.code == "missing_attachments"


def test_transitions_table_is_closed():
    for source, targets in APPLICATION_TRANSITIONS.items():
        assert source in ApplicationStatus.values
        assert targets <= set(ApplicationStatus.values)
    assert not APPLICATION_TRANSITIONS[ApplicationStatus.APPROVED]
    assert not APPLICATION_TRANSITIONS[ApplicationStatus.WRITTEN_OFF]


def test_completion_round_trip_then_approval(
    applicant, ale, officer, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted(applicant, ale)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_completion(officer, application, "Intyget saknar underskrift.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETION_REQUESTED
    assert "Intyget saknar underskrift." in mailoutbox[-1].body
    services.add_attachment(applicant, application, "delegation", "intyg2.pdf", pdf_bytes())
    services.submit_ombud_application(applicant, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RESUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_ombud_application(officer, application)
    assert Membership.objects.get(organisation=ale, role="ombud").user == applicant
    assert mailoutbox[-1].to == [applicant.email]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "ombud_application.submitted",
        "ombud_application.completion_requested",
        "ombud_application.approved",
        "membership.ombud_appointed",
    } <= actions


def test_approving_cannot_happen_twice(applicant, ale, officer):
    application = submitted(applicant, ale)
    services.approve_ombud_application(officer, application)
    with pytest.raises(ValidationError) as error:
        services.approve_ombud_application(officer, application)
    assert error.value.messages == ["En ansökan som är godkänd kan inte ändras på det sättet."]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_a_draft_cannot_be_approved(applicant, ale, officer):
    application = services.start_ombud_application(applicant, "2120001439", "firmatecknare")
    with pytest.raises(ValidationError):
        services.approve_ombud_application(officer, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not Membership.objects.filter(organisation=ale).exists()


def test_write_off(applicant, ale, officer, mailoutbox, django_capture_on_commit_callbacks):
    application = submitted(applicant, ale)
    with django_capture_on_commit_callbacks(execute=True):
        services.write_off_ombud_application(officer, application, "Ingen behörighet visad.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WRITTEN_OFF
    assert "avskriven" in mailoutbox[-1].subject
    assert not Membership.objects.filter(organisation=ale).exists()


def test_only_handlaggare_may_decide(applicant, ale, staff):
    application = submitted(applicant, ale)
    for role in (StaffRole.BESLUTSFATTARE, StaffRole.EKONOMI, StaffRole.CONSULTEE):
        with pytest.raises(PermissionDenied):
            services.approve_ombud_application(staff(role), application)
    with pytest.raises(PermissionDenied):
        services.approve_ombud_application(applicant, application)


def test_new_ombud_replaces_old_one_atomically(applicant, ale, officer, member):
    old = member(ale, OrganisationRole.OMBUD, "old-ombud")
    application = submitted(applicant, ale)
    services.approve_ombud_application(officer, application)
    ombud = Membership.objects.filter(organisation=ale, role=OrganisationRole.OMBUD)
    assert [m.user for m in ombud] == [applicant]
    assert not Membership.objects.filter(user=old, organisation=ale).exists()
    assert AuditEvent.objects.filter(action="membership.ombud_replaced").count() == 1


def test_representant_who_becomes_ombud_keeps_one_membership(applicant, ale, officer):
    Membership.objects.create(user=applicant, organisation=ale, role="representant")
    services.approve_ombud_application(officer, submitted(applicant, ale))
    assert Membership.objects.get(user=applicant, organisation=ale).role == "ombud"


def test_database_allows_one_ombud_per_organisation(ale, member, make_user):
    member(ale, OrganisationRole.OMBUD, "first")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=make_user("second"), organisation=ale, role="ombud")


def test_waiting_days_and_typical_handling_time(applicant, ale, officer):
    import datetime

    from django.utils import timezone

    application = submitted(applicant, ale)
    application.submitted_at = timezone.now() - datetime.timedelta(days=9)
    application.save()
    assert application.waiting_days == 9
    assert services.typical_handling_days() is None
    services.approve_ombud_application(officer, application)
    assert services.typical_handling_days() == 9


def test_applicant_sees_status_and_handling_time(client, applicant, ale):
    application = submitted(applicant, ale)
    client.force_login(applicant)
    page = client.get(reverse("access:ombud_application", args=[application.pk])).content.decode()
    assert (
        '<strong class="govuk-tag govuk-tag--blue" id="application-status">Inskickad</strong>'
        in page
    )
    # Nothing decided in the last year yet: the expected time, not a typical one.
    assert "Beräknad handläggningstid: ungefär en månad." in page


def test_attachment_download_for_applicant_and_handlaggare_only(
    client, applicant, ale, officer, make_user
):
    application = submitted(applicant, ale)
    attachment = application.attachments.get()
    url = reverse("access:ombud_attachment", args=[attachment.pk])
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(make_user("nosy"))
    assert client.get(url).status_code == 403


def test_attachment_is_stored_outside_static_and_under_a_safe_name(
    client, applicant, ale, settings
):
    application = services.start_ombud_application(applicant, "2120001439", "firmatecknare")
    attachment = services.add_attachment(
        applicant, application, "delegation", "../../etc/passwd.pdf", pdf_bytes()
    )
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"ombud/{application.pk}/delegation-")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    # Where attachments go outside the tests: nowhere the static files are served from.
    media_root = Path(base_settings.MEDIA_ROOT).resolve()
    for served in [base_settings.STATIC_ROOT, *base_settings.STATICFILES_DIRS]:
        served = Path(served).resolve()
        assert not media_root.is_relative_to(served), served
        assert not served.is_relative_to(media_root), served
    # And no URL serves the file itself.
    for url in (f"/{attachment.file.name}", f"/static/{attachment.file.name}"):
        assert client.get(url).status_code == 404, url
