"""Template helpers of the recovery decisions: the origin's label, and the
recovery part of a follow-up report's staff page."""

from django import template

from fordela.access.permissions import StaffAction, staff_can, staff_roles

from ..models import RecoveryDecision, RecoveryOrigin
from ..services.decisions import candidate_for

register = template.Library()


@register.filter
def origin_label(value: str) -> str:
    """``"approved_report"`` → "Approved report with unused money"."""
    try:
        return RecoveryOrigin(value).label
    except ValueError:
        return ""


@register.inclusion_tag("recovery/includes/report_recovery_part.html", takes_context=True)
def report_recovery(context, report) -> dict:
    """The report's recovery decision, or (for a report that is a
    candidate) what it suggests and, for the handläggare, the way to
    propose it. Nothing for a report that needs no decision."""
    user = context.get("user")
    roles = staff_roles(user) if user is not None else frozenset()
    decision = (
        RecoveryDecision.objects.filter(report=report)
        .select_related("proposed_by", "decided_by")
        .first()
    )
    return {
        "report": report,
        "decision": decision,
        "candidate": None if decision else candidate_for(report),
        "may_read": staff_can(roles, StaffAction.READ_RECOVERY),
        "may_propose": staff_can(roles, StaffAction.PROPOSE_RECOVERY),
    }
