"""The one pagination: a page of rows, links that keep the filters."""

import re

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

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


def render(request, page) -> str:
    with translation.override("sv"):
        return Template("{% load pagination %}{% pagination page %}").render(
            Context({"request": request, "page": page})
        )


def test_the_links_are_the_design_systems_pagination_with_the_current_page_marked():
    request = RequestFactory().get("/lista/", {"sida": "5"})
    page = page_of(request, list(range(500)), per_page=50)
    html = render(request, page)
    assert '<nav class="govuk-pagination pagination" aria-label="Sidor">' in html
    assert 'href="?sida=4" rel="prev"' in html and 'href="?sida=6" rel="next"' in html
    assert 'aria-label="Sida 5" aria-current="page">5</a>' in html
    # The first and the last page, the current one and its neighbours; gaps as an ellipsis.
    numbers = [int(n) for n in re.findall(r'aria-label="Sida (\d+)"', html)]
    assert numbers == [1, 4, 5, 6, 10]
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert "Sida 5 av 10 (rad 201–250 av 500)" in html


def test_the_first_page_has_no_previous_link():
    request = RequestFactory().get("/")
    html = render(request, page_of(request, list(range(120)), per_page=50))
    assert 'rel="prev"' not in html and 'rel="next"' in html
    assert "govuk-pagination__item--ellipses" not in html
