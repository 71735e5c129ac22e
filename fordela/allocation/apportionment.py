"""Apportionment of a whole-krona amount by weight (population).

Pure and typed, with no Django import, so it can be tested and benchmarked on
its own. Implements decisions.md 1–2:

* the exact quota of claimant *i* is ``total * weight_i / sum(weights)``, a
  rational number. It is never computed as a float: the floor and the
  remainder come from integer division of ``total * weight_i`` by the weight
  sum, so every comparison below is exact;
* everyone first gets the floor of their quota; the kronor left over (fewer
  than the number of claimants) go one each to the largest fractional parts
  (largest remainder, Hamilton's method);
* ties between equal fractional parts go to the larger weight, then to the
  code in ascending (string) order. Input order never matters.

The sum of the shares is always exactly ``total`` and every share is within
1 kr of its exact quota (strictly less than 1 kr away).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Claimant:
    """One party in an apportionment: a stable code and a non-negative weight."""

    code: str
    weight: int


class Share(NamedTuple):
    """One claimant's result. (A named tuple: cheap to create by the 100 000.)"""

    code: str
    weight: int
    amount: int
    # The exact quota is quota_numerator / weight_sum (kept as two integers;
    # ``quota`` gives it as a Fraction when needed).
    quota_numerator: int
    weight_sum: int

    @property
    def quota(self) -> Fraction:
        return Fraction(self.quota_numerator, self.weight_sum)


class ApportionmentError(ValueError):
    """The input cannot be apportioned (no weight, negative numbers, duplicate codes)."""


def apportion(total: int, claimants: Iterable[Claimant]) -> list[Share]:
    """Split ``total`` whole kronor over ``claimants`` in proportion to weight.

    Returns one share per claimant, sorted by code.
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise ApportionmentError("The total must be a whole number of kronor.")
    if total < 0:
        raise ApportionmentError("The total cannot be negative.")
    people: Sequence[Claimant] = sorted(claimants, key=lambda c: c.code)
    if not people:
        raise ApportionmentError("There is nobody to apportion to.")
    weight_sum = 0
    previous_code = None
    for claimant in people:
        if claimant.weight < 0:
            raise ApportionmentError(f"Negative weight for {claimant.code}.")
        if claimant.code == previous_code:
            raise ApportionmentError(f"The code {claimant.code} occurs twice.")
        previous_code = claimant.code
        weight_sum += claimant.weight
    if weight_sum == 0:
        raise ApportionmentError("The weights add up to zero.")

    floors: list[int] = []
    remainders: list[int] = []  # numerators of the fractional parts, over weight_sum
    for claimant in people:
        floor, remainder = divmod(total * claimant.weight, weight_sum)
        floors.append(floor)
        remainders.append(remainder)

    left_over = total - sum(floors)  # 0 <= left_over < len(people)
    if left_over:
        # Largest remainder first, then larger weight, then code ascending
        # (people are already in code order and the sort is stable). The two
        # integers are packed into one sort key: weights are below
        # ``weight_sum + 1``, so remainder decides first and weight second.
        radix = weight_sum + 1
        order = sorted(
            range(len(people)),
            key=lambda i: -(remainders[i] * radix + people[i].weight),
        )
        for index in order[:left_over]:
            floors[index] += 1

    return [
        Share(
            code=claimant.code,
            weight=claimant.weight,
            amount=amount,
            quota_numerator=total * claimant.weight,
            weight_sum=weight_sum,
        )
        for claimant, amount in zip(people, floors, strict=True)
    ]
