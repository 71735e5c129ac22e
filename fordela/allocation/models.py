from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fordela.core import clock
from fordela.organisations.models import CODE_LENGTH, Organisation
from fordela.programmes.models import Pool


class KeyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FROZEN = "frozen", _("Published")


# The only transition: a draft key is published (frozen) and then never changes.
KEY_TRANSITIONS: dict[str, set[str]] = {
    KeyStatus.DRAFT: {KeyStatus.FROZEN},
    KeyStatus.FROZEN: set(),
}


class AllocationKey(models.Model):
    """Allocation key (fördelningsnyckel): a requisition pool split over the
    eligible organisations by population on ``population_date``."""

    pool = models.OneToOneField(Pool, on_delete=models.PROTECT, related_name="allocation_key")
    population_date = models.DateField(_("population date"))
    total_population = models.PositiveBigIntegerField(_("total population"))
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    status = models.CharField(
        _("status"), max_length=10, choices=KeyStatus.choices, default=KeyStatus.DRAFT
    )
    computed_at = clock.DateTimeField(_("computed"), auto_now=True)
    frozen_at = models.DateTimeField(_("published"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("allocation key")
        verbose_name_plural = _("allocation keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", frozen_at__isnull=True)
                | Q(status="frozen", frozen_at__isnull=False),
                name="allocation_key_frozen_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Allocation key')} {self.pool}"

    @property
    def is_frozen(self) -> bool:
        return self.status == KeyStatus.FROZEN


class Allocation(models.Model):
    """One organisation's share of a key, in whole kronor."""

    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="allocations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="allocations"
    )
    # The organisation's code in this key: kommunkod in the kommun pool,
    # länskod in the region pool (Gotland has one of each).
    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    population = models.PositiveIntegerField(_("population"))
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))

    class Meta:
        ordering = ["key", "code"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["key", "organisation"], name="one_allocation_per_key"),
            models.UniqueConstraint(fields=["key", "code"], name="one_code_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount_sek} kr"
