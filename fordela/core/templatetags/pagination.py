from django import template
from django.utils.http import urlencode

register = template.Library()

# Page numbers shown on each side of the current page; the first and the last
# are always shown, the gaps between as an ellipsis (the design system's
# pagination).
AROUND = 1


def page_numbers(current: int, last: int) -> list[int | None]:
    """The page numbers to link, None where numbers are left out."""
    shown = sorted({1, last, *range(max(1, current - AROUND), min(last, current + AROUND) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page):
    """Links to the pages around ``page``, keeping the request's other
    parameters (filters, sort)."""
    params = context["request"].GET.copy()

    def href(number: int) -> str:
        params["sida"] = number
        return "?" + urlencode(sorted(params.items()))

    return {
        "page": page,
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
        "items": [
            {"number": n, "href": href(n), "current": n == page.number} if n else None
            for n in page_numbers(page.number, page.paginator.num_pages)
        ],
    }
