"""The organisation start page's list of open requisition pools."""

from django import template

from fordela.access.permissions import Action, can

from ..models import Requisition
from ..services import open_pools_for

register = template.Library()


@register.inclusion_tag("requisitions/includes/open_pools.html", takes_context=True)
def open_requisition_pools(context, organisation):
    user = context["request"].user
    return {
        "organisation": organisation,
        "open_pools": open_pools_for(organisation),
        "may_start": can(user, Action.START_CASE, organisation),
        "requisitions": Requisition.objects.filter(organisation=organisation)
        .exclude(status="draft")
        .select_related("pool__programme_year")
        .order_by("-submitted_at"),
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
