"""An invitation link opened while logged out says what the invitation is and
what happens after login, and its login links come back to it; where a role
is chosen, each role says what it may do (issue 16, section 4)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from fordela.access import roles, services
from fordela.access.models import Invitation, OrganisationRole
from fordela.access.permissions import ORGANISATION_MATRIX, Action


@pytest.fixture
def inviter(ale, member):
    ombud = member(ale, OrganisationRole.OMBUD)
    ombud.first_name, ombud.last_name = "Åsa", "Öberg"
    ombud.save()
    return ombud


@pytest.fixture
def issued(ale, inviter):
    return services.invite_member(
        inviter, ale, "ny.person@example.se", "uppgiftssamordnare", site_url="http://testserver"
    )


def url(issued) -> str:
    return reverse("access:accept_invitation", args=[issued.token])


def text(response) -> str:
    """The page's text with its tags and runs of white space taken out."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_logged_out_the_page_explains_the_invitation(client, ale, issued):
    response = client.get(url(issued))
    assert response.status_code == 200
    page = text(response)
    invitation = Invitation.objects.get()
    with translation.override("sv"):
        expiry = f"{invitation.expires_at.astimezone():%-d} "
    assert f"Du har blivit inbjuden till rollen Uppgiftssamordnare för {ale.name}." in page
    assert "Inbjuden av Åsa Öberg" in page
    assert f"Organisation {ale.name}" in page
    assert "Giltig till och med " + expiry in page
    assert "Skickad till ny.person@example.se" in page
    # What happens after login, and what the role may do.
    assert "Logga in med det konto som har e-postadressen ny.person@example.se." in page
    assert "När du har loggat in kommer du tillbaka till den här sidan." in page
    assert "Får fylla i uppgifter" in page and "Får inte påbörja ärenden" in page
    # No accept button for someone not logged in.
    assert "Tacka ja till inbjudan</button>" not in response.content.decode()


def test_logged_out_the_login_link_comes_back_to_the_invitation(client, settings, issued):
    settings.FORDELA_PASSWORD_LOGIN = True
    page = client.get(url(issued)).content.decode()
    login = reverse("access:login") + "?next=" + url(issued).replace("/", "%2F")
    assert f'href="{escape(login)}"' in page
    # The login page keeps it, and after login the person is back on the invitation.
    form = client.get(login).content.decode()
    assert f'name="next" value="{url(issued)}"' in form


def test_after_logging_in_the_invited_person_is_back_and_can_accept(
    client, settings, issued, make_user
):
    settings.FORDELA_PASSWORD_LOGIN = True
    make_user("ny", email="ny.person@example.se")
    response = client.post(
        reverse("access:login"), {"username": "ny", "password": "pw", "next": url(issued)}
    )
    assert response.status_code == 302 and response["Location"] == url(issued)
    page = client.get(url(issued)).content.decode()
    assert "Tacka ja till inbjudan</button>" in page


def test_logged_out_with_e_identification_the_page_offers_it_and_comes_back(
    client, settings, issued
):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    page = client.get(url(issued)).content.decode()
    oidc = reverse("oidc_authentication_init") + "?next=" + url(issued).replace("/", "%2F")
    assert f'href="{escape(oidc)}"' in page
    assert "Logga in med e-legitimation" in page


def test_logged_out_an_used_or_unknown_invitation_says_so(client, issued):
    response = client.get(reverse("access:accept_invitation", args=["not-the-token"]))
    assert response.status_code == 404
    assert "Länken i inbjudan har redan använts eller har slutat gälla" in response.content.decode()
    assert "Inbjuden av" not in response.content.decode()


def test_logged_out_a_post_goes_to_the_login_and_changes_nothing(client, issued):
    response = client.post(url(issued))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:login"))
    assert Invitation.objects.get().accepted_at is None


# ------------------------------------------------------------- the roles


def test_each_role_is_described_from_the_permission_matrix():
    with translation.override("en"):
        representant = roles.describe(OrganisationRole.REPRESENTANT)
        coordinator = roles.describe(OrganisationRole.UPPGIFTSSAMORDNARE)
    assert representant.startswith("May start cases, fill in data")
    assert "send in cases" in representant.split("May not")[0]
    assert "invite representatives" in representant.split("May not")[1]
    assert "send in cases" in coordinator.split("May not")[1]
    assert "fill in data" in coordinator.split("May not")[0]
    # Every row of the matrix is in one half or the other, for each role.
    for role in (OrganisationRole.REPRESENTANT, OrganisationRole.UPPGIFTSSAMORDNARE):
        may, may_not = roles.may_and_may_not(role)
        for action, allowed in ORGANISATION_MATRIX.items():
            if action in roles.FOR_ONESELF:
                continue
            words = str(roles.ACTION_WORDS[action])
            assert (words in may) == (role in allowed), (role, action)
            assert (words in may_not) == (role not in allowed), (role, action)
    assert Action.SUBMIT_CASE in ORGANISATION_MATRIX


def test_the_invite_form_explains_each_role_beside_its_radio(client, ale, inviter):
    client.force_login(inviter)
    page = client.get(reverse("access:invite", args=[ale.pk])).content.decode()
    with translation.override("sv"):
        representant = roles.describe(OrganisationRole.REPRESENTANT)
        coordinator = roles.describe(OrganisationRole.UPPGIFTSSAMORDNARE)
    for value, description in (
        ("representant", representant),
        ("uppgiftssamordnare", coordinator),
    ):
        radio = re.search(rf'<input type="radio" name="role"[^>]*value="{value}"[^>]*>', page)
        assert radio, value
        hint_id = re.search(r'aria-describedby="([^"]+)"', radio.group(0)).group(1)
        assert (
            f'<div class="govuk-hint govuk-radios__hint" id="{hint_id}">{escape(description)}</div>'
            in page
        )
    assert "Får påbörja ärenden" in page
