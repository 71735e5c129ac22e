from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fordela.core import clock

from .actions import AuditAction


class AuditEvent(models.Model):
    """One state change: who did what to which object, with the values before
    and after. Rows are only ever inserted (see ``fordela.audit.record``)."""

    created_at = clock.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept as text too, so the trail stays readable if the account is renamed,
    # and so system actions (commands, tasks) have a name.
    actor_label = models.CharField(_("actor name"), max_length=200)
    action = models.CharField(_("action"), max_length=100, choices=AuditAction)  # indexed below
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # A plain index on action, not db_index=True: that would add a second
        # one for LIKE, which no query makes, and every submission writes both.
        # The object's id first: a case page finds its events by type and id,
        # the admin's search by the id alone. On PostgreSQL, migration 0006
        # adds two more for the admin's search on the beginning of
        # UPPER(object_label) and UPPER(actor_label) (text_pattern_ops, which
        # SQLite cannot declare).
        indexes = [
            models.Index(fields=["object_id", "object_type"], name="audit_event_object"),
            models.Index(fields=["action"], name="audit_event_action"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.action} {self.object_label}"
