"""A confirmation page before an irreversible action (docs/design-system.md).

A view whose POST cannot be undone (submit, approve, decide, reject, pay) asks
`confirmation(...)` first: it returns None once the user has confirmed, and
otherwise the page that says what will happen and posts the same form again
with `confirmed=1`. It works without JavaScript. Not for forms with files: a
file cannot be posted again from the page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "1"


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    facts: list[tuple[str, str]] | None = None,
    template: str = "core/confirm.html",
) -> HttpResponse | None:
    """None when this POST is confirmed; otherwise the confirmation page
    (``template``: one that extends core/confirm.html, e.g. to add the step
    indicator of a task with steps)."""
    if is_confirmed(request):
        return None
    repost = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    return render(
        request,
        template,
        {
            "title": title,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "facts": facts or [],
            "repost": repost,
            "action": request.get_full_path(),
        },
    )
