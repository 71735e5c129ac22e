"""Sortable table headers that work without JavaScript."""

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, field: str, label: str, numeric: bool = False):
    request = context["request"]
    current = context.get("sort", "")
    if current == field:
        state, next_sort = "ascending", f"-{field}"
    elif current == f"-{field}":
        state, next_sort = "descending", field
    else:
        state, next_sort = "none", field
    params = request.GET.copy()
    params["sort"] = next_sort
    return {
        "label": label,
        "state": state,
        "numeric": numeric,
        "href": "?" + urlencode(sorted(params.items())),
    }
