"""What the national reports are built from besides the ledger: the
administrative costs (*administrativa kostnader*) that the final report's
economic statement must include (S2020/01591)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fordela.core import clock
from fordela.programmes.models import AppropriationLine, Pool, Programme


class CostEntry(models.Model):
    """One administrative cost booked on a cost pool: the agency's own costs,
    or an amount paid over to another agency (a transfer pool). Entries are
    only added, never changed; a correction is a new entry's business, not an
    edit (none is needed yet)."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="cost_entries")
    appropriation_line = models.ForeignKey(
        AppropriationLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_entries",
        verbose_name=_("appropriation line"),
    )
    booked_on = models.DateField(_("date"))
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    description = models.CharField(_("description"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pool", "booked_on", "pk"]
        verbose_name = _("administrative cost")
        verbose_name_plural = _("administrative costs")
        constraints = [
            models.CheckConstraint(condition=Q(amount_sek__gte=1), name="cost_entry_is_positive"),
            models.CheckConstraint(condition=~Q(description=""), name="cost_entry_described"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.pool}: {self.amount_sek} kr"


class NarrativeVersion(models.Model):
    """One version of the free text the agency writes for its report to the
    government on a programme (the *sammanfattande beskrivning*). Versions
    are only added: the newest is the text, the older ones its history."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="narrative_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-number"]
        verbose_name = _("report text version")
        verbose_name_plural = _("report text versions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="one_narrative_version_number"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="narrative_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.reference_number} v{self.number}"
