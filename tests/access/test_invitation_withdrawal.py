"""Withdrawing (återkalla) an invitation nobody has accepted yet: e.g. one
sent to the wrong address. Its link stops working at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fordela.access import services
from fordela.access.models import Invitation, OrganisationRole
from fordela.audit.models import AuditEvent


@pytest.fixture
def invited(ale, member):
    ombud = member(ale, OrganisationRole.OMBUD)
    issued = services.invite_member(
        ombud, ale, "fel@example.se", "representant", site_url="http://testserver"
    )
    return ombud, issued


def test_ombud_withdraws_and_the_link_stops_working(client, ale, invited, make_user):
    ombud, issued = invited
    client.force_login(ombud)
    page = client.get(reverse("access:organisation", args=[ale.pk])).content.decode()
    assert 'class="govuk-list invitations"' in page and "fel@example.se" in page
    response = client.post(
        reverse("access:withdraw_invitation", args=[ale.pk, issued.invitation.pk]), follow=True
    )
    page = response.content.decode()
    assert "fungerar inte längre" in page  # the success message, in Swedish
    assert 'class="govuk-list invitations"' not in page  # no open invitation left in the list
    issued.invitation.refresh_from_db()
    assert issued.invitation.withdrawn_by == ombud and not issued.invitation.is_usable
    assert AuditEvent.objects.filter(action="invitation.withdrawn", actor=ombud).exists()
    stranger = make_user("fel")
    with pytest.raises(ValidationError):
        services.accept_invitation(stranger, issued.token)


def test_a_withdrawn_invitation_leaves_the_list(ale, invited):
    ombud, issued = invited
    services.withdraw_invitation(ombud, issued.invitation)
    assert list(services.open_invitations(ale)) == []


def test_an_accepted_invitation_cannot_be_withdrawn(ale, invited, make_user):
    ombud, issued = invited
    services.accept_invitation(make_user("ratt", email="fel@example.se"), issued.token)
    with pytest.raises(ValidationError):
        services.withdraw_invitation(ombud, Invitation.objects.get())


def test_withdrawing_twice_is_refused(invited):
    ombud, issued = invited
    services.withdraw_invitation(ombud, issued.invitation)
    with pytest.raises(ValidationError):
        services.withdraw_invitation(ombud, issued.invitation)


def test_representant_cannot_withdraw_an_invitation_for_a_representant(ale, invited, member):
    # Only the ombud invites representanter, so only the ombud withdraws them.
    _ombud, issued = invited
    representant = member(ale, OrganisationRole.REPRESENTANT)
    with pytest.raises(PermissionDenied):
        services.withdraw_invitation(representant, issued.invitation)
    assert Invitation.objects.get().withdrawn_at is None
