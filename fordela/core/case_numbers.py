"""Case numbers (*diarienummer*) ``YYYY-SS-NNNN``: one running number per year
and series, for every kind of case."""

from django.db import transaction

from .models import CaseNumberCounter

# The series of each kind of case.
REQUISITIONS = "10"
APPLICATIONS = "20"
# Applications in a region's own sub-grant round (regional.SubGrantApplication).
REGIONAL_APPLICATIONS = "30"
# Running numbers that are not case numbers (recovery invoices, credit notes)
# come from the same counters, in series of their own.
INVOICES = "90"
CREDIT_NOTES = "91"


def format_case_number(year: int, series: str, number: int) -> str:
    return f"{year}-{series}-{number:04d}"


def next_case_number(year: int, series: str) -> str:
    """The next case number of ``series`` in ``year`` (``next_number``)."""
    return format_case_number(year, series, next_number(year, series))


def next_number(year: int, series: str) -> int:
    """The next running number of ``series`` in ``year``, drawn inside the
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
    return counter.last_number
