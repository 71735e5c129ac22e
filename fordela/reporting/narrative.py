"""The free text of the national report (issue 19 §2), versioned: each save
adds a ``NarrativeVersion``; the newest is the report's text."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.programmes.models import Programme

from .models import NarrativeVersion

TEXT_LIMIT = 20_000


def current(programme: Programme) -> NarrativeVersion | None:
    return programme.narrative_versions.select_related("created_by").first()


def save_narrative(user, programme: Programme, text: str) -> NarrativeVersion:
    """Save ``text`` as the next version (WRITE_NARRATIVE: handläggare,
    beslutsfattare). Refused: empty, too long, or the same as the newest."""
    require_staff(user, StaffAction.WRITE_NARRATIVE)
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise ValidationError({"text": [_("Write the report's text.")]})
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {"text": [_("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT}]}
        )
    with transaction.atomic():
        # The programme's row is the lock: two saves get numbers one after the other.
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        newest = locked.narrative_versions.first()
        if newest and newest.text == text:
            raise ValidationError({"text": [_("The text is the same as the latest version.")]})
        version = NarrativeVersion.objects.create(
            programme=locked,
            number=(newest.number if newest else 0) + 1,
            text=text,
            created_by=user,
        )
        record(
            user,
            AuditAction.NARRATIVE_SAVED,
            version,
            after={"programme": locked.reference_number, "number": version.number},
        )
    return version
