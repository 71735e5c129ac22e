"""Case numbers (*diarienummer*) ``YYYY-SS-NNNN``: one running number per year
and series, for every kind of case."""

from django.db import transaction

from .models import CaseNumberCounter

# The series of each kind of case.
REQUISITIONS = "10"
APPLICATIONS = "20"


def format_case_number(year: int, series: str, number: int) -> str:
    return f"{year}-{series}-{number:04d}"


def next_case_number(year: int, series: str) -> str:
    """The next case number of ``series`` in ``year``, drawn inside the
    caller's transaction. The counter row stays locked until that transaction
    ends, so two cases never get the same number, and a rolled-back case gives
    its number back (no gaps)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Draw a case number inside the transaction that uses it.")
    # get_or_create: a concurrent first draw of the year loses the INSERT race,
    # then waits for the winner's lock and reads its row.
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
        year=year, series=series
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_case_number(year, series, counter.last_number)
