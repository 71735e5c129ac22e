"""The public list of grants of a call (*beviljade ansökningar*, CSV) in the
product's one dialect (``fordela.core.exports``), with Swedish headings."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse

from fordela.core.exports import csv_response

from .models import Call, Decision

GRANTED_HEADER = [
    "Diarienummer",
    "Organisation",
    "Organisationsnummer",
    "Län",
    "Beviljat belopp (kr)",
]


def granted_filename(call: Call) -> str:
    year = call.pool.programme_year
    return f"beviljade-{year.programme.slug}-{year.year}-{call.pool.slug}.csv"


def granted_rows(decisions: Iterable[Decision]) -> Iterator[list[Any]]:
    """One row per grant (decisions with application and organisation
    selected); organisation number and län are empty where unknown."""
    for decision in decisions:
        organisation = decision.application.organisation
        yield [
            decision.application.case_number,
            organisation.name,
            organisation.formatted_organisation_number,
            organisation.county_name,
            decision.amount_sek,
        ]


def granted_csv(call: Call, decisions: Iterable[Decision]) -> HttpResponse:
    return csv_response(granted_filename(call), GRANTED_HEADER, granted_rows(decisions))
