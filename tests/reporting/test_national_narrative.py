"""The national report's free text, versioned (issue 19 §2): each save is a
new version with the next number and an audit event; the newest shows on
the report page and in the PDF; empty, unchanged or ekonomi's text is
refused and nothing is saved."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fordela.access.models import StaffRole
from fordela.audit.actions import AuditAction
from fordela.audit.models import AuditEvent
from fordela.reporting.models import NarrativeVersion
from fordela.reporting.narrative import save_narrative
from tests.reports.conftest import client_for
from tests.requisitions.conftest import staff

pytestmark = pytest.mark.django_db


def test_each_save_is_a_new_version(programme):
    officer = staff(StaffRole.HANDLAGGARE, "handlaggare")
    first = save_narrative(officer, programme, "  Kommunerna har byggt upp stödet.  ")
    second = save_narrative(officer, programme, "Kommunerna och regionerna har byggt upp stödet.")
    assert (first.number, first.text) == (1, "Kommunerna har byggt upp stödet.")
    assert second.number == 2
    assert list(programme.narrative_versions.values_list("number", flat=True)) == [2, 1]
    assert AuditEvent.objects.filter(action=AuditAction.NARRATIVE_SAVED).count() == 2

    with pytest.raises(ValidationError):
        save_narrative(officer, programme, second.text)
    with pytest.raises(ValidationError):
        save_narrative(officer, programme, "   ")
    with pytest.raises(PermissionDenied):
        save_narrative(staff(StaffRole.EKONOMI, "ekonomi"), programme, "Ny text")
    assert NarrativeVersion.objects.count() == 2


def test_the_page_saves_a_version_and_the_report_shows_the_newest(programme):
    from pypdf import PdfReader

    client = client_for(staff(StaffRole.BESLUTSFATTARE, "beslutsfattare"))
    url = reverse("reporting:national_text", args=[programme.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Arbetet har kommit i gång i hela landet."})
    assert response.status_code == 302
    response = client.post(url, {"text": ""})
    assert response.status_code == 200  # the form with its error, nothing saved
    assert NarrativeVersion.objects.count() == 1
    html = client.get(reverse("reporting:national", args=[programme.slug])).content.decode()
    assert "Arbetet har kommit i gång i hela landet." in html
    pdf = client.get(reverse("reporting:national_pdf", args=[programme.slug]) + "?ar=2020")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Arbetet har kommit i gång i hela landet." in " ".join(text.split())


def test_ekonomi_reads_the_text_but_gets_no_form_and_cannot_post(programme):
    client = client_for(staff(StaffRole.EKONOMI, "ekonomi"))
    url = reverse("reporting:national_text", args=[programme.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="narrative-form"' not in response.content.decode()
    assert client.post(url, {"text": "Text"}).status_code == 403
    assert NarrativeVersion.objects.count() == 0
