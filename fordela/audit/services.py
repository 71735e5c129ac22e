"""The one helper every state-changing service calls to leave an audit event."""

from typing import Any

from django.db import models

from .actions import AuditAction
from .models import AuditEvent

SYSTEM_ACTOR = "system"


def record(
    actor: Any,
    action: AuditAction,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Write an audit event for ``action`` on ``obj``.

    ``actor`` is a user, ``None``/an anonymous user for system work (management
    commands, background tasks), or a string naming the system process. Call it
    inside the same transaction as the change, so both are kept or neither.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None:
        label = user.get_full_name() or user.get_username()
    elif isinstance(actor, str):
        label = actor
    else:
        label = SYSTEM_ACTOR
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label[:200],
        action=AuditAction(action),  # refuses an action the enum does not name
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        before=before,
        after=after,
    )


def events_for(obj: models.Model):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def record_changes(
    actor: Any, action: AuditAction, obj: models.Model, before: dict, after: dict
) -> bool:
    """Write an audit event holding only the keys whose values differ between
    ``before`` and ``after``. Returns False (and writes nothing) when nothing
    changed, so callers can skip their save as well."""
    changed = [key for key in after if after[key] != before.get(key)]
    if not changed:
        return False
    record(
        actor,
        action,
        obj,
        before={key: before.get(key) for key in changed},
        after={key: after[key] for key in changed},
    )
    return True
