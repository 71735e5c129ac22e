"""The shapes of the API's responses (version 1). Field names are English,
amounts whole kronor (integers, ``*_sek``), dates ISO 8601 (``2021-10-01``),
times ISO 8601 with offset. Organisations carry no personal data: no
contact persons, e-mail addresses, phone numbers or bank giro numbers."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from fordela.organisations.models import OrganisationKind
from fordela.programmes.models import Eligibility, PoolKind

# The enumerations follow the models' choices (their stored values).
PoolKindValue = Literal[tuple(PoolKind.values)]
EligibilityValue = Literal[tuple(Eligibility.values)]
OrganisationKindValue = Literal[tuple(OrganisationKind.values)]


class Error(Schema):
    detail: str = Field(description="What was wrong, in English.")


class ValidationErrors(Schema):
    detail: list[dict] = Field(description="Each invalid parameter: its location and the problem.")


class Organisation(Schema):
    id: int = Field(description="Fördela's id of the organisation (stable).")
    name: str
    kind: OrganisationKindValue
    organisation_number: str | None = Field(
        description="Swedish organisation number, ten digits without hyphen; null when unknown."
    )
    municipality_code: str | None = Field(description="SCB kommunkod (kommuner).")
    region_county_code: str | None = Field(description="SCB länskod of the län it is region for.")
    county_code: str | None = Field(description="SCB länskod of the län it lies in.")


class YearSummary(Schema):
    year: int
    total_sek: int | None = Field(description="The year's total in the government decision.")
    url: str


class Programme(Schema):
    slug: str
    reference_number: str = Field(description="The government decision's diarienummer.")
    title: str
    decision_date: datetime.date
    first_year: int
    last_year: int
    final_report_due: datetime.date | None
    url: str


class ProgrammeDetail(Programme):
    description: str
    years: list[YearSummary]
    allocation_keys_url: str
    redistributions_url: str


class AppropriationLine(Schema):
    expenditure_area: int = Field(description="Utgiftsområde (UO).")
    appropriation: str = Field(description="Anslag, e.g. 4:7.")
    appropriation_item: int = Field(description="Anslagspost (ap.).")
    name: str
    amount_sek: int


class Pool(Schema):
    programme: str = Field(description="The programme's slug.")
    year: int
    slug: str
    name: str
    kind: PoolKindValue
    eligibility: EligibilityValue
    amount_sek: int
    top_up_of: str | None = Field(description="Slug of the pool this one tops up.")
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    use_until: datetime.date | None
    report_due: datetime.date | None
    allows_redistribution: bool
    url: str
    allocation_key_url: str | None = Field(description="Only when the key is published.")
    redistribution_url: str | None = Field(description="Only when it is confirmed.")
    grants_url: str


class ProgrammeYear(Schema):
    programme: str
    year: int
    total_sek: int | None
    total_source: str
    appropriation_lines: list[AppropriationLine]
    pools: list[Pool]


class AllocationKey(Schema):
    programme: str
    year: int
    pool: str = Field(description="The pool's slug.")
    amount_sek: int = Field(description="The amount the key splits.")
    allocated_sek: int = Field(description="The sum of its allocations (equals amount_sek).")
    population_date: datetime.date
    total_population: int
    allocation_count: int
    published_at: datetime.datetime
    url: str
    allocations_url: str


class Allocation(Schema):
    code: str = Field(description="The organisation's code in this key (kommunkod or länskod).")
    organisation: Organisation
    population: int
    amount_sek: int


class Redistribution(Schema):
    programme: str
    year: int
    pool: str
    allocated_sek: int
    requisitioned_sek: int
    unrequisitioned_sek: int
    redistributed_sek: int
    unallocated_sek: int
    population_date: datetime.date
    confirmed_at: datetime.datetime
    share_count: int
    url: str
    shares_url: str


class RedistributionShare(Schema):
    code: str
    organisation: Organisation
    population: int
    amount_sek: int


class Grant(Schema):
    id: str = Field(
        description="Stable id: requisition-<n> for a paid requisition, "
        "decision-<n> for a decided application."
    )
    type: Literal["requisition", "application"]
    programme: str
    year: int
    pool: str
    recipient: Organisation
    case_number: str
    title: str | None = Field(description="The project's title (applications only).")
    amount_sek: int = Field(description="Requisitioned (paid) or granted amount.")
    redistributed_sek: int = Field(
        description="The requisition's share of the pool's redistribution (0 for applications)."
    )
    decided_on: datetime.date | None = Field(description="The decision's date (applications).")
    paid_on: datetime.date | None = Field(description="When the amount was paid, if it has been.")


class Page(Schema):
    count: int = Field(description="Rows in the whole list.")
    limit: int
    offset: int
    next: str | None = Field(description="The next page's URL; null on the last page.")
    previous: str | None = Field(description="The previous page's URL; null on the first.")


class ProgrammePage(Page):
    results: list[Programme]


class PoolPage(Page):
    results: list[Pool]


class AllocationKeyPage(Page):
    results: list[AllocationKey]


class AllocationPage(Page):
    results: list[Allocation]


class RedistributionPage(Page):
    results: list[Redistribution]


class RedistributionSharePage(Page):
    results: list[RedistributionShare]


class GrantPage(Page):
    results: list[Grant]
