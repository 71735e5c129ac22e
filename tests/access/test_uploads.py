"""The ombud application's attachments (issue 14, items 7–9): a PDF that
inflates without bound, active content and a too large upload are refused on
the form with a clear message and nothing stored; attachments are served as
downloads only."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fordela.access import services
from fordela.access.models import OmbudAttachment, StaffRole
from tests.uploads import (
    ACTIVE_CONTENT,
    MiB,
    assert_served_as_download,
    compressed_page_pdf,
    pdf_with_harmless_actions,
    plain_pdf,
    post_large_upload,
    traced_peak,
    xref_bomb_pdf,
    zip_bomb_pdf,
)


@pytest.fixture
def applicant(make_user):
    return make_user("asa", first_name="Åsa", last_name="Öberg")


@pytest.fixture
def application(applicant, ale):
    return services.start_ombud_application(applicant, "212000-1439", "firmatecknare")


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted as their msgids
    return client


def upload(client, application, data: bytes, name: str = "intyg.pdf"):
    return client.post(
        reverse("access:ombud_upload", args=[application.pk]),
        {"kind": "delegation", "file": SimpleUploadedFile(name, data, "application/pdf")},
    )


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_pdf_that_inflates_to_200_mb_is_refused_on_the_form(applicant_client, application):
    bomb = zip_bomb_pdf(inflated_mib=200)
    response, peak = traced_peak(upload, applicant_client, application, bomb)
    assert response.status_code == 400
    assert "The PDF is too large when unpacked" in response.content.decode()
    assert not application.attachments.exists()
    assert stored_files() == []
    assert peak < 50 * MiB


def test_a_pdf_whose_structure_inflates_without_bound_is_refused_in_bounded_memory(applicant, ale):
    application = services.start_ombud_application(applicant, "212000-1439", "firmatecknare")
    error, peak = traced_peak(
        services.add_attachment, applicant, application, "delegation", "x.pdf", xref_bomb_pdf()
    )
    assert error.code == "too_large_unpacked"
    assert not application.attachments.exists()
    assert peak < 50 * MiB


def test_a_pdf_that_inflates_to_200_mb_in_two_flate_steps_is_refused(applicant, ale):
    application = services.start_ombud_application(applicant, "212000-1439", "firmatecknare")
    bomb = zip_bomb_pdf(inflated_mib=200, flate_steps=2)
    error, peak = traced_peak(
        services.add_attachment, applicant, application, "delegation", "x.pdf", bomb
    )
    assert error.code == "too_large_unpacked"
    assert peak < 50 * MiB


def test_a_page_of_ordinary_compressed_text_is_accepted(applicant_client, application):
    response = upload(applicant_client, application, compressed_page_pdf(text_mib=2))
    assert response.status_code == 302
    assert application.attachments.count() == 1


@pytest.mark.parametrize("content", ACTIVE_CONTENT)
def test_a_pdf_with_active_content_is_refused_on_the_form(applicant_client, application, content):
    response = upload(applicant_client, application, ACTIVE_CONTENT[content]())
    assert response.status_code == 400
    assert "The PDF contains active content" in response.content.decode()
    assert not application.attachments.exists()
    assert stored_files() == []


def test_a_pdf_that_opens_on_its_first_page_and_links_to_the_web_is_accepted(
    applicant_client, application
):
    response = upload(applicant_client, application, pdf_with_harmless_actions())
    assert response.status_code == 302
    assert application.attachments.count() == 1


def test_a_30_mib_upload_is_refused_before_its_body_is_read(applicant_client, application):
    sent = post_large_upload(
        applicant_client,
        reverse("access:ombud_upload", args=[application.pk]),
        {"kind": "delegation"},
        "file",
        size=30 * MiB,
    )
    assert sent.response.status_code == 413
    page = sent.response.content.decode()
    assert "The file is too large. The largest size allowed is 10.0\xa0MB." in page
    # A page of the site like any other, with its headers.
    assert sent.response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in sent.response["Content-Security-Policy"]
    assert not sent.body_read
    assert not application.attachments.exists()
    assert stored_files() == []
    assert sent.peak_bytes < 5 * MiB


def test_an_upload_keeps_at_most_the_largest_allowed_size_of_a_file_in_the_worker(
    applicant_client, application, settings
):
    # As if the request limit were wider than it is: the upload handler alone
    # keeps a file to the attachment limit (plus one byte, to know it is over).
    settings.FORDELA_MAX_ATTACHMENT_BYTES = 1 * MiB
    settings.FORDELA_MAX_REQUEST_BYTES = 64 * MiB
    sent = post_large_upload(
        applicant_client,
        reverse("access:ombud_upload", args=[application.pk]),
        {"kind": "delegation"},
        "file",
        size=30 * MiB,
    )
    assert sent.response.status_code == 400
    assert (
        "The file is too large. The largest size allowed is 1.0\xa0MB."
        in sent.response.content.decode()
    )
    assert not application.attachments.exists()
    assert stored_files() == []
    assert sent.peak_bytes < 8 * MiB


def test_an_attachment_is_served_as_a_download_under_its_own_name(
    client, applicant, application, staff
):
    attachment = services.add_attachment(
        applicant, application, "delegation", 'Intyg för Ale "2021".pdf', plain_pdf()
    )
    url = reverse("access:ombud_attachment", args=[attachment.pk])
    for user in (applicant, staff(StaffRole.HANDLAGGARE)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert_served_as_download(
            response,
            'attachment; filename="Intyg for Ale _2021_.pdf"; '
            "filename*=UTF-8''Intyg%20f%C3%B6r%20Ale%20%222021%22.pdf",
        )
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert OmbudAttachment.objects.count() == 1
