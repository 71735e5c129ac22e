"""Template helpers for the design system's patterns (docs/design-system.md)."""

from django import template

from fordela.core import forms

register = template.Library()


@register.filter
def form_problems(value) -> list[dict]:
    """The error summary's list for a form or a list of forms."""
    return forms.form_problems(value)


# A status's colour as a design-system tag; the tag's text is always the
# status's own label, so the colour never carries meaning alone.
TAG_COLOURS = {
    "draft": "grey",
    "created": "grey",
    "queued": "grey",
    "open": "blue",
    "submitted": "blue",
    "resubmitted": "blue",
    "running": "blue",
    "batched": "light-blue",
    "proposed": "purple",
    "completion_requested": "orange",
    "returned": "orange",
    "approved": "green",
    "decided": "green",
    "frozen": "green",
    "published": "green",
    "paid": "green",
    "done": "green",
    "rejected": "red",
    "failed": "red",
    "cancelled": "grey",
    "withdrawn": "grey",
    "written_off": "grey",
    # Recovery: invoices and incoming payments.
    "issued": "blue",
    "partly_paid": "yellow",
    "credited": "grey",
    "matched": "green",
    "to_resolve": "orange",
    "resolved": "grey",
}


@register.inclusion_tag("includes/status_tag.html")
def status_tag(status: str, label: str, id: str = "") -> dict:
    """`{% status_tag obj.status obj.get_status_display %}`: a coloured tag."""
    return {"colour": TAG_COLOURS.get(status, "grey"), "label": label, "id": id}


@register.inclusion_tag("includes/steps.html")
def steps(current: int, *labels: str) -> dict:
    """`{% steps 2 first second third %}`: where the user is in a task with steps
    (1-based); the steps before it are done."""
    return {
        "steps": [
            {
                "label": label,
                "number": number,
                "done": number < current,
                "current": number == current,
            }
            for number, label in enumerate(labels, start=1)
        ],
        "current": current,
        "total": len(labels),
    }
