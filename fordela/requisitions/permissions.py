"""Agency-side checks for requisitions and payments. Organisation-side rights
come from the access matrix (``fordela.access.permissions.can``)."""

from django.core.exceptions import PermissionDenied

from fordela.access.models import StaffRole
from fordela.access.permissions import staff_roles


def has_staff_role(user, *roles: StaffRole) -> bool:
    return bool(staff_roles(user) & set(roles))


def require_staff_role(user, *roles: StaffRole) -> None:
    if not has_staff_role(user, *roles):
        raise PermissionDenied("staff role required")


# Who may see requisition cases, lists and ledgers.
CASE_READERS = (StaffRole.HANDLAGGARE, StaffRole.BESLUTSFATTARE, StaffRole.EKONOMI)
