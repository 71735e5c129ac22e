"""The one pagination: a page of rows, links that keep the filters."""

from django.template import Context, Template
from django.test import RequestFactory

from fordela.core.pagination import page_of


def test_a_page_of_rows_and_its_links_keep_the_other_parameters():
    request = RequestFactory().get("/lista/", {"status": "open", "sida": "2"})
    page = page_of(request, list(range(120)), per_page=50)
    assert list(page.object_list) == list(range(50, 100))
    html = Template("{% load pagination %}{% pagination page %}").render(
        Context({"request": request, "page": page})
    )
    assert 'href="?sida=1&amp;status=open"' in html
    assert 'href="?sida=3&amp;status=open"' in html


def test_a_page_number_out_of_range_or_not_a_number_gives_the_nearest_page():
    assert page_of(RequestFactory().get("/", {"sida": "99"}), list(range(120)), 50).number == 3
    assert page_of(RequestFactory().get("/", {"sida": "x"}), list(range(120)), 50).number == 1


def test_one_page_shows_no_navigation():
    request = RequestFactory().get("/")
    page = page_of(request, list(range(10)))
    html = Template("{% load pagination %}{% pagination page %}").render(
        Context({"request": request, "page": page})
    )
    assert "<nav" not in html
