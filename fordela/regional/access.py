"""Who may see a regional round and its cases: the region's own staff
(``REGIONAL_MATRIX``) and, read-only, the agency's staff
(``StaffAction.READ_REGIONAL_ROUNDS``). Every regional view loads its round
through here, so a regional administrator never reaches another region's
round (403) and the agency never changes one."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from fordela.access.permissions import (
    RegionalAction,
    StaffAction,
    can_regional,
    can_staff,
    require_regional,
)

from .models import SubGrantRound


def can_read_round(user, round_: SubGrantRound) -> bool:
    return can_regional(user, RegionalAction.READ_ROUNDS, round_.region) or can_staff(
        user, StaffAction.READ_REGIONAL_ROUNDS
    )


def readable_rounds(user):
    """The rounds ``user`` may read: every round for the agency's readers,
    their own regions' rounds for regional staff, none for anyone else."""
    rounds = SubGrantRound.objects.select_related("region", "programme_year__programme")
    if can_staff(user, StaffAction.READ_REGIONAL_ROUNDS):
        return rounds
    if not getattr(user, "is_authenticated", False):
        return rounds.none()
    return rounds.filter(region__regional_staff__user=user).distinct()


def round_for(user, pk: int, action: RegionalAction | None = None) -> SubGrantRound:
    """The round ``pk`` if ``user`` may read it (``action`` None) or do
    ``action`` in it; 404 for no such round, 403 otherwise."""
    round_ = get_object_or_404(
        SubGrantRound.objects.select_related("region", "programme_year__programme"), pk=pk
    )
    if action is None:
        if not can_read_round(user, round_):
            raise PermissionDenied(RegionalAction.READ_ROUNDS.value)
    else:
        require_regional(user, action, round_.region)
    return round_
