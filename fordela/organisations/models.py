from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fordela.core import clock

# The longest code an organisation has in an allocation key (kommunkod 4
# digits, länskod 2 today).
CODE_LENGTH = 12


class OrganisationKind(models.TextChoices):
    KOMMUN = "kommun", _("Municipality (kommun)")
    REGION = "region", _("Region")
    LANSSTYRELSE = "lansstyrelse", _("County administrative board (länsstyrelse)")
    UNIVERSITY = "university", _("University")
    AGENCY = "agency", _("Government agency")
    NONPROFIT = "nonprofit", _("Non-profit association (ideell förening)")
    FOUNDATION = "foundation", _("Foundation (stiftelse)")


class Organisation(models.Model):
    """An organisation that receives grants or takes part in the programme.

    Gotland is one organisation (one organisation number, one ombud) that is
    both the kommun 0980 and the region for län 09 (decisions.md 5): it has
    both ``municipality_code`` and ``region_county_code`` set.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    # Ten digits without hyphen; shown as NNNNNN-NNNN. Empty when no verified
    # number is known (20 regions in the reference data, see data/README.md).
    organisation_number = models.CharField(
        _("organisation number"), max_length=10, blank=True, default=""
    )
    # The organisation's code in a kommun key: the SCB kommunkod (4 digits,
    # which the reference data loader checks) for kommuner. The column holds
    # up to CODE_LENGTH, like Allocation.code, so that a key can be split over
    # any register (a key for 100 000 organisations is tested).
    municipality_code = models.CharField(
        _("municipality code"), max_length=CODE_LENGTH, null=True, blank=True, unique=True
    )
    # Its code in a region key: the SCB länskod (2 digits) of the län this
    # organisation is the region for; the column as long as the one above.
    region_county_code = models.CharField(
        _("region for county code"), max_length=CODE_LENGTH, null=True, blank=True, unique=True
    )
    # The län the organisation lies in (for kommuner, regioner, länsstyrelser).
    county_code = models.CharField(_("county code"), max_length=2, blank=True, default="")
    county_name = models.CharField(_("county"), max_length=100, blank=True, default="")
    # A stable key for organisations without a kommun/län code (agencies,
    # universities, länsstyrelser), used by the idempotent loader.
    reference_key = models.SlugField(_("reference key"), max_length=60, unique=True)
    bank_giro = models.CharField(_("bank giro"), max_length=8, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(organisation_number=""),
                name="organisation_number_unique_when_set",
            ),
            models.CheckConstraint(
                condition=Q(organisation_number="") | Q(organisation_number__regex=r"^[0-9]{10}$"),
                name="organisation_number_ten_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def formatted_organisation_number(self) -> str:
        number = self.organisation_number
        return f"{number[:6]}-{number[6:]}" if number else ""


class Population(models.Model):
    """Registered population (folkmängd) of an organisation's area on a date,
    from SCB (31 December each year)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="populations"
    )
    reference_date = models.DateField(_("reference date"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["organisation", "reference_date"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference_date"], name="one_population_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.reference_date}: {self.population}"
