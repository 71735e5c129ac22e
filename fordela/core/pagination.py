"""The one way a list page shows a page of its rows (Django's Paginator)."""

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def page_of(request, rows, per_page: int = PER_PAGE) -> Page:
    """The page of ``rows`` (an ordered queryset or list) that ``?sida=N``
    asks for; a number out of range or not a number gives the nearest page.
    The count is one ``COUNT`` query, so a page's queries do not grow with
    the rows it does not show."""
    return Paginator(rows, per_page).get_page(request.GET.get("sida"))
