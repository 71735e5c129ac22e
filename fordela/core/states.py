"""The one way a case changes state: through its app's transitions table."""

from collections.abc import Mapping, Set

from django.core.exceptions import ValidationError
from django.db import models


def move(
    case: models.Model, target: str, transitions: Mapping[str, Set[str]], refusal: str
) -> None:
    """Set ``case.status`` to ``target`` if ``transitions`` allows it from the
    current status; otherwise raise ``ValidationError(refusal)``, where
    ``refusal`` is a translated message with a ``%(status)s`` placeholder for
    the current status."""
    if target not in transitions[case.status]:
        raise ValidationError(refusal % {"status": case.get_status_display().lower()})
    case.status = target
