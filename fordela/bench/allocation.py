"""Benchmark of allocation keys: ``make bench-allocation`` (``python -m
fordela.bench.allocation``).

1. **The engine** (``allocation.apportionment``, no database): one key of
   75 000 000 kr for 290, 10 000 and 100 000 organisations (populations drawn
   from a fixed seed, shaped like Swedish kommuner), best of several runs with
   the garbage collector paused (as ``timeit`` does).
2. **The database round trip** (``--engine-only`` skips it): the same key for
   10 000 and 100 000 organisations through the services on PostgreSQL:
   ``compute_key`` (read the organisations and populations, apportion, store
   the allocations with one ``bulk_create``) and ``freeze_key`` (lock,
   reconcile the stored sum, publish), best of a few runs, the garbage
   collector running as in a real run. It uses a throwaway database: the test
   profile's (``fordela.settings.test``: PostgreSQL at ``DATABASE_URL``, a
   database ``test_fordela_<pid>`` of its own, created, migrated and dropped
   at the end). Each run adds its organisations (codes of six digits, so the
   longer code columns are used) inside a transaction that is rolled back, so
   every run starts from the same empty tables; adding them is not timed.

Each part prints the time per organisation relative to its smallest size, so
that linear growth shows as a ratio near 1.
"""

import argparse
import datetime
import gc
import os
import random
import sys
import time

from fordela.allocation.apportionment import Claimant, apportion

SIZES = (290, 10_000, 100_000)
DATABASE_SIZES = (10_000, 100_000)
POOL_SEK = 75_000_000
GRANT_YEAR = 2021


def claimants(count: int, seed: int = 2021) -> list[Claimant]:
    rng = random.Random(seed)
    # Log-uniform between 2 500 and 1 000 000 inhabitants.
    return [Claimant(f"{i:06d}", int(2_500 * (400 ** rng.random()))) for i in range(count)]


def best_time(count: int, repeats: int) -> float:
    data = claimants(count)
    rng = random.Random(count)
    rng.shuffle(data)
    best = float("inf")
    # Like timeit: the cyclic garbage collector is paused while timing, so
    # its full-heap passes (which grow with everything alive) do not blur
    # the engine's own cost.
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            shares = apportion(POOL_SEK, data)
            best = min(best, time.perf_counter() - start)
            assert sum(s.amount for s in shares) == POOL_SEK
            del shares
    finally:
        gc.enable()
    return best


def engine() -> bool:
    print(f"Apportionment of {POOL_SEK:,} kr by population (largest remainder), best of runs")
    print(f"{'organisations':>14} {'seconds':>10} {'µs/organisation':>16} {'ratio':>7}")
    base_per_item = None
    results = {}
    for count in SIZES:
        seconds = best_time(count, repeats=20 if count < 50_000 else 5)
        per_item = seconds / count
        base_per_item = base_per_item or per_item
        results[count] = seconds
        print(
            f"{count:>14,} {seconds:>10.4f} {per_item * 1e6:>16.2f} {per_item / base_per_item:>7.2f}"
        )
    largest = SIZES[-1]
    ok = results[largest] < 1.0
    print(
        f"{largest:,} organisations in {results[largest]:.3f} s (goal < 1 s): "
        f"{'OK' if ok else 'TOO SLOW'}"
    )
    return ok


# ------------------------------------------------------ database round trip


def add_register(count: int):
    """A requisition pool for kommuner in ``GRANT_YEAR`` and ``count``
    organisations with a kommun code of six digits and a population on the
    key's date, written with ``bulk_create``. Returns the pool."""
    from fordela.allocation.services import population_date_for
    from fordela.organisations.models import Organisation, OrganisationKind, Population
    from fordela.programmes.models import Eligibility, Pool, PoolKind, Programme, ProgrammeYear

    programme = Programme.objects.create(
        reference_number="BENCH/ALLOCATION",
        slug="bench-allocation",
        title="Benchmark",
        decision_date=datetime.date(GRANT_YEAR - 1, 3, 1),
        first_year=GRANT_YEAR,
        last_year=GRANT_YEAR,
    )
    pool = Pool.objects.create(
        programme_year=ProgrammeYear.objects.create(programme=programme, year=GRANT_YEAR),
        slug="kommuner",
        name="Kommuner",
        kind=PoolKind.REQUISITION,
        eligibility=Eligibility.MUNICIPALITIES,
        amount_sek=POOL_SEK,
    )
    people = claimants(count)
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"Organisation {claimant.code}",
                kind=OrganisationKind.KOMMUN,
                municipality_code=claimant.code,
                reference_key=f"bench-{claimant.code}",
            )
            for claimant in people
        ),
        batch_size=10_000,
    )
    date = population_date_for(GRANT_YEAR)
    Population.objects.bulk_create(
        (
            Population(organisation=organisation, reference_date=date, population=claimant.weight)
            for organisation, claimant in zip(organisations, people, strict=True)
        ),
        batch_size=10_000,
    )
    return pool


class RolledBack(Exception):
    pass


def round_trip(count: int) -> tuple[float, float]:
    """Seconds to compute and store, and to publish, a key for ``count``
    organisations; everything it wrote is rolled back."""
    from django.db import transaction

    from fordela.allocation.services import compute_key, freeze_key

    try:
        with transaction.atomic():
            pool = add_register(count)
            start = time.perf_counter()
            key = compute_key(pool)
            computed = time.perf_counter()
            key = freeze_key(key)
            published = time.perf_counter()
            assert key.is_frozen and key.allocations.count() == count
            raise RolledBack
    except RolledBack:
        pass
    return computed - start, published - computed


def database(repeats: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fordela.settings.test")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The database round trip needs PostgreSQL (DATABASE_URL).")
    old_name = connection.settings_dict["NAME"]
    print()
    print("Compute, store and publish on PostgreSQL (compute_key, freeze_key), best of runs")
    print("Creating and migrating a throwaway database …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(
            f"{'organisations':>14} {'compute+store s':>16} {'publish s':>10} "
            f"{'ms/organisation':>16} {'ratio':>7}"
        )
        base_per_item = None
        for count in DATABASE_SIZES:
            runs = [round_trip(count) for _ in range(repeats)]
            compute, publish = min(runs, key=sum)
            per_item = (compute + publish) / count
            base_per_item = base_per_item or per_item
            print(
                f"{count:>14,} {compute:>16.2f} {publish:>10.3f} "
                f"{per_item * 1e3:>16.3f} {per_item / base_per_item:>7.2f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine-only", action="store_true", help="skip the database round trip")
    parser.add_argument("--repeats", type=int, default=3, help="database runs per size")
    args = parser.parse_args(argv)
    ok = engine()
    if not args.engine_only:
        database(args.repeats)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
