"""The library's pages: the public list with its filters and its Swedish
full-text search, an entry's page, the PDF as a download, FREDA as a method
entry with its three parts, and the editors' pages (create, change, publish,
unpublish); bad input gets a Swedish error and changes nothing; the list's
queries do not grow with its entries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fordela.audit.actions import AuditAction
from fordela.audit.services import events_for
from fordela.library.forms import MaterialFilterForm, MaterialForm
from fordela.library.models import Material, MaterialKind, MaterialStatus, TargetGroup, Topic
from fordela.library.services import MAX_PARTS, Upload
from tests.access.conftest import pdf_bytes
from tests.forms import form_of
from tests.library.fixtures import entry
from tests.query_budget import query_budget

pytestmark = pytest.mark.django_db

FREDA_PARTS = [
    {
        "title": "FREDA-kortfrågor",
        "description": "Ett kort formulär för att fråga om våld.",
        "url": "https://www.socialstyrelsen.se/publikationer2014/2014-6-15",
    },
    {
        "title": "FREDA-beskrivning",
        "description": "En närmare beskrivning av våldets karaktär och omfattning.",
        "url": "https://www.socialstyrelsen.se/publikationer2014/2014-6-15",
    },
    {
        "title": "FREDA-farlighetsbedömning",
        "description": "En bild av risken för fortsatt och dödligt våld.",
        "url": "https://www.socialstyrelsen.se/publikationer2014/2014-6-15",
    },
]


@pytest.fixture
def shelf(library, clock_at):
    """The agency's handbook (a PDF), FREDA, NCK's web course, Barnafrid's
    material on children, and an NCK draft."""
    clock_at("2024-05-02")
    library.handbook = entry(
        library.handlaggare,
        library.agency,
        title="Våld – handbok om socialtjänstens arbete",
        summary="Handboken beskriver våldets karaktär och konsekvenser och vikten av att fråga.",
        kind=MaterialKind.HANDBOOK,
        url="",
        upload=Upload("Handbok våld.pdf", pdf_bytes()),
        target_groups=[TargetGroup.SOCIAL_SERVICES, TargetGroup.HEALTH_CARE],
        topics=[Topic.INTIMATE_PARTNER_VIOLENCE],
    )
    library.freda = entry(
        library.handlaggare,
        library.agency,
        title="FREDA – standardiserade bedömningsmetoder",
        summary="FREDA består av en manual och tre instrument för socialtjänstens arbete.",
        kind=MaterialKind.METHOD,
        url="https://www.socialstyrelsen.se/metodguiden/freda/",
        target_groups=[TargetGroup.SOCIAL_SERVICES],
        topics=[Topic.RISK_ASSESSMENT],
        parts=FREDA_PARTS,
    )
    library.course = entry(
        library.nck_editor,
        library.nck,
        publisher_unit="Nationellt centrum för kvinnofrid (NCK)",
        topics=[Topic.INTIMATE_PARTNER_VIOLENCE, Topic.SEXUAL_VIOLENCE],
        target_groups=[TargetGroup.NONPROFITS],
    )
    library.children = entry(
        library.barnafrid_editor,
        library.barnafrid,
        title="Kunskapsstöd om barn som utsatts för våld",
        summary="För dig som möter barn som upplevt våld mellan närstående.",
        kind=MaterialKind.TRAINING,
        url="https://barnafrid.se/",
        target_groups=[TargetGroup.STAFF_MEETING_CHILDREN],
        topics=[Topic.CHILDREN],
    )
    library.draft = entry(
        library.nck_editor, library.nck, title="Utkast om sexuellt våld", publish=False
    )
    return library


def listed(client, **query) -> list[str]:
    response = client.get(reverse("library:list"), query)
    assert response.status_code == 200
    return [material.title for material in response.context["page"]]


# ------------------------------------------------------------------ public list


def test_the_list_shows_the_published_entries_only(client, shelf):
    response = client.get(reverse("library:list"))
    html = response.content.decode()
    assert sorted(listed(client)) == sorted(
        m.title for m in (shelf.handbook, shelf.freda, shelf.course, shelf.children)
    )
    assert "Utkast om sexuellt våld" not in html
    assert "4 material" in html
    assert "Nationellt centrum för kvinnofrid (NCK)" in html
    # Nobody edits here: no link to the editors' pages.
    assert reverse("library:mine") not in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kind": MaterialKind.METHOD}, ["FREDA – standardiserade bedömningsmetoder"]),
        ({"target_group": TargetGroup.NONPROFITS}, ["Webbkurs om våld"]),
        ({"topic": Topic.CHILDREN}, ["Kunskapsstöd om barn som utsatts för våld"]),
        (
            {"topic": Topic.INTIMATE_PARTNER_VIOLENCE},
            ["Våld – handbok om socialtjänstens arbete", "Webbkurs om våld"],
        ),
    ],
)
def test_the_list_filters_by_kind_target_group_and_topic(client, shelf, query, expected):
    assert listed(client, **query) == expected


def test_the_list_filters_by_publisher_and_offers_only_publishers_with_entries(client, shelf):
    assert listed(client, publisher=shelf.agency.pk) == [
        "FREDA – standardiserade bedömningsmetoder",
        "Våld – handbok om socialtjänstens arbete",
    ]
    form = form_of(client.get(reverse("library:list")), MaterialFilterForm)
    offered = [label for value, label in form.fields["publisher"].choices if value]
    assert offered == [shelf.barnafrid.name, shelf.agency.name, shelf.nck.name]


def test_filters_combine(client, shelf):
    assert listed(client, publisher=shelf.agency.pk, topic=Topic.RISK_ASSESSMENT) == [
        "FREDA – standardiserade bedömningsmetoder"
    ]
    assert listed(client, publisher=shelf.nck.pk, kind=MaterialKind.METHOD) == []


def test_the_search_is_swedish_full_text(client, shelf):
    # Stemming: "handboken" finds "handbok"; "barnen" finds "barn".
    assert listed(client, q="handboken") == ["Våld – handbok om socialtjänstens arbete"]
    assert listed(client, q="barnen") == ["Kunskapsstöd om barn som utsatts för våld"]
    # The parts and the publisher's unit are searched too.
    assert listed(client, q="farlighetsbedömning") == ["FREDA – standardiserade bedömningsmetoder"]
    assert listed(client, q="kvinnofrid") == ["Webbkurs om våld"]
    # Web-search syntax: a word left out.
    assert "Kunskapsstöd om barn som utsatts för våld" not in listed(client, q="våld -barn")
    # A draft is never found.
    assert listed(client, q="sexuellt") == []


def test_the_search_ranks_the_title_first_and_combines_with_filters(client, shelf):
    assert listed(client, q="våld", publisher=shelf.agency.pk)[0] in (
        "Våld – handbok om socialtjänstens arbete",
        "FREDA – standardiserade bedömningsmetoder",
    )
    assert listed(client, q="FREDA", kind=MaterialKind.HANDBOOK) == []


def test_a_search_without_hits_says_so_in_swedish(client, shelf):
    html = client.get(reverse("library:list"), {"q": "blåbärssoppa"}).content.decode()
    assert "0 material hittades" in html
    assert "Inga material matchar sökningen" in html
    assert "Rensa sökningen" in html


@pytest.mark.parametrize(
    "query", [{"kind": "sagor"}, {"publisher": "abc"}, {"topic": "x" * 40}, {"q": "x" * 201}]
)
def test_a_bad_filter_gets_a_swedish_error_never_a_500(client, shelf, query):
    response = client.get(reverse("library:list"), query)
    assert response.status_code == 200
    form = form_of(response, MaterialFilterForm)
    assert form.errors
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    assert any(word in message for word in ("Välj", "som mest", "heltal")), message
    # The other filters still apply; the bad one is left out.
    assert len(response.context["page"].object_list) == 4


# ------------------------------------------------------------------ an entry


def test_an_entrys_page_shows_its_facts_and_link(client, shelf):
    response = client.get(reverse("library:detail", args=[shelf.course.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Webbkurs om våld" in html
    assert 'href="https://www.nck.uu.se/kunskapsbanken/"' in html
    assert "Gå till materialet hos Nationellt centrum för kvinnofrid (NCK)" in html
    assert "2 maj 2024" in html
    # Nobody edits it here.
    assert reverse("library:edit", args=[shelf.course.pk]) not in html


def test_freda_is_a_method_entry_with_its_three_parts_described_and_linked(client, shelf):
    html = client.get(reverse("library:detail", args=[shelf.freda.pk])).content.decode()
    assert "Metod" in html
    positions = [html.index(part["title"]) for part in FREDA_PARTS]
    assert positions == sorted(positions)
    for part in FREDA_PARTS:
        assert part["description"] in html
        assert f"{part['title']} hos utgivaren" in html
    assert html.count('href="https://www.socialstyrelsen.se/publikationer2014/2014-6-15"') == 3
    # Described and linked, never a form to fill in (decision 11).
    assert 'id="method-note"' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<form" not in main and "<input" not in main


def test_the_pdf_is_served_as_a_download(client, shelf):
    html = client.get(reverse("library:detail", args=[shelf.handbook.pk])).content.decode()
    assert reverse("library:file", args=[shelf.handbook.pk]) in html
    assert "Ladda ner materialet (PDF" in html
    response = client.get(reverse("library:file", args=[shelf.handbook.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Handbok vald.pdf"')
    assert "filename*=UTF-8''Handbok%20v%C3%A5ld.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_entry_with_a_link_has_no_file(client, shelf):
    assert client.get(reverse("library:file", args=[shelf.course.pk])).status_code == 404


def test_a_draft_is_not_there_for_the_public_or_another_partner(client, shelf):
    for user in (None, shelf.barnafrid_editor, shelf.kommun_ombud, shelf.beslutsfattare):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(reverse("library:detail", args=[shelf.draft.pk])).status_code == 404
    client.force_login(shelf.nck_editor)
    assert client.get(reverse("library:detail", args=[shelf.draft.pk])).status_code == 200


def test_an_unknown_entry_is_404(client, shelf):
    assert client.get(reverse("library:detail", args=[999999])).status_code == 404


# ------------------------------------------------------------------ editors


def form_data(material: Material | None = None, **changes) -> dict:
    """What the edit page posts: the entry's fields and the six part rows."""
    data = {
        "title": "Ny webbkurs om hedersrelaterat våld",
        "summary": "En kurs för yrkesverksamma som möter barn och unga.",
        "kind": MaterialKind.WEB_COURSE,
        "publisher": "",
        "publisher_unit": "",
        "url": "https://www.nck.uu.se/kunskapsbanken/heder/",
        "target_groups": [TargetGroup.SOCIAL_SERVICES],
        "topics": [Topic.HONOUR],
        "part-TOTAL_FORMS": str(MAX_PARTS),
        "part-INITIAL_FORMS": "0",
        "part-MIN_NUM_FORMS": "0",
        "part-MAX_NUM_FORMS": str(MAX_PARTS),
    }
    for number in range(MAX_PARTS):
        for field in ("title", "description", "url"):
            data[f"part-{number}-{field}"] = ""
    if material is not None:
        data.update(
            title=material.title,
            summary=material.summary,
            kind=material.kind,
            publisher=str(material.publisher_id),
            publisher_unit=material.publisher_unit,
            url=material.url,
            target_groups=[row.group for row in material.target_groups.all()],
            topics=[row.topic for row in material.topics.all()],
        )
        parts = list(material.parts.order_by("position"))
        data["part-INITIAL_FORMS"] = str(len(parts))
        for number, part in enumerate(parts):
            data[f"part-{number}-title"] = part.title
            data[f"part-{number}-description"] = part.description
            data[f"part-{number}-url"] = part.url
    data.update(changes)
    return data


def test_the_list_links_an_editor_to_their_entries(client, shelf):
    client.force_login(shelf.nck_editor)
    html = client.get(reverse("library:list")).content.decode()
    assert reverse("library:mine") in html
    html = client.get(reverse("library:mine")).content.decode()
    assert "Webbkurs om våld" in html and "Utkast om sexuellt våld" in html
    assert "FREDA" not in html  # the agency's, not NCK's
    assert "Kunskapsstöd om barn" not in html


def test_a_partner_editor_creates_edits_and_publishes_through_the_pages(client, shelf, clock_at):
    client.force_login(shelf.nck_editor)
    page = client.get(reverse("library:create"))
    form = form_of(page, MaterialForm)
    # Only NCK is offered to NCK's editor, and chosen already.
    assert list(form.fields["publisher"].queryset) == [shelf.nck]
    assert form.initial["publisher"] == shelf.nck

    clock_at("2024-06-10")
    data = form_data(
        publisher=str(shelf.nck.pk),
        **{
            "part-0-title": "Del 1: Vad är heder?",
            "part-0-description": "Grunderna.",
            "part-0-url": "https://www.nck.uu.se/heder/del-1/",
        },
    )
    response = client.post(reverse("library:create"), data)
    material = Material.objects.get(title="Ny webbkurs om hedersrelaterat våld")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:detail", args=[material.pk])
    assert material.status == MaterialStatus.DRAFT
    assert material.publisher == shelf.nck
    assert [part.title for part in material.parts.all()] == ["Del 1: Vad är heder?"]
    html = client.get(response["Location"]).content.decode()
    assert "Materialet sparades som utkast." in html
    assert "Publicera" in html
    assert "Ny webbkurs" not in " ".join(listed(client))

    response = client.post(
        reverse("library:edit", args=[material.pk]),
        form_data(material, title="Webbkurs om hedersrelaterat våld"),
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.title == "Webbkurs om hedersrelaterat våld"
    assert "Materialet sparades." in client.get(response["Location"]).content.decode()

    response = client.post(reverse("library:publish", args=[material.pk]))
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.status == MaterialStatus.PUBLISHED
    assert str(material.published_on) == "2024-06-10"
    assert "Materialet publicerades." in client.get(response["Location"]).content.decode()
    client.logout()
    assert "Webbkurs om hedersrelaterat våld" in listed(client, q="heder")

    client.force_login(shelf.nck_editor)
    client.post(reverse("library:unpublish", args=[material.pk]))
    material.refresh_from_db()
    assert material.status == MaterialStatus.DRAFT
    actions = list(events_for(material).order_by("pk").values_list("action", flat=True))
    assert actions == [
        AuditAction.MATERIAL_CREATED,
        AuditAction.MATERIAL_CHANGED,
        AuditAction.MATERIAL_PUBLISHED,
        AuditAction.MATERIAL_UNPUBLISHED,
    ]


def test_the_agency_editor_uploads_a_pdf_for_any_partner(client, shelf):
    client.force_login(shelf.handlaggare)
    form = form_of(client.get(reverse("library:create")), MaterialForm)
    assert set(form.fields["publisher"].queryset) == {shelf.agency, shelf.nck, shelf.barnafrid}
    data = form_data(publisher=str(shelf.barnafrid.pk), url="", title="Barn och våld (PDF)")
    data["file"] = SimpleUploadedFile("Barn och våld.pdf", pdf_bytes(), "application/pdf")
    response = client.post(reverse("library:create"), data)
    assert response.status_code == 302
    material = Material.objects.get(title="Barn och våld (PDF)")
    assert material.file_name == "Barn och våld.pdf" and material.url == ""


def test_publishing_twice_is_a_swedish_message_not_an_error_page(client, shelf):
    client.force_login(shelf.handlaggare)
    response = client.post(reverse("library:publish", args=[shelf.freda.pk]), follow=True)
    assert response.status_code == 200
    assert "kan inte publiceras" in response.content.decode()


def _refused(client, url, data, field: str, words: str, count_before: int):
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns fel" in html or "govuk-error-summary" in html
    form = form_of(response, MaterialForm)
    assert words in " ".join(form.errors[field]), form.errors
    assert Material.objects.count() == count_before


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"title": "T" * 201}, "title", "som mest 200 tecken"),
        ({"summary": "S" * 2001}, "summary", "som mest 2000 tecken"),
        ({"title": ""}, "title", "måste fyllas i"),
        ({"url": "http://www.nck.uu.se/"}, "url", "https://"),
        ({"url": ""}, "url", "PDF"),
        ({"kind": "sagor"}, "kind", "Välj"),
        ({"topics": ["astrologi"]}, "topics", "Välj"),
    ],
)
def test_bad_input_on_create_gets_a_swedish_error_and_saves_nothing(
    client, shelf, changes, field, words
):
    client.force_login(shelf.nck_editor)
    data = form_data(publisher=str(shelf.nck.pk), **changes)
    _refused(client, reverse("library:create"), data, field, words, Material.objects.count())


def test_a_file_that_is_not_a_pdf_is_refused_in_swedish(client, shelf):
    client.force_login(shelf.nck_editor)
    data = form_data(publisher=str(shelf.nck.pk), url="")
    data["file"] = SimpleUploadedFile(
        "handbok.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    _refused(
        client, reverse("library:create"), data, "file", "inte en PDF", Material.objects.count()
    )


def test_an_editor_cannot_publish_in_another_partners_name(client, shelf):
    client.force_login(shelf.nck_editor)
    data = form_data(publisher=str(shelf.barnafrid.pk))
    _refused(client, reverse("library:create"), data, "publisher", "Välj", Material.objects.count())


def test_bad_input_on_edit_changes_nothing(client, shelf):
    client.force_login(shelf.handlaggare)
    before = Material.objects.get(pk=shelf.freda.pk)
    data = form_data(before, title="T" * 201, **{"part-2-url": "javascript:alert(1)"})
    response = client.post(reverse("library:edit", args=[before.pk]), data)
    assert response.status_code == 400
    after = Material.objects.get(pk=before.pk)
    assert (after.title, after.updated_on) == (before.title, before.updated_on)
    assert [p.url for p in after.parts.all()] == [p["url"] for p in FREDA_PARTS]
    assert (
        list(events_for(after).values_list("action", flat=True)).count(AuditAction.MATERIAL_CHANGED)
        == 0
    )


def test_a_bad_part_link_is_shown_beside_its_part(client, shelf):
    client.force_login(shelf.handlaggare)
    data = form_data(shelf.freda, **{"part-1-url": "http://www.socialstyrelsen.se/"})
    response = client.post(reverse("library:edit", args=[shelf.freda.pk]), data)
    assert response.status_code == 400
    parts = response.context["parts"]
    assert "https://" in " ".join(parts.forms[1].errors["url"])
    assert shelf.freda.parts.get(position=2).url == FREDA_PARTS[1]["url"]


def test_another_partners_entry_is_403_and_unchanged(client, shelf):
    client.force_login(shelf.nck_editor)
    url = reverse("library:edit", args=[shelf.children.pk])
    assert client.get(url).status_code == 403
    data = form_data(shelf.children, title="Kapad")
    assert client.post(url, data).status_code == 403
    for name in ("publish", "unpublish"):
        assert client.post(reverse(f"library:{name}", args=[shelf.children.pk])).status_code == 403
    shelf.children.refresh_from_db()
    assert shelf.children.title == "Kunskapsstöd om barn som utsatts för våld"
    assert shelf.children.status == MaterialStatus.PUBLISHED


def test_staff_without_the_right_and_kommun_members_edit_nothing(client, shelf):
    for user in (shelf.beslutsfattare, shelf.kommun_ombud):
        client.force_login(user)
        assert client.get(reverse("library:mine")).status_code == 403
        assert client.get(reverse("library:create")).status_code == 403
        assert client.get(reverse("library:edit", args=[shelf.freda.pk])).status_code == 403
        assert reverse("library:mine") not in client.get(reverse("library:list")).content.decode()


def test_the_editors_pages_need_a_login(client, shelf):
    for url in (reverse("library:mine"), reverse("library:create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:login"))


# ------------------------------------------------------------------ queries


def test_the_list_queries_do_not_grow_with_its_entries(client, shelf):
    urls = [
        reverse("library:list"),
        reverse("library:list") + f"?q=v%C3%A5ld&topic={Topic.INTIMATE_PARTNER_VIOLENCE}",
    ]
    with query_budget(client, *urls):
        for number in range(12):
            entry(
                shelf.handlaggare,
                shelf.agency if number % 2 else shelf.nck,
                title=f"Våld, del {number}",
                topics=[Topic.INTIMATE_PARTNER_VIOLENCE, Topic.LAW],
                target_groups=[TargetGroup.SOCIAL_SERVICES, TargetGroup.MANAGERS],
            )
