"""The permission matrix: who may do what.

``ORGANISATION_MATRIX`` is Socialstyrelsen's 13-row table (domain.md §1.2.1),
row for row. ``STAFF_MATRIX`` holds what the agency's own roles may do.
Views and services ask ``can()`` / ``require()`` for organisations and
``can_staff()`` / ``require_staff()`` for the agency; nothing else decides.
"""

import enum

from django.core.exceptions import PermissionDenied

from fordela.organisations.models import Organisation

from .models import (
    Membership,
    OrganisationRole,
    RegionalAssignment,
    RegionalRole,
    StaffAssignment,
    StaffRole,
)

O = OrganisationRole.OMBUD  # noqa: E741 - the matrix reads better with one letter
R = OrganisationRole.REPRESENTANT
U = OrganisationRole.UPPGIFTSSAMORDNARE


class Action(enum.StrEnum):
    """The 13 rows of the matrix, in Socialstyrelsen's order."""

    START_CASE = "start_case"  # Påbörja ett ärende
    FILL_IN = "fill_in"  # Fylla i uppgifter
    CHANGE_DATA = "change_data"  # Ändra uppgifter
    CHANGE_CONTACT_PERSON = "change_contact_person"  # Ändra kontaktperson
    SUBMIT_CASE = "submit_case"  # Skicka in ärende
    INVITE_REPRESENTANT = "invite_representant"  # Bjuda in representant
    INVITE_UPPGIFTSSAMORDNARE = "invite_uppgiftssamordnare"  # Bjuda in uppgiftssamordnare
    CHANGE_MY_CONTACT_DETAILS = "change_my_contact_details"  # Ändra Mina kontaktuppgifter
    ACCESS_ALL_GRANTS = "access_all_grants"  # Har automatisk behörighet i alla bidrag
    REMOVE_REPRESENTANT = "remove_representant"  # Ta bort representant
    REMOVE_UPPGIFTSSAMORDNARE = "remove_uppgiftssamordnare"  # Ta bort uppgiftssamordnare
    DELETE_OWN_ACCOUNT = "delete_own_account"  # Ta bort eget konto
    DELETE_ORGANISATION = "delete_organisation"  # Ta bort organisation


ORGANISATION_MATRIX: dict[Action, frozenset[OrganisationRole]] = {
    Action.START_CASE: frozenset({O, R}),
    Action.FILL_IN: frozenset({O, R, U}),
    Action.CHANGE_DATA: frozenset({O, R, U}),
    Action.CHANGE_CONTACT_PERSON: frozenset({O, R, U}),
    Action.SUBMIT_CASE: frozenset({O, R}),
    Action.INVITE_REPRESENTANT: frozenset({O}),
    Action.INVITE_UPPGIFTSSAMORDNARE: frozenset({O, R}),
    Action.CHANGE_MY_CONTACT_DETAILS: frozenset({O, R, U}),
    Action.ACCESS_ALL_GRANTS: frozenset({O, R, U}),
    Action.REMOVE_REPRESENTANT: frozenset({O}),
    Action.REMOVE_UPPGIFTSSAMORDNARE: frozenset({O, R}),
    Action.DELETE_OWN_ACCOUNT: frozenset({O, R, U}),
    Action.DELETE_ORGANISATION: frozenset({O}),
}

# Which action is needed to invite or remove someone with a given role.
INVITE_ACTION = {R: Action.INVITE_REPRESENTANT, U: Action.INVITE_UPPGIFTSSAMORDNARE}
REMOVE_ACTION = {R: Action.REMOVE_REPRESENTANT, U: Action.REMOVE_UPPGIFTSSAMORDNARE}


class StaffAction(enum.StrEnum):
    """What the agency's roles may do (domain.md §1.2.2, P13)."""

    HANDLE_OMBUD_APPLICATIONS = "handle_ombud_applications"  # Handlägga ombudsansökningar
    VIEW_ORGANISATION_USERS = "view_organisation_users"  # Se organisationers användare
    READ_REQUISITIONS = "read_requisitions"  # Läsa rekvisitioner, listor, huvudbok, utbetalningar
    REDISTRIBUTE = "redistribute"  # Fastställa omfördelning
    HANDLE_REQUISITIONS = "handle_requisitions"  # Återsända, avslå och anteckna rekvisitioner
    MANAGE_PAYMENTS = "manage_payments"  # Skapa, attestera och exportera betalningsuppdrag
    READ_APPLICATIONS = "read_applications"  # Läsa ansökningar och beslut
    ASSESS_APPLICATIONS = "assess_applications"  # Bedöma, begära komplettering, remittera, föreslå
    FILE_OPINION = "file_opinion"  # Lämna yttrande (konsultationspart)
    DECIDE_APPLICATIONS = "decide_applications"  # Besluta om ansökningar
    # Follow-up reports: the organisation fills them in with FILL_IN and
    # submits them with SUBMIT_CASE (the organisation matrix above).
    READ_REPORTS = "read_reports"  # Läsa återrapporter
    REVIEW_REPORTS = "review_reports"  # Granska återrapporter: komplettering, godkänna, underkänna
    # Recovery (återkrav): four eyes as for grant decisions.
    READ_RECOVERY = "read_recovery"  # Läsa återkrav, fakturor och inbetalningar
    PROPOSE_RECOVERY = "propose_recovery"  # Föreslå återkrav eller att avstå
    DECIDE_RECOVERY = "decide_recovery"  # Besluta om återkrav
    MANAGE_INVOICES = "manage_invoices"  # Kreditera, skriva av och påminna om fakturor
    REGISTER_PAYMENTS = "register_payments"  # Registrera och importera inbetalningar, lösa kön
    # National reporting: the administrative costs the economic report includes.
    RECORD_COSTS = "record_costs"  # Bokföra administrativa kostnader
    WRITE_NARRATIVE = "write_narrative"  # Skriva redovisningens text till regeringen
    # Regional sub-grants: the agency sees every region's rounds, read-only.
    READ_REGIONAL_ROUNDS = "read_regional_rounds"  # Läsa regionernas egna utlysningar
    # Competence support: the agency's own entries and events; a partner's
    # own staff edit theirs as members of the partner organisation.
    EDIT_MATERIALS = "edit_materials"  # Lägga upp och ändra kunskapsstöd i materialbiblioteket
    MANAGE_EVENTS = "manage_events"  # Lägga upp utbildningar, se deltagare, markera närvaro


H = StaffRole.HANDLAGGARE
B = StaffRole.BESLUTSFATTARE
E = StaffRole.EKONOMI
C = StaffRole.CONSULTEE

STAFF_MATRIX: dict[StaffAction, frozenset[StaffRole]] = {
    StaffAction.HANDLE_OMBUD_APPLICATIONS: frozenset({H}),
    StaffAction.VIEW_ORGANISATION_USERS: frozenset({H}),
    StaffAction.READ_REQUISITIONS: frozenset({H, B, E}),
    StaffAction.REDISTRIBUTE: frozenset({H}),
    StaffAction.HANDLE_REQUISITIONS: frozenset({H}),
    StaffAction.MANAGE_PAYMENTS: frozenset({E}),
    StaffAction.READ_APPLICATIONS: frozenset({H, B}),
    StaffAction.ASSESS_APPLICATIONS: frozenset({H}),
    StaffAction.FILE_OPINION: frozenset({C}),
    StaffAction.DECIDE_APPLICATIONS: frozenset({B}),
    StaffAction.READ_REPORTS: frozenset({H, B, E}),
    StaffAction.REVIEW_REPORTS: frozenset({H}),
    StaffAction.READ_RECOVERY: frozenset({H, B, E}),
    StaffAction.PROPOSE_RECOVERY: frozenset({H}),
    StaffAction.DECIDE_RECOVERY: frozenset({B}),
    StaffAction.MANAGE_INVOICES: frozenset({E}),
    StaffAction.REGISTER_PAYMENTS: frozenset({E}),
    StaffAction.RECORD_COSTS: frozenset({E}),
    StaffAction.WRITE_NARRATIVE: frozenset({H, B}),
    StaffAction.READ_REGIONAL_ROUNDS: frozenset({H, B, E}),
    StaffAction.EDIT_MATERIALS: frozenset({H}),
    StaffAction.MANAGE_EVENTS: frozenset({H}),
}


class RegionalAction(enum.StrEnum):
    """What a region's own staff may do in the rounds it runs (issue 20);
    four eyes as at the agency: the administrator proposes, the decision
    maker decides."""

    READ_ROUNDS = "read_rounds"  # Läsa regionens utlysningar, ansökningar, beslut
    MANAGE_ROUNDS = "manage_rounds"  # Skapa, ändra och öppna utlysningar, frågor
    ASSESS = "assess"  # Bedöma ansökningar och föreslå beslut
    DECIDE = "decide"  # Besluta om ansökningar
    REVIEW_REPORTS = "review_reports"  # Granska och godkänna återrapporter
    RECORD_INVOICES = "record_invoices"  # Registrera fakturor och betalningar


RA = RegionalRole.ADMINISTRATOR
RD = RegionalRole.DECISION_MAKER

REGIONAL_MATRIX: dict[RegionalAction, frozenset[RegionalRole]] = {
    RegionalAction.READ_ROUNDS: frozenset({RA, RD}),
    RegionalAction.MANAGE_ROUNDS: frozenset({RA}),
    RegionalAction.ASSESS: frozenset({RA}),
    RegionalAction.DECIDE: frozenset({RD}),
    RegionalAction.REVIEW_REPORTS: frozenset({RA}),
    RegionalAction.RECORD_INVOICES: frozenset({RA}),
}


def organisation_role(user, organisation: Organisation) -> OrganisationRole | None:
    """The user's role in ``organisation``, or None (one indexed query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    # order_by("pk"): the model's default ordering would join the organisation
    # and user tables into every permission check.
    role = (
        Membership.objects.filter(user=user, organisation=organisation)
        .order_by("pk")
        .values_list("role", flat=True)
        .first()
    )
    return OrganisationRole(role) if role else None


def staff_roles(user) -> frozenset[StaffRole]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = StaffAssignment.objects.filter(user=user).values_list("role", flat=True)
    return frozenset(StaffRole(role) for role in roles)


def can(user, action: Action, organisation: Organisation) -> bool:
    """May ``user`` do ``action`` in ``organisation``? (matrix row lookup)"""
    return role_can(organisation_role(user, organisation), action)


def role_can(role: OrganisationRole | None, action: Action) -> bool:
    """``can`` for a role already looked up: a page that checks many actions
    looks the role up once rather than once per check."""
    return role is not None and role in ORGANISATION_MATRIX[action]


def can_staff(user, action: StaffAction) -> bool:
    """May ``user`` do ``action`` with one of their agency roles?"""
    return staff_can(staff_roles(user), action)


def staff_can(roles: frozenset[StaffRole], action: StaffAction) -> bool:
    """``can_staff`` for roles already looked up (a page checking several)."""
    return bool(roles & STAFF_MATRIX[action])


def regional_roles(user, region: Organisation) -> frozenset[RegionalRole]:
    """The user's regional roles in ``region`` (one indexed query)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = RegionalAssignment.objects.filter(user=user, region=region).values_list(
        "role", flat=True
    )
    return frozenset(RegionalRole(role) for role in roles)


def regions_of(user) -> list[Organisation]:
    """The regions in which ``user`` holds a regional role."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.filter(regional_staff__user=user).distinct())


def can_regional(user, action: RegionalAction, region: Organisation) -> bool:
    """May ``user`` do ``action`` in the rounds ``region`` runs?"""
    return regional_can(regional_roles(user, region), action)


def regional_can(roles: frozenset[RegionalRole], action: RegionalAction) -> bool:
    return bool(roles & REGIONAL_MATRIX[action])


def require_regional(user, action: RegionalAction, region: Organisation) -> None:
    if not can_regional(user, action, region):
        raise PermissionDenied(action.value)


def is_member(user, organisation: Organisation) -> bool:
    return organisation_role(user, organisation) is not None


def require(user, action: Action, organisation: Organisation) -> None:
    if not can(user, action, organisation):
        raise PermissionDenied(action.value)


def require_staff(user, action: StaffAction) -> None:
    if not can_staff(user, action):
        raise PermissionDenied(action.value)
