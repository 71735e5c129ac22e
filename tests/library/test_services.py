"""The library's rules, service by service: who edits which entry, what an
entry must hold (an https link or a real PDF, text within its columns), the
publication states, and the audit event of every change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.library import services
from fordela.library.models import TITLE_LENGTH, Material, MaterialStatus
from tests.access.conftest import pdf_bytes
from tests.library.fixtures import entry, values

pytestmark = pytest.mark.django_db


def test_the_agency_editor_creates_a_draft_with_an_audit_event(library, clock_at):
    clock_at("2022-03-01")
    material = services.create_material(library.handlaggare, values(library.nck))
    assert material.status == MaterialStatus.DRAFT
    assert material.published_on is None
    assert str(material.updated_on) == "2022-03-01"
    (event,) = events_for(material)
    assert event.action == AuditAction.MATERIAL_CREATED
    assert event.after["title"] == "Webbkurs om våld"


def test_publishing_dates_the_entry_and_unpublishing_keeps_the_first_date(library, clock_at):
    clock_at("2022-03-01")
    material = services.create_material(library.handlaggare, values(library.agency))
    clock_at("2022-03-05")
    material = services.publish(library.handlaggare, material)
    assert material.status == MaterialStatus.PUBLISHED
    assert str(material.published_on) == "2022-03-05"
    clock_at("2022-04-01")
    material = services.unpublish(library.handlaggare, material)
    assert material.status == MaterialStatus.DRAFT
    assert str(material.published_on) == "2022-03-05"
    assert str(material.updated_on) == "2022-04-01"
    actions = list(events_for(material).order_by("pk").values_list("action", flat=True))
    assert actions == [
        AuditAction.MATERIAL_CREATED,
        AuditAction.MATERIAL_PUBLISHED,
        AuditAction.MATERIAL_UNPUBLISHED,
    ]


def test_a_published_entry_cannot_be_published_again(library):
    material = entry(library.handlaggare, library.agency)
    with pytest.raises(ValidationError, match="kan inte publiceras"):
        services.publish(library.handlaggare, material)


def test_a_partner_editor_creates_and_changes_their_own_organisations_entries(library):
    material = entry(library.nck_editor, library.nck)
    changed = services.update_material(
        library.nck_editor, material, values(library.nck, title="Webbkurs om våld, version 2")
    )
    assert changed.title == "Webbkurs om våld, version 2"
    event = events_for(material).get(action=AuditAction.MATERIAL_CHANGED)
    assert event.before == {"title": "Webbkurs om våld"}


def test_a_partner_editor_cannot_touch_another_partners_entry(library):
    material = entry(library.nck_editor, library.nck)
    for change in (
        lambda: services.update_material(library.barnafrid_editor, material, values(library.nck)),
        lambda: services.unpublish(library.barnafrid_editor, material),
    ):
        with pytest.raises(PermissionDenied):
            change()
    material.refresh_from_db()
    assert material.status == MaterialStatus.PUBLISHED


def test_a_partner_editor_cannot_create_in_another_partners_name(library):
    with pytest.raises(PermissionDenied):
        services.create_material(library.nck_editor, values(library.barnafrid))
    assert not Material.objects.exists()


def test_a_partner_editor_cannot_move_their_entry_to_another_publisher(library):
    material = entry(library.nck_editor, library.nck)
    with pytest.raises(PermissionDenied):
        services.update_material(library.nck_editor, material, values(library.barnafrid))


def test_staff_without_the_right_and_kommun_members_edit_nothing(library):
    material = entry(library.handlaggare, library.agency)
    for user in (library.beslutsfattare, library.kommun_ombud):
        assert not services.may_edit_some(user)
        assert not services.may_edit(user, material)
        with pytest.raises(PermissionDenied):
            services.create_material(user, values(library.agency))
    # A kommun is not a publisher, even for the agency's editor.
    with pytest.raises(PermissionDenied):
        services.create_material(library.handlaggare, values(library.kommun))


def test_a_link_must_be_https(library):
    for url in ("http://www.socialstyrelsen.se/", "ftp://example.se/a.pdf", "javascript:alert(1)"):
        with pytest.raises(ValidationError) as error:
            services.create_material(library.handlaggare, values(library.agency, url=url))
        assert "https://" in error.value.message_dict["url"][0]
    assert not Material.objects.exists()


def test_a_part_link_must_be_https_and_names_its_part(library):
    parts = [
        {"title": "FREDA-kortfrågor", "description": "Att fråga om våld.", "url": "https://a.se/"},
        {"title": "FREDA-beskrivning", "description": "Våldets art.", "url": "http://a.se/"},
    ]
    with pytest.raises(ValidationError) as error:
        services.create_material(library.handlaggare, values(library.agency, parts=parts))
    assert list(error.value.message_dict) == ["part-2-url"]


def test_an_entry_needs_a_link_or_a_pdf_but_not_both(library):
    with pytest.raises(ValidationError, match="länk till materialet eller ladda upp"):
        services.create_material(library.handlaggare, values(library.agency, url=""))
    upload = services.Upload("handbok.pdf", pdf_bytes())
    with pytest.raises(ValidationError, match="inte båda"):
        services.create_material(library.handlaggare, values(library.agency), upload)
    assert not Material.objects.exists()


def test_an_uploaded_pdf_is_kept_and_replaces_the_link(library):
    upload = services.Upload("Handbok våld.pdf", pdf_bytes(2))
    material = services.create_material(library.handlaggare, values(library.agency, url=""), upload)
    assert material.url == ""
    assert material.file_name == "Handbok våld.pdf"
    assert material.file.read().startswith(b"%PDF-")
    # Changing the text keeps the file.
    kept = services.update_material(
        library.handlaggare, material, values(library.agency, url="", title="Handbok")
    )
    assert kept.file and kept.file_name == "Handbok våld.pdf"
    # A link instead drops it.
    linked = services.update_material(library.handlaggare, kept, values(library.agency))
    assert not linked.file and linked.url == "https://www.nck.uu.se/kunskapsbanken/"


def test_a_file_that_is_not_a_pdf_is_refused(library):
    upload = services.Upload("handbok.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        services.create_material(library.handlaggare, values(library.agency, url=""), upload)
    assert "inte en PDF" in error.value.message_dict["file"][0]
    assert not Material.objects.exists()


def test_over_long_text_is_a_field_error(library):
    with pytest.raises(ValidationError) as error:
        services.create_material(
            library.handlaggare, values(library.agency, title="V" * (TITLE_LENGTH + 1))
        )
    assert "högst 200 tecken" in error.value.message_dict["title"][0]


def test_unknown_target_groups_and_topics_are_refused(library):
    with pytest.raises(ValidationError):
        services.create_material(
            library.handlaggare, values(library.agency, target_groups=["victims"])
        )
    with pytest.raises(ValidationError):
        services.create_material(library.handlaggare, values(library.agency, topics=["x"]))


def test_the_database_refuses_an_http_link(library):
    from django.db import IntegrityError, transaction

    material = entry(library.handlaggare, library.agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        Material.objects.filter(pk=material.pk).update(url="http://www.socialstyrelsen.se/")


def test_latest_published_lists_the_newest_published_first(library, clock_at):
    clock_at("2022-01-10")
    first = entry(library.handlaggare, library.agency, title="Första")
    clock_at("2022-02-10")
    second = entry(library.handlaggare, library.agency, title="Andra")
    entry(library.handlaggare, library.agency, title="Utkast", publish=False)
    assert services.latest_published(5) == [second, first]
    assert services.latest_published(1) == [second]


def test_a_change_is_searched_by_its_new_title_and_text_not_the_old(library):
    # The services keep the search vector (no trigger): a changed entry is
    # found by its new words only, at once.
    material = entry(library.handlaggare, library.agency)
    assert list(services.search(Material.objects.all(), "webbkurs")) == [material]
    services.update_material(
        library.handlaggare,
        material,
        values(library.agency, title="Handbok om hedersrelaterat våld", summary="Om heder."),
    )
    rows = Material.objects.all()
    assert list(services.search(rows, "handboken")) == [material]
    assert list(services.search(rows, "heder")) == [material]
    assert list(services.search(rows, "webbkurs")) == []
    assert list(services.search(rows, "introduktionskurs")) == []
