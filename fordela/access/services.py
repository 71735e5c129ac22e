"""State changes in access. Each function: permission check, validation,
change inside ``transaction.atomic()``, audit event, e-mail on commit."""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.organisations.models import Organisation, OrganisationKind

from .models import (
    APPLICATION_TRANSITIONS,
    ApplicationStatus,
    AttachmentKind,
    Invitation,
    Membership,
    OmbudApplication,
    OmbudAttachment,
    OrganisationRole,
    RoleBasis,
    StaffAssignment,
    StaffRole,
    UserProfile,
)
from .pdf import validate_pdf
from .permissions import (
    INVITE_ACTION,
    REMOVE_ACTION,
    Action,
    StaffAction,
    require,
    require_staff,
)
from .tasks import enqueue_email_on_commit

PUBLIC_BODY_KINDS = {
    OrganisationKind.KOMMUN,
    OrganisationKind.REGION,
    OrganisationKind.LANSSTYRELSE,
    OrganisationKind.AGENCY,
    OrganisationKind.UNIVERSITY,
}


# ---------------------------------------------------------------- helpers


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_personal_number(personal_number: str) -> str:
    """A keyed hash: recognises the same person, cannot be reversed or
    looked up without the key."""
    key = (settings.FORDELA_PERSONAL_ID_PEPPER or settings.SECRET_KEY).encode()
    digits = "".join(ch for ch in personal_number if ch.isdigit())
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def _membership_snapshot(membership: Membership | None) -> dict | None:
    if membership is None:
        return None
    return {
        "user_id": membership.user_id,
        "organisation_id": membership.organisation_id,
        "role": membership.role,
    }


def _transition(application: OmbudApplication, target: ApplicationStatus) -> str:
    """Move the application through its table; returns the status it had."""
    before = application.status
    refusal = _("An application that is %(status)s cannot be changed that way.")
    states.move(application, target, APPLICATION_TRANSITIONS, refusal)
    return before


def _locked_application(application: OmbudApplication) -> OmbudApplication:
    return (
        OmbudApplication.objects.select_for_update(of=("self",))
        .select_related("organisation", "applicant")
        .get(pk=application.pk)
    )


# ---------------------------------------------------------- ombud application


def find_organisation_by_number(raw: str) -> Organisation:
    """Validate an organisationsnummer (checksum) and find the organisation."""
    try:
        number = orgnr.validate(raw)
    except StdnumError as error:
        raise ValidationError(
            _("Enter a valid organisation number, ten digits, e.g. 212000-1439."),
            code="invalid_orgnr",
        ) from error
    organisation = Organisation.objects.filter(organisation_number=number).first()
    if organisation is None:
        raise ValidationError(
            _(
                "We have no organisation with organisation number %(number)s in the e-service. "
                "Check the number, or contact us if it is correct."
            )
            % {"number": orgnr.format(number)},
            code="unknown_orgnr",
        )
    return organisation


def attachment_kinds_for(organisation: Organisation, role_basis: str) -> list[AttachmentKind]:
    """The proof of mandate this organisation type sends (domain.md §2.2)."""
    if organisation.kind in PUBLIC_BODY_KINDS:
        kinds = [AttachmentKind.DELEGATION]
    else:
        kinds = [
            AttachmentKind.STATUTES,
            AttachmentKind.ANNUAL_MEETING,
            AttachmentKind.BOARD_MEETING,
        ]
    if role_basis == RoleBasis.FULLMAKT:
        kinds.append(AttachmentKind.FULLMAKT)
    return kinds


def missing_attachment_kinds(application: OmbudApplication) -> list[AttachmentKind]:
    present = set(application.attachments.values_list("kind", flat=True))
    return [
        kind
        for kind in attachment_kinds_for(application.organisation, application.role_basis)
        if kind not in present
    ]


def start_ombud_application(user, organisation_number: str, role_basis: str) -> OmbudApplication:
    organisation = find_organisation_by_number(organisation_number)
    open_application = OmbudApplication.objects.filter(
        applicant=user, organisation=organisation
    ).exclude(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.WRITTEN_OFF])
    if open_application.exists():
        raise ValidationError(
            _("You already have an open ombud application for %(organisation)s.")
            % {"organisation": organisation.name},
            code="duplicate",
        )
    with transaction.atomic():
        application = OmbudApplication.objects.create(
            applicant=user, organisation=organisation, role_basis=role_basis
        )
        record(user, AuditAction.OMBUD_APPLICATION_STARTED, application, after={"status": "draft"})
    return application


def add_attachment(user, application: OmbudApplication, kind: str, name: str, data: bytes):
    if application.applicant_id != user.pk:
        raise PermissionDenied
    if kind not in attachment_kinds_for(application.organisation, application.role_basis):
        raise ValidationError(_("Choose one of the listed attachment types."), code="kind")
    validate_pdf(data, max_bytes=settings.FORDELA_MAX_ATTACHMENT_BYTES)
    with transaction.atomic():
        application = _locked_application(application)
        if not application.is_editable_by_applicant:
            raise ValidationError(
                _(
                    "Attachments can only be added while the application is a draft "
                    "or completion has been requested."
                ),
                code="not_editable",
            )
        attachment = OmbudAttachment(
            application=application, kind=kind, original_name=name[:255], size=len(data)
        )
        attachment.file.save("upload.pdf", ContentFile(data), save=False)
        attachment.save()
        record(
            user,
            AuditAction.OMBUD_APPLICATION_ATTACHMENT_ADDED,
            application,
            after={"kind": kind, "name": attachment.original_name, "size": len(data)},
        )
    return attachment


def submit_ombud_application(user, application: OmbudApplication) -> OmbudApplication:
    """Send in (draft → submitted) or send in again after completion
    (completion_requested → resubmitted)."""
    if application.applicant_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        application = _locked_application(application)
        missing = missing_attachment_kinds(application)
        if missing:
            raise ValidationError(
                _("Attach the following before you send in: %(kinds)s.")
                % {"kinds": "; ".join(str(kind.label) for kind in missing)},
                code="missing_attachments",
            )
        target = (
            ApplicationStatus.SUBMITTED
            if application.status == ApplicationStatus.DRAFT
            else ApplicationStatus.RESUBMITTED
        )
        before = _transition(application, target)
        now = clock.now()
        application.submitted_at = application.submitted_at or now
        application.last_submitted_at = now
        application.save()
        record(
            user,
            AuditAction.OMBUD_APPLICATION_SUBMITTED,
            application,
            before={"status": before},
            after={"status": application.status},
        )
    return application


def _applicant_email(application: OmbudApplication, subject: str, body: str) -> None:
    enqueue_email_on_commit([application.applicant.email], subject, body)


def request_completion(officer, application: OmbudApplication, message: str) -> OmbudApplication:
    require_staff(officer, StaffAction.HANDLE_OMBUD_APPLICATIONS)
    message = message.strip()
    if not message:
        raise ValidationError(_("Write what the applicant must complete."), code="required")
    with transaction.atomic():
        application = _locked_application(application)
        before = _transition(application, ApplicationStatus.COMPLETION_REQUESTED)
        application.completion_message = message
        application.save()
        record(
            officer,
            AuditAction.OMBUD_APPLICATION_COMPLETION_REQUESTED,
            application,
            before={"status": before},
            after={"status": application.status, "message": message},
        )
        _applicant_email(
            application,
            _("Completion requested: ombud application for %(organisation)s")
            % {"organisation": application.organisation.name},
            _(
                "Your ombud application for %(organisation)s needs completion:\n\n%(message)s\n\n"
                "Log in to Fördela, complete the application and send it in again."
            )
            % {"organisation": application.organisation.name, "message": message},
        )
    return application


def approve_ombud_application(officer, application: OmbudApplication) -> OmbudApplication:
    """Approve: the applicant becomes the organisation's only ombud. A previous
    ombud loses the role in the same transaction (decisions.md 9)."""
    require_staff(officer, StaffAction.HANDLE_OMBUD_APPLICATIONS)
    with transaction.atomic():
        application = _locked_application(application)
        organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
        before = _transition(application, ApplicationStatus.APPROVED)
        previous = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(organisation=organisation, role=OrganisationRole.OMBUD)
            .first()
        )
        if previous is not None and previous.user_id != application.applicant_id:
            record(
                officer,
                AuditAction.MEMBERSHIP_OMBUD_REPLACED,
                previous,
                before=_membership_snapshot(previous),
                after=None,
            )
            previous.delete()
            enqueue_email_on_commit(
                [previous.user.email],
                _("You are no longer ombud for %(organisation)s")
                % {"organisation": organisation.name},
                _(
                    "Socialstyrelsen has approved a new ombud for %(organisation)s. "
                    "Your ombud role has ended."
                )
                % {"organisation": organisation.name},
            )
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=application.applicant,
            organisation=organisation,
            defaults={"role": OrganisationRole.OMBUD},
        )
        old_role = None if created else membership.role
        if not created and membership.role != OrganisationRole.OMBUD:
            membership.role = OrganisationRole.OMBUD
            membership.save(update_fields=["role"])
        record(
            officer,
            AuditAction.MEMBERSHIP_OMBUD_APPOINTED,
            membership,
            before={"role": old_role},
            after=_membership_snapshot(membership),
        )
        application.decided_at = clock.now()
        application.decided_by = officer
        application.save()
        record(
            officer,
            AuditAction.OMBUD_APPLICATION_APPROVED,
            application,
            before={"status": before},
            after={"status": application.status},
        )
        _applicant_email(
            application,
            _("Approved: you are now ombud for %(organisation)s")
            % {"organisation": organisation.name},
            _(
                "Socialstyrelsen has approved your ombud application for %(organisation)s. "
                "Log in to Fördela to invite representatives and data coordinators."
            )
            % {"organisation": organisation.name},
        )
    return application


def write_off_ombud_application(officer, application: OmbudApplication, note: str = ""):
    require_staff(officer, StaffAction.HANDLE_OMBUD_APPLICATIONS)
    with transaction.atomic():
        application = _locked_application(application)
        before = _transition(application, ApplicationStatus.WRITTEN_OFF)
        application.decided_at = clock.now()
        application.decided_by = officer
        application.decision_note = note.strip()
        application.save()
        record(
            officer,
            AuditAction.OMBUD_APPLICATION_WRITTEN_OFF,
            application,
            before={"status": before},
            after={"status": application.status, "note": note},
        )
        _applicant_email(
            application,
            _("Decision: ombud application for %(organisation)s written off")
            % {"organisation": application.organisation.name},
            _(
                "Socialstyrelsen has decided to write off your ombud application for "
                "%(organisation)s.\n\n%(note)s"
            )
            % {"organisation": application.organisation.name, "note": note.strip()},
        )
    return application


def typical_handling_days() -> int | None:
    """Median days from first submission to decision over the last year (P14)."""
    since = clock.now() - datetime.timedelta(days=365)
    decided = OmbudApplication.objects.filter(
        decided_at__gte=since, submitted_at__isnull=False
    ).values_list("submitted_at", "decided_at")
    days = sorted((decided_at - submitted_at).days for submitted_at, decided_at in decided)
    if not days:
        return None
    return days[len(days) // 2]


# --------------------------------------------------------------- invitations


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str
    url: str


def invite_member(
    user, organisation: Organisation, email: str, role: str, *, site_url: str
) -> IssuedInvitation:
    """Invite someone by e-mail to be representant or uppgiftssamordnare.
    ``site_url`` is the scheme and host the link points to."""
    if role not in INVITE_ACTION:
        raise ValidationError(_("Choose representative or data coordinator."), code="role")
    require(user, INVITE_ACTION[role], organisation)
    token = secrets.token_urlsafe(32)
    url = site_url.rstrip("/") + reverse("access:accept_invitation", args=[token])
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            role=role,
            email=email.strip().lower(),
            token_hash=hash_token(token),
            invited_by=user,
        )
        record(
            user,
            AuditAction.INVITATION_CREATED,
            invitation,
            after={"email": invitation.email, "role": role, "organisation_id": organisation.pk},
        )
        role_label = OrganisationRole(role).label
        enqueue_email_on_commit(
            [invitation.email],
            _("Invitation to Fördela: %(role)s for %(organisation)s")
            % {"role": role_label, "organisation": organisation.name},
            _(
                "%(inviter)s has invited you to be %(role)s for %(organisation)s in Fördela.\n\n"
                "Open this link to accept (it works once and expires on %(expires)s):\n%(url)s\n"
            )
            % {
                "inviter": user.get_full_name() or user.get_username(),
                "role": role_label,
                "organisation": organisation.name,
                "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
                "url": url,
            },
        )
    return IssuedInvitation(invitation=invitation, token=token, url=url)


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def is_invited_person(user, invitation: Invitation) -> bool:
    """Whether ``user`` is the person ``invitation`` was sent to: the
    account's e-mail is the invitation's, letter case aside.

    Fördela has no verified e-mail: an e-identified account gets the broker's
    e-mail when its own is blank, and anyone may change theirs under "Mina
    kontaktuppgifter" (audited as ``user.contact_details_changed``). So this
    binds an invitation to an account's current e-mail, which stops a
    forwarded or leaked link being accepted by whoever opens it, but not
    someone who first sets the invited address as their own. A person whose
    account has another address (or none) either asks for a new invitation
    to the account's address, or sets the invited address as their own
    first. Closing that gap needs a verified e-mail (a confirmation link
    when the address changes) or invitations bound to the e-identification.
    """
    return bool(user.email) and user.email.strip().casefold() == invitation.email.casefold()


def accept_invitation(user, token: str) -> Membership:
    """Accept (*anta*) an invitation: the invited person gets its role.

    Only the person it was sent to may (``is_invited_person``). Another
    account is refused: nothing changes, and the attempt is an audit event
    (``invitation.refused``), kept although the acceptance is not."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        )
        if invitation is None or not invitation.is_usable:
            raise ValidationError(
                _(
                    "This invitation link has already been used or has expired. "
                    "Ask the person who invited you for a new one."
                ),
                code="unusable",
            )
        if is_invited_person(user, invitation):
            return _accept(user, invitation)
        record(
            user, AuditAction.INVITATION_REFUSED, invitation, after={"account_email": user.email}
        )
    raise ValidationError(invitation_for_another_account(), code="another_account")


def invitation_for_another_account() -> str:
    """What a person reads who opens an invitation sent to someone else."""
    return _(
        "This invitation was sent to another e-mail address than your account's, and only "
        "the person it was sent to can accept it. Log in with the account that has that "
        "address, or ask the person who invited you to invite your account's address."
    )


def _accept(user, invitation: Invitation) -> Membership:
    if Membership.objects.filter(user=user, organisation=invitation.organisation_id).exists():
        raise ValidationError(
            _("You already have a role in this organisation."), code="already_member"
        )
    membership = Membership.objects.create(
        user=user, organisation_id=invitation.organisation_id, role=invitation.role
    )
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        user, AuditAction.INVITATION_ACCEPTED, invitation, after={"membership_id": membership.pk}
    )
    record(user, AuditAction.MEMBERSHIP_CREATED, membership, after=_membership_snapshot(membership))
    return membership


# ------------------------------------------------------------ memberships


def remove_member(actor, membership: Membership) -> None:
    """Remove someone from an organisation, or leave it oneself (matrix rows
    "Ta bort representant/uppgiftssamordnare" and "Ta bort eget konto").
    The ombud cannot leave: an organisation keeps its ombud until a new one
    is approved (decisions.md 9)."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation", "user")
            .get(pk=membership.pk)
        )
        organisation = membership.organisation
        if membership.user_id == actor.pk:
            require(actor, Action.DELETE_OWN_ACCOUNT, organisation)
            if membership.role == OrganisationRole.OMBUD:
                raise ValidationError(
                    _(
                        "You are the organisation's ombud and cannot remove yourself. "
                        "A new ombud must first be approved through an ombud application."
                    ),
                    code="last_ombud",
                )
            action = AuditAction.MEMBERSHIP_LEFT
        else:
            if membership.role not in REMOVE_ACTION:
                raise PermissionDenied
            require(actor, REMOVE_ACTION[membership.role], organisation)
            action = AuditAction.MEMBERSHIP_REMOVED
        record(actor, action, membership, before=_membership_snapshot(membership), after=None)
        membership.delete()


# -------------------------------------------------------- contact details


def update_my_contact_details(user, *, first_name: str, last_name: str, email: str, phone: str):
    with transaction.atomic():
        profile, _created = UserProfile.objects.get_or_create(user=user)
        before = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": profile.phone,
        }
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.save(update_fields=["first_name", "last_name", "email"])
        profile.phone = phone
        profile.save(update_fields=["phone"])
        after = {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}
        record(user, AuditAction.USER_CONTACT_DETAILS_CHANGED, user, before=before, after=after)


def update_organisation_contact_details(
    user, organisation: Organisation, *, email: str, phone: str
):
    require(user, Action.CHANGE_DATA, organisation)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {"email": organisation.email, "phone": organisation.phone}
        organisation.email, organisation.phone = email, phone
        organisation.save(update_fields=["email", "phone", "updated_at"])
        record(
            user,
            AuditAction.ORGANISATION_CONTACT_DETAILS_CHANGED,
            organisation,
            before=before,
            after={"email": email, "phone": phone},
        )
    return organisation


def users_with_roles(organisation: Organisation):
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "user__profile")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )


def open_invitations(organisation: Organisation):
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=clock.now(),
    ).select_related("invited_by")


def withdraw_invitation(actor, invitation: Invitation) -> Invitation:
    """Withdraw (*återkalla*) an invitation nobody has accepted, e.g. one sent
    to the wrong address: its link stops working at once. Whoever may invite
    to the role may withdraw (matrix rows "Bjuda in …")."""
    require(actor, INVITE_ACTION[invitation.role], invitation.organisation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.withdrawn_at:
            raise ValidationError(
                _("The invitation has already been accepted or withdrawn."), code="closed"
            )
        invitation.withdrawn_at = clock.now()
        invitation.withdrawn_by = actor
        invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor, AuditAction.INVITATION_WITHDRAWN, invitation, after={"email": invitation.email}
        )
    return invitation


# ------------------------------------------------------------- agency roles


def _require_superuser(actor) -> None:
    # Agency roles decide who handles cases, decides and pays (four eyes on
    # payments): only the system's administrators hand them out.
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator can give or take agency roles."))


def grant_staff_role(actor, user, role: str) -> StaffAssignment:
    """Give ``user`` the agency role ``role`` (handläggare, beslutsfattare,
    ekonomi, remissinstans). Administrators only; audited."""
    _require_superuser(actor)
    role = StaffRole(role)
    with transaction.atomic():
        if StaffAssignment.objects.filter(user=user, role=role).exists():
            raise ValidationError(
                _("%(user)s already has the role %(role)s.")
                % {"user": user.get_full_name() or user.get_username(), "role": role.label}
            )
        assignment = StaffAssignment.objects.create(user=user, role=role)
        record(
            actor, AuditAction.STAFF_ROLE_GRANTED, assignment, after={"user": user.pk, "role": role}
        )
    return assignment


def revoke_staff_role(actor, assignment: StaffAssignment) -> None:
    """Take an agency role away. Administrators only; audited."""
    _require_superuser(actor)
    with transaction.atomic():
        assignment = (
            StaffAssignment.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=assignment.pk)
        )
        record(
            actor,
            AuditAction.STAFF_ROLE_REVOKED,
            assignment,
            before={"user": assignment.user_id, "role": assignment.role},
        )
        assignment.delete()
