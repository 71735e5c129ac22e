"""An application's attachments (issue 14, items 7–9): a PDF that inflates
without bound, active content and a too large upload are refused with a
clear message and nothing stored; attachments and decision letters are
served as downloads only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fordela.applications.letters import store_letter
from fordela.applications.services import applying, decisions
from tests.uploads import (
    ACTIVE_CONTENT,
    MiB,
    assert_served_as_download,
    plain_pdf,
    post_large_upload,
    traced_peak,
    zip_bomb_pdf,
)

from .conftest import submitted_ngo_application


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(world):
    return applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)


@pytest.fixture
def ombud(world, settings):
    client = Client()
    client.force_login(world.users["ombud"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages asserted as their msgids
    return client


def attach(client, application, data: bytes):
    return client.post(
        reverse("applications:attach", args=[application.pk]),
        {"item": "statutes", "file": SimpleUploadedFile("stadgar.pdf", data, "application/pdf")},
        follow=True,
    )


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_pdf_that_inflates_to_200_mb_is_refused_with_a_message(ombud, draft, media_root):
    response, peak = traced_peak(attach, ombud, draft, zip_bomb_pdf(inflated_mib=200))
    assert response.status_code == 200
    assert "The PDF is too large when unpacked" in response.content.decode()
    assert not draft.attachments.exists()
    assert stored_files(media_root) == []
    assert peak < 50 * MiB


@pytest.mark.parametrize("content", ACTIVE_CONTENT)
def test_a_pdf_with_active_content_is_refused_with_a_message(ombud, draft, media_root, content):
    response = attach(ombud, draft, ACTIVE_CONTENT[content]())
    assert "The PDF contains active content" in response.content.decode()
    assert not draft.attachments.exists()
    assert stored_files(media_root) == []


def test_a_30_mib_upload_is_refused_before_its_body_is_read(ombud, draft, media_root):
    sent = post_large_upload(
        ombud,
        reverse("applications:attach", args=[draft.pk]),
        {"item": "statutes"},
        "file",
        size=30 * MiB,
    )
    assert sent.response.status_code == 413
    assert (
        "The file is too large. The largest size allowed is 10.0\xa0MB."
        in sent.response.content.decode()
    )
    assert not sent.body_read
    assert not draft.attachments.exists()
    assert stored_files(media_root) == []
    assert sent.peak_bytes < 5 * MiB


def test_an_upload_keeps_at_most_the_largest_allowed_size_of_a_file_in_the_worker(
    ombud, draft, media_root, settings
):
    # As if the request limit were wider than it is: the upload handler alone
    # keeps a file to the attachment limit (plus one byte, to know it is over).
    settings.FORDELA_MAX_ATTACHMENT_BYTES = 1 * MiB
    settings.FORDELA_MAX_REQUEST_BYTES = 64 * MiB
    sent = post_large_upload(
        ombud,
        reverse("applications:attach", args=[draft.pk]),
        {"item": "statutes"},
        "file",
        size=30 * MiB,
    )
    assert sent.response.status_code == 302
    page = ombud.get(sent.response.url).content.decode()
    assert "The file is too large. The largest size allowed is 1.0\xa0MB." in page
    assert not draft.attachments.exists()
    assert stored_files(media_root) == []
    assert sent.peak_bytes < 8 * MiB


def test_an_attachment_is_served_as_a_download_to_the_applicant_and_the_handlaggare(world):
    application = submitted_ngo_application(world)
    attachment = application.attachments.get(item="statutes")
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])
    for user in (world.users["ombud"], world.users["handlaggare"]):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert_served_as_download(response, 'attachment; filename="statutes.pdf"')
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_swedish_file_name_is_kept_in_the_download(world):
    application = applying.start_application(world.users["ombud"], world.ngo, world.ngo_call)
    attachment = applying.attach_file(
        world.users["ombud"], application, "statutes", "Stadgar för föreningen.pdf", plain_pdf()
    )
    client = Client()
    client.force_login(world.users["ombud"])
    response = client.get(reverse("applications:attachment", args=[application.pk, attachment.pk]))
    assert_served_as_download(
        response,
        'attachment; filename="Stadgar for foreningen.pdf"; '
        "filename*=UTF-8''Stadgar%20f%C3%B6r%20f%C3%B6reningen.pdf",
    )


def test_the_decision_letter_is_served_as_a_download(world):
    application = submitted_ngo_application(world)
    decisions.propose_decision(
        world.users["handlaggare"], application, "partial", "Delvis", amount_sek=250_000
    )
    decision = decisions.decide(world.users["beslutsfattare"], application, send_letter=False)
    store_letter(decision, plain_pdf())
    client = Client()
    client.force_login(world.users["ombud"])
    response = client.get(reverse("applications:letter", args=[application.pk]))
    assert response.status_code == 200
    assert_served_as_download(
        response, f'attachment; filename="beslut-{application.case_number}.pdf"'
    )
