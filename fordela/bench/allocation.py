"""Benchmark of the apportionment engine: ``python -m fordela.allocation.bench``.

Times one key for 290, 10 000 and 100 000 organisations (populations drawn
from a fixed seed, shaped like Swedish kommuner), best of several runs, and
prints the time per organisation relative to the smallest size so that
linear growth shows as a ratio near 1.
"""

import gc
import random
import sys
import time

from fordela.allocation.apportionment import Claimant, apportion

SIZES = (290, 10_000, 100_000)
POOL_SEK = 75_000_000


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


def main() -> int:
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
    verdict = "OK" if results[largest] < 1.0 else "TOO SLOW"
    print(f"{largest:,} organisations in {results[largest]:.3f} s (goal < 1 s): {verdict}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
