"""The material library (*materialbiblioteket*): the competence support
(*kompetensstöd*) the agency and its partners publish, each entry a link to
the publisher's own page or an uploaded PDF.

An entry's publisher is an ``Organisation`` of a partner kind (the agency,
a university for NCK and Barnafrid, a länsstyrelse); ``publisher_unit``
names the unit within it ("Nationellt centrum för kvinnofrid (NCK)").
Methods such as FREDA are entries of the kind ``method`` whose parts are
described and linked (``MaterialPart``), never reproduced as forms
(decisions.md 11)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fordela.core import clock
from fordela.organisations.models import Organisation, OrganisationKind

# Who may publish in the library: the agency and other agencies, the
# universities (NCK, Barnafrid) and the länsstyrelser (the national
# competence team sits at Länsstyrelsen Östergötland).
PUBLISHER_KINDS = frozenset(
    {OrganisationKind.AGENCY, OrganisationKind.UNIVERSITY, OrganisationKind.LANSSTYRELSE}
)


class MaterialKind(models.TextChoices):
    REGULATION = "regulation", _("Regulations and general advice")  # föreskrift
    HANDBOOK = "handbook", _("Handbook")  # handbok
    TRAINING = "training", _("Training material")  # utbildningsmaterial
    METHOD = "method", _("Method")  # metod
    WEB_COURSE = "web_course", _("Web course")  # webbutbildning


class TargetGroup(models.TextChoices):
    """Who the material is written for (*målgrupp*)."""

    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH_CARE = "health_care", _("Health care and dental care")
    MANAGERS = "managers", _("Managers and decision makers")
    NONPROFITS = "nonprofits", _("Non-profit organisations")
    STAFF_MEETING_CHILDREN = "children_staff", _("Staff who meet children")


class Topic(models.TextChoices):
    """What the material is about (*ämne*)."""

    INTIMATE_PARTNER_VIOLENCE = "intimate_partner_violence", _("Violence in close relationships")
    CHILDREN = "children", _("Children who experience violence")
    HONOUR = "honour", _("Honour-related violence and oppression")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    PROSTITUTION = "prostitution", _("Prostitution and human trafficking")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    PARTICULAR_GROUPS = "particular_groups", _("Particular groups")
    LAW = "law", _("Legislation and regulations")


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # "Published" alone is "Fastställd" (an allocation key, a question set).
    PUBLISHED = "published", pgettext_lazy("material status", "Published")


# Unpublishing takes an entry back to draft: it leaves the public list and
# can be changed and published again.
MATERIAL_TRANSITIONS: dict[str, frozenset[str]] = {
    MaterialStatus.DRAFT: frozenset({MaterialStatus.PUBLISHED}),
    MaterialStatus.PUBLISHED: frozenset({MaterialStatus.DRAFT}),
}


class SearchVectorColumn(SearchVectorField):
    """A ``tsvector`` column (text on SQLite, which accepts any type name).
    Still needed: ``SearchVectorField`` fails its system check unless
    ``django.contrib.postgres`` is installed, and only that app's search
    expressions and ``GinIndex`` are used (the app would add nothing else
    and the SQLite demo has no use for it), so the check is skipped."""

    def _check_postgres_installed(self, *args):
        return []


TITLE_LENGTH = 200
SUMMARY_LENGTH = 2000
URL_LENGTH = 500


class Material(models.Model):
    """One entry in the library (*kunskapsstöd*)."""

    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    summary = models.CharField(_("summary"), max_length=SUMMARY_LENGTH)
    publisher = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("publisher"),
    )
    publisher_unit = models.CharField(_("unit"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    # Either a link to the publisher's page (https only) or an uploaded PDF.
    url = models.URLField(_("link"), max_length=URL_LENGTH, blank=True, default="")
    file = models.FileField(upload_to="library/%Y/", max_length=300, blank=True, default="")
    file_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=MaterialStatus.choices, default=MaterialStatus.DRAFT
    )
    # The day the entry was first published in the library, and the day it
    # last changed (content or publication).
    published_on = models.DateField(_("published"), null=True, blank=True)
    updated_on = models.DateField(_("updated"))
    # What the free-text search reads besides the title: the summary, the
    # publisher and unit, the parts (written by the services). On PostgreSQL
    # the same services store ``search_vector`` from the title and it
    # (services._update_search_vector; GIN index in migration 0001); SQLite
    # (the demo) searches it with icontains.
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorColumn(editable=False, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    updated_at = clock.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        indexes = [models.Index(fields=["status", "-published_on"], name="material_public_list")]
        constraints = [
            # A link or a file, never both, never neither.
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="material_link_or_file",
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="https://"),
                name="material_link_https",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="material_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MaterialStatus.values), name="material_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == MaterialStatus.PUBLISHED

    @property
    def publisher_name(self) -> str:
        """The unit when there is one ("Nationellt centrum för kvinnofrid
        (NCK)"), else the organisation."""
        return self.publisher_unit or self.publisher.name


class MaterialPart(models.Model):
    """A part of an entry, described and linked: FREDA's three instruments
    (kortfrågor, beskrivning, farlighetsbedömning) are the parts of its
    method entry."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    description = models.CharField(_("description"), max_length=SUMMARY_LENGTH)
    url = models.URLField(_("link"), max_length=URL_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["material", "position"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.UniqueConstraint(fields=["material", "position"], name="one_part_per_position"),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="https://"), name="part_link_https"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MaterialTargetGroup(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)

    class Meta:
        ordering = ["material", "group"]
        constraints = [
            models.UniqueConstraint(fields=["material", "group"], name="one_row_per_target_group")
        ]

    def __str__(self) -> str:
        return self.get_group_display()


class MaterialTopic(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        ordering = ["material", "topic"]
        constraints = [
            models.UniqueConstraint(fields=["material", "topic"], name="one_row_per_topic")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()
