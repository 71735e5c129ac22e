"""The uptake map's classes and numbers (fordela/reporting/measures.py), on
rows made by hand: the bounds, the rounding and the sentences."""

from fractions import Fraction

import pytest
from django.utils import translation

from fordela.reporting import measures
from fordela.reporting.measures import Row


def row(requisitioned=0, allocated=1000, population=100, status=None, code="0001"):
    return Row(
        code=code,
        name=f"K{code}",
        county="X",
        population=population,
        allocated_sek=allocated,
        requisitioned_sek=requisitioned,
        status=status,
    )


@pytest.mark.parametrize(
    ("requisitioned", "klass"),
    [(0, 0), (1, 1), (499, 1), (500, 2), (899, 2), (900, 3), (999, 3), (1000, 4)],
)
def test_share_classes_have_fixed_bounds(requisitioned, klass):
    rows = [row(requisitioned)]
    measures.classify(measures.SHARE, rows)
    assert rows[0].klass == klass


def test_share_is_shown_rounded_down():
    r = row(9996, allocated=10000)
    assert r.share == Fraction(9996, 10000)
    assert r.share_permille == 999
    with translation.override("sv"):
        assert measures.share_text(r.share_permille) == "99,9\u00a0%"


def test_kronor_per_inhabitant_is_whole_ore_half_up():
    assert row(1, population=200).per_capita_ore == 1  # 0.5 öre → 1
    assert row(1, population=201).per_capita_ore == 0
    assert row(723, population=100).per_capita_ore == 723
    assert row(5, population=0).per_capita_ore is None
    assert row(5, allocated=None).per_capita_ore is None


@pytest.mark.parametrize(
    ("maximum", "step"),
    [(0, 20), (100, 20), (101, 25), (723, 200), (1000, 200), (1001, 250), (40_000, 10_000)],
)
def test_the_kronor_classes_are_five_nice_steps(maximum, step):
    assert measures.nice_step(maximum) == step
    assert 5 * step >= maximum


def test_kronor_classes_for_a_known_data_set():
    # 7,23 kr is the most: steps of 2 kr, 0–2, 2–4, 4–6, 6–8, 8–10.
    rows = [
        row(723, population=100, code="a"),
        row(400, population=100, code="b"),
        row(399, population=100, code="c"),
        row(0, population=100, code="d"),
        row(0, allocated=None, code="e"),
    ]
    with translation.override("sv"):
        klasses = measures.classify(measures.KRONOR, rows)
        assert [k.label for k in klasses] == [
            "0 till under 2 kr",
            "2 till under 4 kr",
            "4 till under 6 kr",
            "6 till under 8 kr",
            "8 till 10 kr",
        ]
    assert [r.klass for r in rows] == [3, 2, 1, 0, None]
    assert [k.count for k in klasses] == [1, 1, 1, 1, 0]
    assert len({k.colour for k in klasses}) == 5


def test_status_takes_its_own_class_and_no_report_is_no_data():
    rows = [row(status=s, code=s) for s in measures.STATUS_ORDER] + [row(code="none")]
    klasses = measures.classify(measures.STATUS, rows)
    assert [r.klass for r in rows] == [0, 1, 2, 3, 4, None]
    assert len(klasses) == 5


def test_the_summary_says_the_main_finding():
    rows = [row(1000, code="a"), row(400, code="b"), row(0, code="c")]
    with translation.override("sv"):
        assert measures.summary(measures.SHARE, rows, "kommuner", 2021) == (
            "1 av 3 kommuner rekvirerade hela sin fördelning för 2021, 1 en del av den "
            "och 1 ingenting."
        )
        assert measures.summary(measures.KRONOR, rows, "kommuner", 2021) == (
            "2 av 3 kommuner rekvirerade medel för 2021, sammanlagt 1\u202f400\u00a0kr "
            "eller 4,67\u00a0kr per invånare."
        )
        assert "ingen data" in measures.summary(measures.SHARE, [], "regioner", 2021)
