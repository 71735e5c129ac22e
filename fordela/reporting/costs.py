"""Administrative costs (issue 19 §1): the agency's own costs and the
amounts paid over to other agencies, booked as ``CostEntry`` rows on the
programme's cost pools, so that the economic report can include them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fordela.access.permissions import StaffAction, require_staff
from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.core.cleaning import parse_kronor
from fordela.core.formatting import kronor
from fordela.programmes.models import Pool, PoolKind

from .models import CostEntry

COST_POOL_KINDS = (PoolKind.AGENCY_COST, PoolKind.TRANSFER)
DESCRIPTION_LIMIT = 300


def cost_pools(programme_year):
    return Pool.objects.filter(programme_year=programme_year, kind__in=COST_POOL_KINDS)


def booked_sek(pool: Pool) -> int:
    return pool.cost_entries.aggregate(total=Sum("amount_sek"))["total"] or 0


def record_cost(
    user, pool: Pool, *, booked_on: datetime.date, amount_sek, description: str
) -> CostEntry:
    """Book one administrative cost on ``pool`` (RECORD_COSTS, ekonomi).
    Refused: a pool that is not a cost pool, a year closed for new costs, a
    date outside the pool's year or after today, an amount that is not whole
    kronor or that would take the pool's costs past its amount."""
    require_staff(user, StaffAction.RECORD_COSTS)
    text = " ".join((description or "").split())
    if not text:
        raise ValidationError({"description": [_("Describe the cost.")]})
    if len(text) > DESCRIPTION_LIMIT:
        raise ValidationError(
            {
                "description": [
                    _("Write at most %(limit)s characters.") % {"limit": DESCRIPTION_LIMIT}
                ]
            }
        )
    try:
        amount = parse_kronor(amount_sek)
    except ValidationError as error:
        raise ValidationError({"amount_sek": error.messages}) from None
    if amount < 1:
        raise ValidationError({"amount_sek": [_("A cost is at least 1 kr.")]})
    with transaction.atomic():
        # The pool's row is the lock: two entries at once cannot both pass
        # the check against the pool's amount.
        locked = (
            Pool.objects.select_for_update(of=("self",))
            .select_related("programme_year", "appropriation_line")
            .get(pk=pool.pk)
        )
        if locked.kind not in COST_POOL_KINDS:
            raise ValidationError(_("Costs are booked only on the agency's cost pools."))
        year = locked.programme_year
        if year.costs_closed:
            raise ValidationError(
                _("The year %(year)s is closed: no more costs can be booked on it.")
                % {"year": year.year}
            )
        if booked_on.year != year.year:
            raise ValidationError(
                {"booked_on": [_("The date must be in %(year)s.") % {"year": year.year}]}
            )
        if booked_on > clock.today():
            raise ValidationError({"booked_on": [_("The date cannot be after today.")]})
        left = locked.amount_sek - booked_sek(locked)
        if amount > left:
            raise ValidationError(
                {
                    "amount_sek": [
                        _("Only %(left)s of the pool's %(total)s is left to book.")
                        % {"left": kronor(left), "total": kronor(locked.amount_sek)}
                    ]
                }
            )
        entry = CostEntry.objects.create(
            pool=locked,
            appropriation_line=locked.appropriation_line,
            booked_on=booked_on,
            amount_sek=amount,
            description=text,
            created_by=user,
        )
        record(
            user,
            AuditAction.COST_RECORDED,
            entry,
            after={
                "pool": locked.slug,
                "booked_on": booked_on.isoformat(),
                "amount_sek": amount,
                "description": text,
            },
        )
    return entry
