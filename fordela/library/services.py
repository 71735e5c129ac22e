"""The material library's rules: who edits which entry, the public list and
its search, and every change to an entry (one function each, in one
transaction with its audit event).

Editors are the agency's staff with ``StaffAction.EDIT_MATERIALS`` (any
entry) and a partner's own staff: members of the publishing organisation
whose role may ``Action.CHANGE_DATA`` there (that organisation's entries
only)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from fordela.access.models import Membership
from fordela.access.pdf import validate_pdf
from fordela.access.permissions import (
    Action,
    StaffAction,
    can,
    can_staff,
    role_can,
)
from fordela.audit.actions import AuditAction
from fordela.audit.services import record, record_changes
from fordela.core import clock, states
from fordela.organisations.models import Organisation

from .models import (
    MATERIAL_TRANSITIONS,
    PUBLISHER_KINDS,
    SUMMARY_LENGTH,
    TITLE_LENGTH,
    URL_LENGTH,
    Material,
    MaterialKind,
    MaterialPart,
    MaterialStatus,
    MaterialTargetGroup,
    MaterialTopic,
    TargetGroup,
    Topic,
)

# The most parts an entry has (FREDA has three).
MAX_PARTS = 6


@dataclass
class MaterialValues:
    """What an editor gives for an entry (the form's cleaned data)."""

    title: str
    summary: str
    publisher: Organisation
    kind: str
    publisher_unit: str = ""
    url: str = ""
    target_groups: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    # Each part: {"title", "description", "url"}.
    parts: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# ------------------------------------------------------------------ who edits


def editable_publishers(user) -> QuerySet[Organisation]:
    """The organisations whose entries ``user`` may edit and in whose name
    they may create one: every partner for the agency's editors, else the
    partner organisations where their role may change data."""
    partners = Organisation.objects.filter(kind__in=PUBLISHER_KINDS)
    if can_staff(user, StaffAction.EDIT_MATERIALS):
        return partners
    if not getattr(user, "is_authenticated", False):
        return partners.none()
    memberships = Membership.objects.filter(user=user, organisation__kind__in=PUBLISHER_KINDS)
    own = [m.organisation_id for m in memberships if role_can(m.role, Action.CHANGE_DATA)]
    return partners.filter(pk__in=own)


def may_edit(user, material: Material) -> bool:
    return can_staff(user, StaffAction.EDIT_MATERIALS) or can(
        user, Action.CHANGE_DATA, material.publisher
    )


def require_edit(user, material: Material) -> None:
    if not may_edit(user, material):
        raise PermissionDenied("edit_material")


def may_edit_some(user) -> bool:
    """Does ``user`` edit any part of the library (the "my entries" page)?
    The agency's editors always do, even before any partner is registered."""
    if can_staff(user, StaffAction.EDIT_MATERIALS):
        return True
    return editable_publishers(user).exists()


def editable_materials(user) -> QuerySet[Material]:
    """The entries ``user`` may edit, drafts included."""
    rows = Material.objects.select_related("publisher").order_by("-updated_on", "title", "pk")
    if can_staff(user, StaffAction.EDIT_MATERIALS):
        return rows
    return rows.filter(publisher__in=editable_publishers(user))


# ------------------------------------------------------------------ reading


def published() -> QuerySet[Material]:
    return Material.objects.filter(status=MaterialStatus.PUBLISHED).select_related("publisher")


def latest_published(limit: int = 5) -> list[Material]:
    """The most recently published entries, newest first (the
    "Kompetensstöd" page lists them)."""
    return list(published().order_by("-published_on", "-pk")[:limit])


def _full_text() -> bool:
    """Whether the database does full-text search: PostgreSQL does (the
    stored ``search_vector``), SQLite (the demo) does not (icontains)."""
    return connection.vendor == "postgresql"


def _update_search_vector(material: Material) -> None:
    """Store ``material``'s search vector from its saved title (weight A)
    and search text (weight B), Swedish configuration; call it in the
    transaction that saved them. Nothing on SQLite."""
    if _full_text():
        Material.objects.filter(pk=material.pk).update(
            search_vector=SearchVector("title", weight="A", config="swedish")
            + SearchVector("search_text", weight="B", config="swedish")
        )


def search(rows: QuerySet[Material], text: str) -> QuerySet[Material]:
    """``rows`` that match the free text ``text``, best match first.

    PostgreSQL: full-text search with the Swedish configuration (stemming:
    "handboken" finds "handbok"; web-search syntax: "våld -barn", quoted
    phrases) on the stored search vector, ranked (title above the rest).
    SQLite (the demo): every word must occur in the title or the search
    text (icontains)."""
    text = text.strip()
    if not text:
        return rows
    if _full_text():
        query = SearchQuery(text, config="swedish", search_type="websearch")
        return (
            rows.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title", "pk")
        )
    for word in text.split():
        rows = rows.filter(Q(title__icontains=word) | Q(search_text__icontains=word))
    return rows


# ------------------------------------------------------------------ checking


def _https(name: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if len(value) > URL_LENGTH:
        raise ValidationError(
            {name: _("The link can be at most %(n)s characters long.") % {"n": URL_LENGTH}}
        )
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        raise ValidationError(
            {
                name: _(
                    "Enter a link that starts with https://, for example https://www.socialstyrelsen.se/."
                )
            }
        ) from None
    return value


def _text(name: str, value: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {
                name: _("Write at most %(n)s characters (you wrote %(count)s).")
                % {"n": limit, "count": len(value)}
            }
        )
    return value


def _checked(user, values: MaterialValues) -> MaterialValues:
    """``values`` with text trimmed, or a ValidationError naming the field."""
    if not editable_publishers(user).filter(pk=values.publisher.pk).exists():
        raise PermissionDenied("publish_for_organisation")
    if values.kind not in MaterialKind.values:
        raise ValidationError({"kind": _("Choose what kind of material it is.")})
    unknown = set(values.target_groups) - set(TargetGroup.values)
    if unknown:
        raise ValidationError({"target_groups": _("Choose target groups from the list.")})
    if set(values.topics) - set(Topic.values):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    if len(values.parts) > MAX_PARTS:
        raise ValidationError(_("An entry has at most %(n)s parts.") % {"n": MAX_PARTS})
    parts = []
    for number, part in enumerate(values.parts, start=1):
        prefix = f"part-{number}-"
        parts.append(
            {
                "title": _text(prefix + "title", part.get("title", ""), TITLE_LENGTH),
                "description": _text(
                    prefix + "description", part.get("description", ""), SUMMARY_LENGTH
                ),
                "url": _https(prefix + "url", part.get("url", "")),
            }
        )
    return MaterialValues(
        title=_text("title", values.title, TITLE_LENGTH),
        summary=_text("summary", values.summary, SUMMARY_LENGTH),
        publisher=values.publisher,
        kind=values.kind,
        publisher_unit=_text("publisher_unit", values.publisher_unit, 200, required=False),
        url=_https("url", values.url),
        target_groups=sorted(set(values.target_groups)),
        topics=sorted(set(values.topics)),
        parts=parts,
    )


def _source(values: MaterialValues, upload: Upload | None, *, has_file: bool) -> None:
    """A link or a PDF: exactly one."""
    if values.url and upload:
        raise ValidationError({"url": _("Give either a link or a PDF file, not both.")})
    if not values.url and not upload and not has_file:
        raise ValidationError({"url": _("Give a link to the material or upload it as a PDF file.")})
    if upload:
        try:
            validate_pdf(upload.data, max_bytes=settings.FORDELA_MAX_ATTACHMENT_BYTES)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None


# ------------------------------------------------------------------ changing


def _snapshot(material: Material) -> dict:
    return {
        "title": material.title,
        "summary": material.summary,
        "publisher": material.publisher.name,
        "publisher_unit": material.publisher_unit,
        "kind": material.kind,
        "url": material.url,
        "file": material.file_name,
        "target_groups": sorted(material.target_groups.values_list("group", flat=True)),
        "topics": sorted(material.topics.values_list("topic", flat=True)),
        "parts": [[p.title, p.description, p.url] for p in material.parts.order_by("position")],
    }


def _apply(material: Material, values: MaterialValues, upload: Upload | None) -> None:
    material.title = values.title
    material.summary = values.summary
    material.publisher = values.publisher
    material.publisher_unit = values.publisher_unit
    material.kind = values.kind
    if upload:
        material.url = ""
        material.file.save(
            f"{clock.today():%Y%m%d}-material.pdf", ContentFile(upload.data), save=False
        )
        material.file_name = upload.name[:200]
        material.file_size = len(upload.data)
    elif values.url:
        material.url = values.url
        material.file = ""
        material.file_name = ""
        material.file_size = 0


def _save_related(material: Material, values: MaterialValues) -> None:
    material.target_groups.all().delete()
    MaterialTargetGroup.objects.bulk_create(
        MaterialTargetGroup(material=material, group=group) for group in values.target_groups
    )
    material.topics.all().delete()
    MaterialTopic.objects.bulk_create(
        MaterialTopic(material=material, topic=topic) for topic in values.topics
    )
    material.parts.all().delete()
    MaterialPart.objects.bulk_create(
        MaterialPart(material=material, position=number, **part)
        for number, part in enumerate(values.parts, start=1)
    )
    # What the search reads besides the title (see Material.search_text).
    material.search_text = "\n".join(
        [
            material.summary,
            material.publisher.name,
            material.publisher_unit,
            material.get_kind_display(),
            *(f"{part['title']} {part['description']}" for part in values.parts),
        ]
    )
    material.save(update_fields=["search_text"])
    _update_search_vector(material)


def _lock(material: Material) -> Material:
    return Material.objects.select_for_update().select_related("publisher").get(pk=material.pk)


def create_material(user, values: MaterialValues, upload: Upload | None = None) -> Material:
    """A new entry, as a draft."""
    values = _checked(user, values)
    _source(values, upload, has_file=False)
    with transaction.atomic():
        material = Material(created_by=user, updated_on=clock.today())
        _apply(material, values, upload)
        material.save()
        _save_related(material, values)
        record(user, AuditAction.MATERIAL_CREATED, material, after=_snapshot(material))
    return material


def update_material(
    user, material: Material, values: MaterialValues, upload: Upload | None = None
) -> Material:
    """Change an entry (draft or published; a published one shows its new
    updated date). Another partner's entry is refused, and so is moving an
    entry to a publisher the editor does not edit for."""
    require_edit(user, material)
    values = _checked(user, values)
    with transaction.atomic():
        locked = _lock(material)
        _source(values, upload, has_file=bool(locked.file))
        before = _snapshot(locked)
        _apply(locked, values, upload)
        locked.save()
        _save_related(locked, values)
        after = _snapshot(locked)
        if record_changes(user, AuditAction.MATERIAL_CHANGED, locked, before, after):
            locked.updated_on = clock.today()
            locked.save(update_fields=["updated_on"])
    return locked


def publish(user, material: Material) -> Material:
    """Show a draft in the public list."""
    require_edit(user, material)
    with transaction.atomic():
        locked = _lock(material)
        states.move(
            locked,
            MaterialStatus.PUBLISHED,
            MATERIAL_TRANSITIONS,
            _("The entry cannot be published: it is %(status)s."),
        )
        today = clock.today()
        locked.published_on = locked.published_on or today
        locked.updated_on = today
        locked.save(update_fields=["status", "published_on", "updated_on", "updated_at"])
        record(user, AuditAction.MATERIAL_PUBLISHED, locked)
    return locked


def unpublish(user, material: Material) -> Material:
    """Take an entry out of the public list (back to draft)."""
    require_edit(user, material)
    with transaction.atomic():
        locked = _lock(material)
        states.move(
            locked,
            MaterialStatus.DRAFT,
            MATERIAL_TRANSITIONS,
            _("The entry cannot be unpublished: it is %(status)s."),
        )
        locked.updated_on = clock.today()
        locked.save(update_fields=["status", "updated_on", "updated_at"])
        record(user, AuditAction.MATERIAL_UNPUBLISHED, locked)
    return locked
