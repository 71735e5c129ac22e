"""The numbers of government assignment S2020/01591, as stated in the sources
(DEVELOPERS.md; ../shared/design/domain.md §2.1). Where a source states no
date, the field is left empty rather than guessed, except where noted."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from fordela.audit.actions import AuditAction
from fordela.audit.services import record

from .models import AppropriationLine, Eligibility, Pool, PoolKind, Programme, ProgrammeYear
from .queries import programme_slug

REFERENCE_NUMBER = "S2020/01591"
D = datetime.date


@dataclass(frozen=True)
class PoolSpec:
    slug: str
    name: str
    kind: str
    eligibility: str
    amount_sek: int
    source: str
    top_up_of: str | None = None
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    allows_redistribution: bool = False
    # (UO, anslag, anslagspost) of the one appropriation line that funds the
    # pool, when the source names one (facts-second-half.md §1).
    line: tuple[int, str, int] | None = None


@dataclass(frozen=True)
class YearSpec:
    year: int
    pools: list[PoolSpec]
    total_sek: int | None = None
    total_source: str = ""
    lines: list[tuple[int, str, int, str, int]] = field(default_factory=list)


DECISION = "Regeringsbeslut 2020-03-12 S2020/01591/SOF (delvis) I:5"
SEED = "Källdokumenten (DEVELOPERS.md)"
# The kompetensstöd (the agency's own costs, the special stimulus funds and
# the amounts to Jämställdhetsmyndigheten, NCK and Barnafrid) and Vårdanalys'
# evaluation come from UO 9, 4:7, ap. 8 (facts-second-half.md §1). The
# utvecklingsmedel (kommuner, regioner, ideella) draw on UO 9 4:7 ap. 8 and
# UO 13 3:1 ap. 8 together with no split per pool stated, so those pools name
# no line; nor does any pool of 2021 and 2022, whose decisions state no lines.
KOMPETENSSTOD_LINE = (9, "4:7", 8)


def _requisition_pools(year: int) -> list[PoolSpec]:
    # Region round 2020 opened 2020-04-15 with last day 2020-09-01 (Socialstyrelsen's
    # grant page); the same dates are used for kommuner and for later years
    # until the year's own decision gives others.
    opens, closes = D(year, 4, 15), D(year, 9, 1)
    return [
        PoolSpec(
            "kommuner",
            "Kommuner",
            PoolKind.REQUISITION,
            Eligibility.MUNICIPALITIES,
            75_000_000,
            DECISION,
            opens_on=opens,
            closes_on=closes,
            allows_redistribution=True,
        ),
        PoolSpec(
            "regioner",
            "Regioner",
            PoolKind.REQUISITION,
            Eligibility.REGIONS,
            31_500_000,
            DECISION,
            opens_on=opens,
            closes_on=closes,
            allows_redistribution=True,
        ),
    ]


def _other_pools(year: int) -> list[PoolSpec]:
    line = KOMPETENSSTOD_LINE if year == 2020 else None
    ngo_dates = {}
    if year == 2022:
        # Call for 2022: 2021-10-18 → 2021-12-21 (Socialstyrelsen's NGO grant page).
        ngo_dates = {"opens_on": D(2021, 10, 18), "closes_on": D(2021, 12, 21)}
    return [
        PoolSpec(
            "ideella",
            "Ideella föreningar och stiftelser",
            PoolKind.APPLICATION,
            Eligibility.NONPROFITS,
            8_000_000,
            DECISION,
            **ngo_dates,
        ),
        PoolSpec(
            "stimulans",
            "Särskilda stimulansmedel",
            PoolKind.APPLICATION,
            Eligibility.STIMULUS_RECIPIENTS,
            7_000_000,
            SEED,
            line=line,
        ),
        PoolSpec(
            "myndighet",
            "Socialstyrelsens kostnader",
            PoolKind.AGENCY_COST,
            Eligibility.AGENCY,
            4_000_000,
            SEED,
            line=line,
        ),
    ]


def _transfers_2020() -> list[PoolSpec]:
    """What the 2020 decision gives other agencies: 500 000 kr each to
    Jämställdhetsmyndigheten, NCK (Uppsala universitet) and Barnafrid
    (Linköpings universitet) of the kompetensstöd, and 500 000 kr to
    Vårdanalys for its evaluation (facts-second-half.md §1)."""
    return [
        PoolSpec(
            slug,
            name,
            PoolKind.TRANSFER,
            Eligibility.NAMED_AGENCY,
            500_000,
            DECISION,
            line=KOMPETENSSTOD_LINE,
        )
        for slug, name in (
            ("jamstalldhetsmyndigheten", "Jämställdhetsmyndigheten (kompetensstöd)"),
            ("nck", "Nationellt centrum för kvinnofrid, Uppsala universitet (kompetensstöd)"),
            ("barnafrid", "Barnafrid, Linköpings universitet (kompetensstöd)"),
            ("vardanalys", "Myndigheten för vård- och omsorgsanalys (utvärdering)"),
        )
    ]


def _top_ups_2021() -> list[PoolSpec]:
    closes = D(2021, 10, 1)
    return [
        PoolSpec(
            "kommuner-pafyllnad",
            "Kommuner, påfyllnad",
            PoolKind.REQUISITION,
            Eligibility.MUNICIPALITIES,
            5_000_000,
            SEED,
            top_up_of="kommuner",
            closes_on=closes,
            allows_redistribution=True,
        ),
        PoolSpec(
            "regioner-pafyllnad",
            "Regioner, påfyllnad",
            PoolKind.REQUISITION,
            Eligibility.REGIONS,
            6_500_000,
            SEED,
            top_up_of="regioner",
            closes_on=closes,
            allows_redistribution=True,
        ),
    ]


YEARS = [
    YearSpec(
        2020,
        _requisition_pools(2020) + _other_pools(2020) + _transfers_2020(),
        total_sek=127_500_000,
        total_source=DECISION,
        lines=[
            (
                9,
                "4:7",
                8,
                "Bidrag till utveckling av socialt arbete m.m. – Motverka våld mot kvinnor och barn",
                # 71 000 000 of the utvecklingsmedel, 12 500 000 kompetensstöd,
                # 500 000 Vårdanalys (facts-second-half.md §1).
                84_000_000,
            ),
            (
                13,
                "3:1",
                8,
                "Särskilda jämställdhetsåtgärder – del till Socialstyrelsen",
                43_500_000,
            ),
        ],
    ),
    YearSpec(2021, _requisition_pools(2021) + _top_ups_2021() + _other_pools(2021)),
    YearSpec(2022, _requisition_pools(2022) + _other_pools(2022)),
]


@transaction.atomic
def seed_programme(actor: str = "seed_programme") -> Programme:
    """Create or update the programme with its years, lines and pools. Idempotent."""
    programme, created = Programme.objects.update_or_create(
        reference_number=REFERENCE_NUMBER,
        defaults={
            "slug": programme_slug(REFERENCE_NUMBER),
            "title": "Utvecklingsmedel för arbete mot våld i nära relationer m.m. 2020–2022",
            "decision_date": D(2020, 3, 12),
            "first_year": 2020,
            "last_year": 2022,
            "final_report_due": D(2023, 9, 30),
            "description": (
                "Regeringen har gett Socialstyrelsen i uppdrag att fördela utvecklingsmedel till "
                "kommuner, regioner och ideella organisationer och att ge kompetensstöd för "
                "arbetet mot våld i nära relationer, hedersrelaterat våld och förtryck samt "
                "prostitution och människohandel."
            ),
        },
    )
    for spec in YEARS:
        programme_year, _ = ProgrammeYear.objects.update_or_create(
            programme=programme,
            year=spec.year,
            defaults={"total_sek": spec.total_sek, "total_source": spec.total_source},
        )
        lines: dict[tuple[int, str, int], AppropriationLine] = {}
        for area, appropriation, item, name, amount in spec.lines:
            lines[(area, appropriation, item)], _ = AppropriationLine.objects.update_or_create(
                programme_year=programme_year,
                expenditure_area=area,
                appropriation=appropriation,
                appropriation_item=item,
                defaults={"name": name, "amount_sek": amount},
            )
        by_slug: dict[str, Pool] = {}
        for pool_spec in spec.pools:
            pool, _ = Pool.objects.update_or_create(
                programme_year=programme_year,
                slug=pool_spec.slug,
                defaults={
                    "name": pool_spec.name,
                    "kind": pool_spec.kind,
                    "eligibility": pool_spec.eligibility,
                    "amount_sek": pool_spec.amount_sek,
                    "top_up_of": by_slug.get(pool_spec.top_up_of) if pool_spec.top_up_of else None,
                    "opens_on": pool_spec.opens_on,
                    "closes_on": pool_spec.closes_on,
                    "use_until": D(spec.year, 12, 31),
                    "report_due": D(spec.year + 1, 3, 31),
                    "allows_redistribution": pool_spec.allows_redistribution,
                    "source": pool_spec.source,
                    "appropriation_line": lines[pool_spec.line] if pool_spec.line else None,
                },
            )
            by_slug[pool.slug] = pool
    record(
        actor,
        AuditAction.PROGRAMME_SEEDED if created else AuditAction.PROGRAMME_RESEEDED,
        programme,
    )
    return programme
