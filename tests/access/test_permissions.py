"""The permission matrix, row by row, for every role (domain.md §1.2.1)."""

import pytest

from fordela.access.models import OrganisationRole
from fordela.access.permissions import ORGANISATION_MATRIX, Action, can

# Socialstyrelsen's table, copied as Ja/Nej: (ombud, representant, uppgiftssamordnare).
JA, NEJ = True, False
SOCIALSTYRELSEN = {
    "Påbörja ett ärende": (Action.START_CASE, JA, JA, NEJ),
    "Fylla i uppgifter": (Action.FILL_IN, JA, JA, JA),
    "Ändra uppgifter": (Action.CHANGE_DATA, JA, JA, JA),
    "Ändra kontaktperson": (Action.CHANGE_CONTACT_PERSON, JA, JA, JA),
    "Skicka in ärende": (Action.SUBMIT_CASE, JA, JA, NEJ),
    "Bjuda in representant": (Action.INVITE_REPRESENTANT, JA, NEJ, NEJ),
    "Bjuda in uppgiftssamordnare": (Action.INVITE_UPPGIFTSSAMORDNARE, JA, JA, NEJ),
    "Ändra Mina kontaktuppgifter": (Action.CHANGE_MY_CONTACT_DETAILS, JA, JA, JA),
    "Har automatisk behörighet i alla bidrag": (Action.ACCESS_ALL_GRANTS, JA, JA, JA),
    "Ta bort representant": (Action.REMOVE_REPRESENTANT, JA, NEJ, NEJ),
    "Ta bort uppgiftssamordnare": (Action.REMOVE_UPPGIFTSSAMORDNARE, JA, JA, NEJ),
    "Ta bort eget konto": (Action.DELETE_OWN_ACCOUNT, JA, JA, JA),
    "Ta bort organisation": (Action.DELETE_ORGANISATION, JA, NEJ, NEJ),
}
ROLES = (
    OrganisationRole.OMBUD,
    OrganisationRole.REPRESENTANT,
    OrganisationRole.UPPGIFTSSAMORDNARE,
)


def test_matrix_has_exactly_the_thirteen_rows():
    assert len(SOCIALSTYRELSEN) == 13
    assert set(ORGANISATION_MATRIX) == {row[0] for row in SOCIALSTYRELSEN.values()}


@pytest.mark.parametrize("row", SOCIALSTYRELSEN, ids=list(SOCIALSTYRELSEN))
@pytest.mark.parametrize("role_index", range(3), ids=[r.value for r in ROLES])
def test_can_follows_the_row(row, role_index, ale, member, make_user):
    action, *allowed = SOCIALSTYRELSEN[row]
    user = member(ale, ROLES[role_index])
    assert can(user, action, ale) is allowed[role_index]


@pytest.mark.parametrize("action", list(Action))
def test_nobody_outside_the_organisation_may_do_anything(action, ale, make_user, member):
    from .conftest import other_organisation

    outsider = member(other_organisation(), OrganisationRole.OMBUD)
    assert can(outsider, action, ale) is False
    assert can(make_user("plain"), action, ale) is False


def test_uppgiftssamordnare_cannot_submit(ale, member):
    coordinator = member(ale, OrganisationRole.UPPGIFTSSAMORDNARE)
    assert can(coordinator, Action.SUBMIT_CASE, ale) is False
    assert can(member(ale, OrganisationRole.REPRESENTANT), Action.SUBMIT_CASE, ale) is True
