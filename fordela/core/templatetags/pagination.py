from django import template
from django.utils.http import urlencode

register = template.Library()


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
    }
