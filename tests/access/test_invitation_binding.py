"""An invitation binds to the person it was sent to (issue 14, item 12): the
accepting account's e-mail must be the invitation's. Another account that has
the link is refused, changes nothing, and leaves an audit event."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from fordela.access import services
from fordela.access.models import Invitation, Membership, OrganisationRole
from fordela.audit.models import AuditEvent

ANOTHER_ACCOUNT = (
    "This invitation was sent to another e-mail address than your account's, and only "
    "the person it was sent to can accept it. Log in with the account that has that "
    "address, or ask the person who invited you to invite your account's address."
)


@pytest.fixture
def issued(ale, member):
    ombud = member(ale, OrganisationRole.OMBUD)
    return services.invite_member(
        ombud, ale, "Ny.Person@Example.se", "uppgiftssamordnare", site_url="http://testserver"
    )


def url(issued) -> str:
    return reverse("access:accept_invitation", args=[issued.token])


def test_the_invited_person_accepts(issued, make_user):
    person = make_user("ny", email="ny.person@example.se")
    membership = services.accept_invitation(person, issued.token)
    assert (membership.user, membership.role) == (person, OrganisationRole.UPPGIFTSSAMORDNARE)
    assert Invitation.objects.get().accepted_by == person


@pytest.mark.parametrize(
    "email", ["NY.PERSON@EXAMPLE.SE", "Ny.Person@example.SE", " ny.person@example.se "]
)
def test_letter_case_in_the_e_mail_does_not_matter(issued, make_user, email):
    person = make_user("ny", email=email)
    assert services.accept_invitation(person, issued.token).user == person


def test_another_account_is_refused_and_audited_and_the_invitation_stays_open(
    ale, issued, make_user
):
    colleague = make_user("kollega", email="kollega@example.se")
    with pytest.raises(ValidationError) as refusal:
        services.accept_invitation(colleague, issued.token)
    assert refusal.value.code == "another_account"
    assert not Membership.objects.filter(user=colleague).exists()
    invitation = Invitation.objects.get()
    assert invitation.is_usable and invitation.accepted_by is None
    event = AuditEvent.objects.get(action="invitation.refused")
    assert (event.actor, event.object_id) == (colleague, str(invitation.pk))
    assert event.after == {"account_email": "kollega@example.se"}
    assert not AuditEvent.objects.filter(action="invitation.accepted").exists()
    # The invited person can still accept afterwards.
    services.accept_invitation(make_user("ny", email="ny.person@example.se"), issued.token)


def test_an_account_without_an_e_mail_is_refused(issued, make_user):
    with pytest.raises(ValidationError):
        services.accept_invitation(make_user("utan", email=""), issued.token)
    assert Invitation.objects.get().is_usable


def test_the_page_tells_another_account_it_is_not_theirs_and_offers_no_button(
    client, issued, make_user
):
    client.force_login(make_user("kollega"))
    response = client.get(url(issued))
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("sv"):
        message = translation.gettext(ANOTHER_ACCOUNT)
    assert escape(message) in page
    assert 'type="submit" class="govuk-button"' not in page
    assert not AuditEvent.objects.filter(action="invitation.refused").exists()  # only looked


def test_posting_the_acceptance_from_another_account_is_refused_with_403(client, issued, make_user):
    colleague = make_user("kollega")
    client.force_login(colleague)
    response = client.post(url(issued))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=colleague).exists()
    assert AuditEvent.objects.filter(action="invitation.refused", actor=colleague).exists()
    assert Invitation.objects.get().is_usable


def test_the_invited_person_accepts_on_the_page(client, ale, issued, make_user):
    person = make_user("ny", email="ny.person@example.se")
    client.force_login(person)
    assert 'type="submit" class="govuk-button"' in client.get(url(issued)).content.decode()
    response = client.post(url(issued))
    assert response.status_code == 302
    assert response["Location"] == reverse("access:organisation", args=[ale.pk])
    assert Membership.objects.get(user=person).role == OrganisationRole.UPPGIFTSSAMORDNARE
