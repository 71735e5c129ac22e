from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """A government assignment (regeringsuppdrag) that the agency carries out
    over several years, e.g. S2020/01591 for the development funds against
    domestic violence."""

    reference_number = models.CharField(_("reference number (dnr)"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    decision_date = models.DateField(_("government decision date"))
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    final_report_due = models.DateField(_("final report due"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        ordering = ["-first_year", "reference_number"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="programme_years_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference_number} {self.title}"


class ProgrammeYear(models.Model):
    """One year of a programme with the total the government decision states
    for it (when it states one)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    # As stated in the decision; null when the source gives no total.
    total_sek = models.PositiveBigIntegerField(_("total (kr)"), null=True, blank=True)
    total_source = models.CharField(_("source of the total"), max_length=300, blank=True)
    # Set when the year's accounts are closed: no more administrative costs
    # are recorded on it (fordela.reporting.costs).
    costs_closed = models.BooleanField(_("closed for new costs"), default=False)

    class Meta:
        ordering = ["programme", "year"]
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_programme_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme.reference_number} {self.year}"

    def pools_sum_sek(self) -> int:
        return self.pools.aggregate(total=Sum("amount_sek"))["total"] or 0

    def appropriations_sum_sek(self) -> int:
        return self.appropriation_lines.aggregate(total=Sum("amount_sek"))["total"] or 0


class AppropriationLine(models.Model):
    """Where the money comes from in the state budget: utgiftsområde, anslag
    and anslagspost, with the amount the decision draws from it."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.CASCADE, related_name="appropriation_lines"
    )
    expenditure_area = models.PositiveSmallIntegerField(_("expenditure area (UO)"))
    appropriation = models.CharField(_("appropriation (anslag)"), max_length=10)
    appropriation_item = models.PositiveSmallIntegerField(_("appropriation item (ap.)"))
    name = models.CharField(_("name"), max_length=300)
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))

    class Meta:
        ordering = ["programme_year", "expenditure_area", "appropriation", "appropriation_item"]
        verbose_name = _("appropriation line")
        verbose_name_plural = _("appropriation lines")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "programme_year",
                    "expenditure_area",
                    "appropriation",
                    "appropriation_item",
                ],
                name="one_appropriation_line_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"UO {self.expenditure_area} {self.appropriation} ap.{self.appropriation_item}"


class PoolKind(models.TextChoices):
    REQUISITION = "requisition", _("Requisition (rekvisition)")
    APPLICATION = "application", _("Application (ansökan)")
    AGENCY_COST = "agency_cost", _("Agency costs")
    # Money the decision gives another agency or a university (e.g. NCK), paid
    # over by the agency: no requisition, no application.
    TRANSFER = "transfer", _("Transfer to another agency")


class Eligibility(models.TextChoices):
    """Which organisations a pool is for."""

    MUNICIPALITIES = "municipalities", _("Municipalities (kommuner)")
    REGIONS = "regions", _("Regions (regioner)")
    NONPROFITS = "nonprofits", _("Non-profit associations and foundations")
    STIMULUS_RECIPIENTS = "stimulus", _("County administrative boards, NCK and Barnafrid")
    AGENCY = "agency", _("The agency itself")
    NAMED_AGENCY = "named_agency", _("The agency the decision names")


class Pool(models.Model):
    """A sum of money within a programme year with one purpose and one way of
    handing it out, e.g. 75 000 000 kr to kommuner after requisition."""

    programme_year = models.ForeignKey(
        ProgrammeYear, on_delete=models.CASCADE, related_name="pools"
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PoolKind.choices)
    eligibility = models.CharField(_("for"), max_length=20, choices=Eligibility.choices)
    amount_sek = models.PositiveBigIntegerField(_("amount (kr)"))
    # A top-up (påfyllnad) has its own amount, key and deadline (decisions.md 2).
    top_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="top_ups",
        verbose_name=_("top-up of"),
    )
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("last day"), null=True, blank=True)
    use_until = models.DateField(_("funds may be used until"), null=True, blank=True)
    report_due = models.DateField(_("follow-up report due"), null=True, blank=True)
    allows_redistribution = models.BooleanField(
        _("unrequisitioned funds are redistributed"), default=False
    )
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    # The one appropriation line that funds the pool, where the source says
    # so; empty when it names none or funds the pool from several lines
    # together without a split (docs/recovery.md, Ledger). The ledger reports
    # recovery per line through it.
    appropriation_line = models.ForeignKey(
        AppropriationLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pools",
        verbose_name=_("appropriation line"),
    )

    class Meta:
        ordering = ["programme_year", "top_up_of_id", "-amount_sek", "slug"]
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "slug"], name="one_pool_slug_per_year"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="pool_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.programme_year.year}"

    @property
    def is_requisition_pool(self) -> bool:
        return self.kind == PoolKind.REQUISITION
