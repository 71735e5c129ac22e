"""The organisation start page's open requisition pools and submitted requisitions."""

from django import template

from fordela.access.permissions import Action, can
from fordela.core.pagination import page_of

from ..models import Requisition
from ..services import open_pools_for

register = template.Library()


# The latest submitted requisitions on the organisation's page; older ones on
# the next pages (?sida=N), so the page does not grow with the years.
SUBMITTED_PER_PAGE = 10


@register.inclusion_tag("requisitions/includes/open_pools.html", takes_context=True)
def open_requisition_pools(context, organisation):
    request = context["request"]
    submitted = (
        Requisition.objects.filter(organisation=organisation)
        .exclude(status="draft")
        .select_related("pool__programme_year")
        .order_by("-submitted_at", "-id")
    )
    return {
        "organisation": organisation,
        "open_pools": open_pools_for(organisation),
        "may_start": can(request.user, Action.START_CASE, organisation),
        "page": page_of(request, submitted, per_page=SUBMITTED_PER_PAGE),
        "request": request,  # for the page links
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("requisitions/includes/staff_links.html", takes_context=True)
def requisition_staff_links(context):
    from fordela.access.permissions import StaffAction, staff_can, staff_roles

    roles = staff_roles(context["request"].user)
    return {
        "reads_cases": staff_can(roles, StaffAction.READ_REQUISITIONS),
        "is_ekonomi": staff_can(roles, StaffAction.MANAGE_PAYMENTS),
    }
