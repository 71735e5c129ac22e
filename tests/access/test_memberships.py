"""Invitations and removals inside an organisation (domain.md §2.3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fordela.access import services
from fordela.access.models import Invitation, Membership, OrganisationRole, UserProfile
from fordela.audit.models import AuditEvent

O, R, U = (  # noqa: E741
    OrganisationRole.OMBUD,
    OrganisationRole.REPRESENTANT,
    OrganisationRole.UPPGIFTSSAMORDNARE,
)


def invite(by, organisation, role, email="ny@example.se"):
    return services.invite_member(by, organisation, email, role, site_url="http://testserver")


def test_ombud_invites_representant_and_only_a_hash_is_stored(
    ale, member, mailoutbox, django_capture_on_commit_callbacks
):
    ombud = member(ale, O)
    with django_capture_on_commit_callbacks(execute=True):
        issued = invite(ombud, ale, R)
    stored = Invitation.objects.get()
    assert stored.token_hash != issued.token
    assert issued.token not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert issued.url in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="invitation.created").exists()


def test_representant_invites_uppgiftssamordnare_but_not_representant(ale, member):
    representant = member(ale, R)
    invite(representant, ale, U)
    with pytest.raises(PermissionDenied):
        invite(representant, ale, R)


def test_uppgiftssamordnare_cannot_invite(ale, member):
    with pytest.raises(PermissionDenied):
        invite(member(ale, U), ale, U)


def test_nobody_can_invite_an_ombud(ale, member):
    with pytest.raises(ValidationError):
        invite(member(ale, O), ale, O)


def test_invitation_is_single_use(ale, member, make_user):
    issued = invite(member(ale, O), ale, U)
    membership = services.accept_invitation(make_user("first", email="ny@example.se"), issued.token)
    assert membership.role == U
    with pytest.raises(ValidationError):
        services.accept_invitation(make_user("second", email="ny@example.se"), issued.token)


def test_expired_invitation_is_refused(ale, member, make_user):
    issued = invite(member(ale, O), ale, U)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.accept_invitation(make_user("late", email="ny@example.se"), issued.token)


def test_wrong_token_is_refused(ale, member, make_user):
    invite(member(ale, O), ale, U)
    with pytest.raises(ValidationError):
        services.accept_invitation(make_user("guess"), "not-the-token")


def test_ombud_removes_representant_and_representant_removes_uppgiftssamordnare(ale, member):
    ombud, representant, coordinator = member(ale, O), member(ale, R), member(ale, U)
    services.remove_member(representant, Membership.objects.get(user=coordinator))
    services.remove_member(ombud, Membership.objects.get(user=representant))
    assert list(Membership.objects.values_list("role", flat=True)) == [O]
    assert AuditEvent.objects.filter(action="membership.removed").count() == 2


def test_representant_cannot_remove_another_representant(ale, member):
    first, second = member(ale, R, "r1"), member(ale, R, "r2")
    with pytest.raises(PermissionDenied):
        services.remove_member(first, Membership.objects.get(user=second))


def test_uppgiftssamordnare_cannot_remove_others(ale, member):
    coordinator, other = member(ale, U, "u1"), member(ale, U, "u2")
    with pytest.raises(PermissionDenied):
        services.remove_member(coordinator, Membership.objects.get(user=other))


def test_nobody_removes_the_ombud(ale, member):
    ombud, representant = member(ale, O), member(ale, R)
    with pytest.raises(PermissionDenied):
        services.remove_member(representant, Membership.objects.get(user=ombud))


@pytest.mark.parametrize("role", [R, U])
def test_members_may_remove_themselves(ale, member, role):
    user = member(ale, role)
    services.remove_member(user, Membership.objects.get(user=user))
    assert not Membership.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="membership.left").exists()


def test_last_ombud_cannot_remove_themselves(ale, member):
    ombud = member(ale, O)
    with pytest.raises(ValidationError) as error:
        services.remove_member(ombud, Membership.objects.get(user=ombud))
    assert error.value.code == "last_ombud"


def test_outsider_cannot_remove(ale, member):
    from .conftest import other_organisation

    outsider = member(other_organisation(), O)
    with pytest.raises(PermissionDenied):
        services.remove_member(outsider, Membership.objects.get(user=member(ale, U)))


def test_my_contact_details_and_organisation_contact_details(ale, member):
    coordinator = member(ale, U)
    services.update_my_contact_details(
        coordinator, first_name="Ulla", last_name="Ek", email="ulla@ale.se", phone="0303-1"
    )
    coordinator.refresh_from_db()
    assert (coordinator.first_name, UserProfile.objects.get(user=coordinator).phone) == (
        "Ulla",
        "0303-1",
    )
    services.update_organisation_contact_details(
        coordinator, ale, email="kommun@ale.se", phone="0303-70 30 00"
    )
    ale.refresh_from_db()
    assert ale.email == "kommun@ale.se"
