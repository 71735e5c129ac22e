"""What each organisation role may do, in words, read from the permission
matrix (``permissions.ORGANISATION_MATRIX``): the invite form's hints and the
invitation page say it, so the words never disagree with the rules."""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import OrganisationRole
from .permissions import ORGANISATION_MATRIX, Action

# Each row of the matrix as what a person with the role may do.
ACTION_WORDS = {
    Action.START_CASE: gettext_lazy("start cases"),
    Action.FILL_IN: gettext_lazy("fill in data"),
    Action.CHANGE_DATA: gettext_lazy("change data"),
    Action.CHANGE_CONTACT_PERSON: gettext_lazy("change the contact person"),
    Action.SUBMIT_CASE: gettext_lazy("send in cases"),
    Action.INVITE_REPRESENTANT: gettext_lazy("invite representatives"),
    Action.INVITE_UPPGIFTSSAMORDNARE: gettext_lazy("invite data coordinators"),
    Action.CHANGE_MY_CONTACT_DETAILS: gettext_lazy("change their own contact details"),
    Action.ACCESS_ALL_GRANTS: gettext_lazy("work in all the organisation's grants"),
    Action.REMOVE_REPRESENTANT: gettext_lazy("remove representatives"),
    Action.REMOVE_UPPGIFTSSAMORDNARE: gettext_lazy("remove data coordinators"),
    Action.DELETE_OWN_ACCOUNT: gettext_lazy("delete their own account"),
    Action.DELETE_ORGANISATION: gettext_lazy("delete the organisation"),
}

# Rows every person may do for themselves whatever their role: not what
# tells the roles apart, so the description leaves them out.
FOR_ONESELF = (Action.CHANGE_MY_CONTACT_DETAILS, Action.DELETE_OWN_ACCOUNT)


def may_and_may_not(role: OrganisationRole | str) -> tuple[list[str], list[str]]:
    """The matrix's rows ``role`` may and may not do, in the matrix's order."""
    role = OrganisationRole(role)
    may, may_not = [], []
    for action, roles in ORGANISATION_MATRIX.items():
        if action in FOR_ONESELF:
            continue
        (may if role in roles else may_not).append(str(ACTION_WORDS[action]))
    return may, may_not


def describe(role: OrganisationRole | str) -> str:
    """One sentence or two: what ``role`` may do, and what it may not."""
    may, may_not = may_and_may_not(role)
    text = _("May %(actions)s.") % {"actions": get_text_list(may, _("and"))}
    if may_not:
        text += " " + _("May not %(actions)s.") % {"actions": get_text_list(may_not, _("or"))}
    return text
