"""The material library in the browser (issue 21 §1): the public list with a
filter and the Swedish free-text search, an entry's page (FREDA described
part by part and linked), and an editor who creates an entry, finds it kept
out of the public list as a draft, publishes it and then finds it there;
every page axe-clean and without sideways scroll at 1280 and 390 px.
Screenshots go to /tmp/shots/library-*.png (looked at by hand)."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, format_violations
from tests.e2e.helpers import login

SHOTS = "/tmp/shots"

FREDA_URL = "https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/vald-och-brott/freda/"
FREDA_PARTS = [
    ("FREDA-kortfrågor", "Ett kort formulär för att fråga om våld."),
    ("FREDA-beskrivning", "En närmare beskrivning av våldets karaktär och omfattning."),
    ("FREDA-farlighetsbedömning", "En bild av risken för fortsatt och dödligt våld."),
]


@pytest.fixture
def site(live_server, settings, clock_at, tmp_path):
    clock_at("2024-05-02T10:00")
    settings.FORDELA_PASSWORD_LOGIN = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return live_server.url


@pytest.fixture
def library(db):
    from tests.library.fixtures import make_library

    return make_library()


@pytest.fixture
def shelf(site, library):
    """Four published entries: the agency's handbook and FREDA, NCK's web
    course and Barnafrid's material on children."""
    from fordela.library.models import MaterialKind, TargetGroup, Topic
    from tests.library.fixtures import entry

    entry(
        library.handlaggare,
        library.agency,
        title="Våld – handbok om socialtjänstens arbete",
        summary="Handboken beskriver våldets karaktär och konsekvenser och vikten av att fråga.",
        kind=MaterialKind.HANDBOOK,
        url="https://www.socialstyrelsen.se/publikationer/vald-handbok/",
        target_groups=[TargetGroup.SOCIAL_SERVICES, TargetGroup.HEALTH_CARE],
        topics=[Topic.INTIMATE_PARTNER_VIOLENCE],
    )
    freda = entry(
        library.handlaggare,
        library.agency,
        title="FREDA – standardiserade bedömningsmetoder",
        summary="FREDA består av en manual och tre instrument för socialtjänstens arbete.",
        kind=MaterialKind.METHOD,
        url=FREDA_URL,
        target_groups=[TargetGroup.SOCIAL_SERVICES],
        topics=[Topic.RISK_ASSESSMENT],
        parts=[
            {"title": title, "description": description, "url": FREDA_URL}
            for title, description in FREDA_PARTS
        ],
    )
    entry(
        library.nck_editor,
        library.nck,
        title="Webbkurs om våld",
        publisher_unit="Nationellt centrum för kvinnofrid (NCK)",
        topics=[Topic.INTIMATE_PARTNER_VIOLENCE, Topic.SEXUAL_VIOLENCE],
        target_groups=[TargetGroup.NONPROFITS],
    )
    entry(
        library.barnafrid_editor,
        library.barnafrid,
        title="Kunskapsstöd om barn som utsatts för våld",
        summary="För dig som möter barn som upplevt våld mellan närstående.",
        kind=MaterialKind.TRAINING,
        url="https://barnafrid.se/kunskapsstod/",
        target_groups=[TargetGroup.STAFF_MEETING_CHILDREN],
        topics=[Topic.CHILDREN],
    )
    return freda


def accessible(page, name: str) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations({page.url: violations})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/library-{name}.png", full_page=True)


def titles(page) -> list[str]:
    return page.locator("#materials h3").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_public_list_filters_searches_and_opens_an_entry(site, browser, shelf, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="sv-SE")
    page.goto(site + "/kompetensstod/material/")
    expect(page.locator("#results-heading")).to_have_text("4 material")
    assert sorted(titles(page)) == sorted(
        [
            "FREDA – standardiserade bedömningsmetoder",
            "Kunskapsstöd om barn som utsatts för våld",
            "Våld – handbok om socialtjänstens arbete",
            "Webbkurs om våld",
        ]
    )
    accessible(page, f"list-{width}")

    # A filter: the methods only.
    page.select_option("#id_kind", "method")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(re.compile(r".*kind=method"))
    expect(page.locator("#results-heading")).to_have_text("1 material hittades")
    assert titles(page) == ["FREDA – standardiserade bedömningsmetoder"]
    accessible(page, f"list-method-{width}")

    # The free-text search, Swedish stemming: "handboken" finds the handbook.
    page.get_by_role("link", name="Rensa sökningen").click()
    page.wait_for_url(site + "/kompetensstod/material/")
    expect(page.locator("#results-heading")).to_have_text("4 material")
    page.fill("#id_q", "handboken")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(re.compile(r".*q=handboken"))
    expect(page.locator("#results-heading")).to_have_text("1 material hittades")
    assert titles(page) == ["Våld – handbok om socialtjänstens arbete"]
    accessible(page, f"list-search-{width}")

    # Words no entry holds: a plain answer, not an error.
    page.fill("#id_q", "trafikskola")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(re.compile(r".*q=trafikskola"))
    expect(page.locator("#no-materials")).to_be_visible()
    assert titles(page) == []

    # An entry's page: FREDA described and linked part by part.
    page.goto(site + "/kompetensstod/material/?kind=method")
    page.get_by_role("link", name="FREDA – standardiserade bedömningsmetoder").click()
    page.wait_for_url(f"**/kompetensstod/material/{shelf.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "FREDA – standardiserade bedömningsmetoder"
    )
    for title, description in FREDA_PARTS:
        expect(page.get_by_role("heading", name=title, level=3)).to_be_visible()
        expect(page.get_by_text(description)).to_be_visible()
    expect(page.locator("#material-link")).to_have_attribute("href", FREDA_URL)
    expect(page.locator("#method-note")).to_be_visible()
    facts = page.locator("#material-facts")
    expect(facts).to_contain_text("Socialstyrelsen")
    expect(facts).to_contain_text("Riskbedömning")
    expect(facts).to_contain_text("2 maj 2024")
    expect(facts.locator("dt")).to_contain_text(["Slag", "Utgivare", "Målgrupper", "Publicerad"])
    # The public sees no editor's buttons.
    expect(page.get_by_role("button", name="Avpublicera")).to_have_count(0)
    accessible(page, f"entry-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_creates_and_publishes_an_entry(site, browser, library, width):
    from fordela.library.models import Material, MaterialStatus

    title = "Att fråga om våld i tandvården"
    public = browser.new_page(viewport={"width": width, "height": 900}, locale="sv-SE")
    page = login(browser, site, library.handlaggare.username, width)
    page.goto(site + "/kompetensstod/material/mina/")
    expect(page.locator("#my-materials")).to_contain_text("Inga material än.")
    accessible(page, f"mine-empty-{width}")
    page.get_by_role("link", name="Nytt material").click()
    page.wait_for_url("**/kompetensstod/material/ny/")
    accessible(page, f"create-{width}")

    # A link that is not https is refused beside its field, and nothing is saved.
    page.fill("#id_title", title)
    page.fill("#id_summary", "Stöd för tandvårdens personal att fråga patienter om våld.")
    page.get_by_label("Utbildningsmaterial").check()
    page.select_option("#id_publisher", label="Socialstyrelsen")
    page.fill("#id_url", "http://www.example.se/tandvard/")
    page.get_by_label("Hälso- och sjukvården inklusive tandvården").check()
    page.get_by_label("Våld i nära relationer").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_url_error")).to_contain_text("https://")
    assert not Material.objects.exists()
    accessible(page, f"create-error-{width}")

    page.fill("#id_url", "https://www.example.se/tandvard/")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url(re.compile(r".*/kompetensstod/material/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Materialet sparades som utkast.")).to_be_visible()
    expect(page.locator("#material-status")).to_have_text("Utkast")
    material = Material.objects.get()
    assert (material.status, material.publisher) == (MaterialStatus.DRAFT, library.agency)
    accessible(page, f"draft-{width}")

    # A draft is not there for the public: not in the list, its page 404.
    public.goto(site + "/kompetensstod/material/?q=tandvården")
    expect(public.locator("#no-materials")).to_be_visible()
    response = public.goto(f"{site}/kompetensstod/material/{material.pk}/")
    assert response.status == 404

    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_text("Materialet publicerades.")).to_be_visible()
    expect(page.locator("#material-status")).to_have_text("Publicerad")
    expect(page.get_by_role("button", name="Avpublicera")).to_be_visible()
    material.refresh_from_db()
    assert material.status == MaterialStatus.PUBLISHED
    assert material.published_on.isoformat() == "2024-05-02"
    accessible(page, f"published-{width}")

    # Now the public finds it by a word of its summary and opens it.
    public.goto(site + "/kompetensstod/material/?q=tandvården")
    expect(public.locator("#results-heading")).to_have_text("1 material hittades")
    public.get_by_role("link", name=title).click()
    public.wait_for_url(f"**/kompetensstod/material/{material.pk}/")
    expect(public.locator("#material-link")).to_have_attribute(
        "href", "https://www.example.se/tandvard/"
    )
    page.goto(site + "/kompetensstod/material/mina/")
    expect(page.locator("#my-materials")).to_contain_text(title)
    expect(page.locator("#my-materials")).to_contain_text("Publicerad")
    accessible(page, f"mine-{width}")
