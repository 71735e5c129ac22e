"""Computing and publishing allocation keys (fördelningsnycklar)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock, states
from fordela.core.formatting import grouped
from fordela.organisations.models import Organisation, Population
from fordela.programmes.models import Eligibility, Pool, PoolKind

from .apportionment import Claimant, apportion
from .models import KEY_TRANSITIONS, Allocation, AllocationKey, KeyStatus


class AllocationError(Exception):
    """A key cannot be computed or changed; the message is for the user."""


def population_date_for(year: int) -> datetime.date:
    """decisions.md 1: population on 31 December of the year before the grant year."""
    return datetime.date(year - 1, 12, 31)


@dataclass(frozen=True)
class Recipient:
    organisation: Organisation
    code: str
    population: int


def eligible_recipients(pool: Pool, population_date: datetime.date) -> list[Recipient]:
    """The organisations a requisition pool is split over, each with its code in
    that pool and its population on the date. Every one must have a population
    for the date, or the key would silently leave someone out."""
    if pool.eligibility == Eligibility.MUNICIPALITIES:
        organisations = Organisation.objects.filter(municipality_code__isnull=False)
        code_of = lambda organisation: organisation.municipality_code  # noqa: E731
    elif pool.eligibility == Eligibility.REGIONS:
        organisations = Organisation.objects.filter(region_county_code__isnull=False)
        code_of = lambda organisation: organisation.region_county_code  # noqa: E731
    else:
        raise AllocationError(_("Only pools for kommuner or regioner are split by population."))
    populations = dict(
        Population.objects.filter(
            organisation__in=organisations, reference_date=population_date
        ).values_list("organisation_id", "population")
    )
    recipients = []
    missing = []
    for organisation in organisations.order_by("pk"):
        if organisation.pk not in populations:
            missing.append(organisation.name)
            continue
        recipients.append(
            Recipient(organisation, code_of(organisation), populations[organisation.pk])
        )
    if missing:
        raise AllocationError(
            _("Population on %(date)s is missing for: %(names)s.")
            % {"date": population_date.isoformat(), "names": ", ".join(sorted(missing))}
        )
    if not recipients:
        raise AllocationError(
            _("There are no organisations to allocate to. Load the reference data first.")
        )
    return recipients


def compute_key(pool: Pool, actor=None) -> AllocationKey:
    """Compute (or recompute) the draft key of a requisition pool.

    A published key is never recomputed.
    """
    if pool.kind != PoolKind.REQUISITION:
        raise AllocationError(_("Only requisition pools have an allocation key."))
    population_date = population_date_for(pool.programme_year.year)
    with transaction.atomic():
        pool = Pool.objects.select_for_update().get(pk=pool.pk)
        key = AllocationKey.objects.filter(pool=pool).first()
        if key is not None and key.is_frozen:
            raise AllocationError(_("The allocation key is published and can no longer change."))
        recipients = eligible_recipients(pool, population_date)
        by_code = {recipient.code: recipient for recipient in recipients}
        shares = apportion(pool.amount_sek, (Claimant(r.code, r.population) for r in recipients))
        before = None
        if key is None:
            key = AllocationKey(pool=pool)
        else:
            before = {
                "amount_sek": key.amount_sek,
                "population_date": key.population_date.isoformat(),
            }
            key.allocations.all().delete()
        key.population_date = population_date
        key.total_population = sum(r.population for r in recipients)
        key.amount_sek = pool.amount_sek
        key.save()
        Allocation.objects.bulk_create(
            Allocation(
                key=key,
                organisation=by_code[share.code].organisation,
                code=share.code,
                population=share.weight,
                amount_sek=share.amount,
            )
            for share in shares
        )
        record(
            actor,
            AuditAction.ALLOCATION_KEY_COMPUTED,
            key,
            before=before,
            after={
                "amount_sek": key.amount_sek,
                "population_date": population_date.isoformat(),
                "organisations": len(shares),
            },
        )
    return key


def freeze_key(key: AllocationKey, actor=None) -> AllocationKey:
    """Publish a key. Checks that it still balances to the krona first."""
    with transaction.atomic():
        # The pool first, then the key, as compute_key: a recomputation in
        # progress is waited for, and the key is checked as it left it.
        Pool.objects.select_for_update().get(pk=key.pool_id)
        key = (
            AllocationKey.objects.select_for_update(of=("self",))
            .select_related("pool")
            .get(pk=key.pk)
        )
        try:
            states.move(
                key,
                KeyStatus.FROZEN,
                KEY_TRANSITIONS,
                _("The allocation key is already published."),
            )
        except ValidationError as refusal:
            raise AllocationError(refusal.messages[0]) from None
        problems = reconcile_key(key)
        if problems:
            raise AllocationError(" ".join(problems))
        key.frozen_at = clock.now()
        key.frozen_by = actor if getattr(actor, "is_authenticated", False) else None
        key.save(update_fields=["status", "frozen_at", "frozen_by"])
        record(
            actor,
            AuditAction.ALLOCATION_KEY_PUBLISHED,
            key,
            before={"status": "draft"},
            after={"status": "frozen"},
        )
    return key


def reconcile_key(key: AllocationKey) -> list[str]:
    """Return what is wrong with a key's balance (empty when it balances)."""
    problems = []
    total = key.allocations.aggregate(total=Sum("amount_sek"))["total"] or 0
    if total != key.amount_sek:
        problems.append(
            _("The allocations add up to %(sum)s kr but the key is for %(amount)s kr.")
            % {"sum": grouped(total), "amount": grouped(key.amount_sek)}
        )
    if key.amount_sek != key.pool.amount_sek:
        problems.append(
            _("The key is for %(key)s kr but the pool now holds %(pool)s kr.")
            % {"key": grouped(key.amount_sek), "pool": grouped(key.pool.amount_sek)}
        )
    return problems
