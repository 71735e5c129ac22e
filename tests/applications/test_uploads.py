"""An application's attachments (issue 14, items 7–9): a PDF that inflates
without bound, active content and a too large upload are refused with a
clear message and nothing stored; attachments and decision letters are
served as downloads only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fordela.applications.services import applying
from tests.uploads import (
    ACTIVE_CONTENT,
    MiB,
    traced_peak,
    zip_bomb_pdf,
)


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
