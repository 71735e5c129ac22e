"""The events a stimulus-fund grant paid for, on its follow-up report's
staff page (``{% report_events report %}``)."""

from django import template

from ..services.organiser import events_for_decision

register = template.Library()


@register.inclusion_tag("events/includes/report_events.html")
def report_events(report) -> dict:
    """Nothing for a report on a requisition, or a grant without events."""
    if not report.decision_id:
        return {"rows": []}
    return {"rows": events_for_decision(report.decision)}
