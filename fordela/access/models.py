"""Who may act for whom: staff roles, organisation memberships, invitations
and ombud applications (*ombudsansökan*). Login attempts are django-axes'
(see ``lockout.py``)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fordela.core import clock
from fordela.organisations.models import Organisation


class StaffRole(models.TextChoices):
    """The agency-side roles (domain.md §1.2.2)."""

    HANDLAGGARE = "handlaggare", _("Case officer (handläggare)")
    BESLUTSFATTARE = "beslutsfattare", _("Decision maker (beslutsfattare)")
    EKONOMI = "ekonomi", _("Payments (ekonomi)")
    CONSULTEE = "consultee", _("Consultee (Jämställdhetsmyndigheten)")


class StaffAssignment(models.Model):
    """One agency role held by one user. The only place agency roles live."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_staff_role_per_user_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class RegionalRole(models.TextChoices):
    """A region's own staff for the sub-grant rounds it runs (regional.*):
    they see only their own region's rounds and cases."""

    ADMINISTRATOR = "administrator", _("Regional administrator")
    DECISION_MAKER = "decision_maker", _("Regional decision maker")


class RegionalAssignment(models.Model):
    """One regional role held by one user in one region (the only place
    regional roles live). A region such as Västra Götalandsregionen gives its
    VKV staff these roles to run its own round (issue 20)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regional_roles"
    )
    region = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="regional_staff"
    )
    role = models.CharField(_("role"), max_length=20, choices=RegionalRole.choices)
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regional role")
        verbose_name_plural = _("regional roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"], name="one_regional_role_per_user_region_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=RegionalRole.values), name="regional_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.region})"


class OrganisationRole(models.TextChoices):
    """Roles inside an organisation in the e-service (domain.md §1.2)."""

    OMBUD = "ombud", _("Ombud")
    REPRESENTANT = "representant", _("Representative (representant)")
    UPPGIFTSSAMORDNARE = "uppgiftssamordnare", _("Data coordinator (uppgiftssamordnare)")


class Membership(models.Model):
    """A user's role in one organisation. At most one ombud per organisation
    (decisions.md 9), enforced by the database."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)
    created_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "role", "user__last_name", "user__first_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_user_organisation"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role="ombud"),
                name="one_ombud_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class UserProfile(models.Model):
    """Contact details a user edits under "Ändra Mina kontaktuppgifter".

    The personal identity number from the e-identification is never stored in
    clear text: only a keyed hash, to recognise the same person again.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    personal_id_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)

    def __str__(self) -> str:
        return str(self.user)


def default_invitation_expiry() -> datetime.datetime:
    return clock.now() + datetime.timedelta(days=settings.FORDELA_INVITATION_DAYS)


class Invitation(models.Model):
    """An e-mailed, single-use, expiring invitation to a role in an
    organisation (*inbjudan*). Only a SHA-256 hash of the token is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Withdrawn (återkallad) before anyone accepted it: the link no longer works.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=~Q(role="ombud"), name="invitation_never_for_ombud"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.organisation}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None and self.withdrawn_at is None and self.expires_at > clock.now()
        )


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    WRITTEN_OFF = "written_off", _("Written off")


# The ombud application's state machine: from → allowed targets.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.COMPLETION_REQUESTED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.WRITTEN_OFF,
        }
    ),
    ApplicationStatus.COMPLETION_REQUESTED: frozenset(
        {ApplicationStatus.RESUBMITTED, ApplicationStatus.WRITTEN_OFF}
    ),
    ApplicationStatus.RESUBMITTED: frozenset(
        {
            ApplicationStatus.COMPLETION_REQUESTED,
            ApplicationStatus.APPROVED,
            ApplicationStatus.WRITTEN_OFF,
        }
    ),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.WRITTEN_OFF: frozenset(),
}

# States in which the handläggare has something to do.
WAITING_FOR_AGENCY = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED)
# States in which the applicant may change the application and its attachments.
EDITABLE_BY_APPLICANT = (ApplicationStatus.DRAFT, ApplicationStatus.COMPLETION_REQUESTED)


class RoleBasis(models.TextChoices):
    FIRMATECKNARE = "firmatecknare", _("I am an authorised signatory (firmatecknare)")
    FULLMAKT = "fullmakt", _("I have a power of attorney (fullmakt)")


class OmbudApplication(models.Model):
    """An application to become the organisation's ombud (*ombudsansökan*)."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ombud_applications"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ombud_applications"
    )
    role_basis = models.CharField(_("role basis"), max_length=20, choices=RoleBasis.choices)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    created_at = clock.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    completion_message = models.TextField(_("completion requested"), blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("ombud application")
        verbose_name_plural = _("ombud applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="ombud_application_status"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="ombud_application_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.applicant}"

    @property
    def waiting_days(self) -> int | None:
        """Whole days since first submission (the queue time shown to both sides)."""
        if self.submitted_at is None:
            return None
        end = self.decided_at or clock.now()
        return (end - self.submitted_at).days

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status in EDITABLE_BY_APPLICANT

    @property
    def is_waiting_for_agency(self) -> bool:
        return self.status in WAITING_FOR_AGENCY


class AttachmentKind(models.TextChoices):
    """Proof of mandate, by organisation type (domain.md §2.2)."""

    DELEGATION = (
        "delegation",
        _(
            "Certified extract from the delegation order or a signed certificate "
            "(bestyrkt utdrag ur delegationsordning eller undertecknat intyg)"
        ),
    )
    STATUTES = "statutes", _("Current statutes (stadgar)")
    ANNUAL_MEETING = "annual_meeting", _("Minutes of the latest annual meeting (årsmötesprotokoll)")
    BOARD_MEETING = (
        "board_meeting",
        _("Minutes of the constituent board meeting (konstituerande styrelsemötesprotokoll)"),
    )
    FULLMAKT = "fullmakt", _("Power of attorney (fullmakt)")


def attachment_path(instance: "OmbudAttachment", filename: str) -> str:
    # Never the uploaded name: it is user input.
    return f"ombud/{instance.application_id}/{instance.kind}-{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class OmbudAttachment(models.Model):
    """A PDF attached to an ombud application. Stored under MEDIA_ROOT, which
    is not served; read only through the permission-checking view."""

    application = models.ForeignKey(
        OmbudApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("attachment type"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = clock.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
