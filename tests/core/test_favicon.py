"""Every page names the favicon: the letter F on the brand colour."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_every_page_links_the_favicon(client, db):
    html = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html


def test_the_favicon_is_an_svg_on_the_brand_colour():
    svg = Path(finders.find("favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "#153f66" in svg
