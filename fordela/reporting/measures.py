"""The uptake map's measures, classes and sentences (issue 19 §4). Pure:
rows in, classes and text out; ``uptake.py`` reads the rows from the
database, ``svgmap.py`` draws them.

Numbers stay exact: money is whole kronor, kronor per inhabitant is whole
öre (rounded half up), a share is compared as an exact fraction and shown
in tenths of a percent rounded down (so 99.96 % never reads 100.0 %).
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fordela.core.formatting import kronor

KRONOR = "kronor"
SHARE = "andel"
STATUS = "aterrapport"
MEASURES = {
    KRONOR: gettext_lazy("Kronor per inhabitant requisitioned"),
    SHARE: gettext_lazy("Share of the allocation requisitioned"),
    STATUS: gettext_lazy("Follow-up report status"),
}
DEFAULT_MEASURE = KRONOR

# Sequential, light = little: viridis in five steps (colour-blind safe,
# readable in greyscale).
SEQUENTIAL = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")

# Report status: the Okabe–Ito colours (designed to be told apart with every
# common colour-vision deficiency), worst first so a mixed organisation
# takes the worst of its reports.
OVERDUE = "overdue"
REJECTED = "rejected"
TO_REPORT = "to_report"
SUBMITTED = "submitted"
APPROVED = "approved"
STATUSES = {
    OVERDUE: (gettext_lazy("Overdue"), "#d55e00"),
    REJECTED: (gettext_lazy("Not approved"), "#cc79a7"),
    TO_REPORT: (gettext_lazy("To be reported, not yet due"), "#f0e442"),
    SUBMITTED: (gettext_lazy("Submitted, being reviewed"), "#56b4e9"),
    APPROVED: (gettext_lazy("Approved"), "#009e73"),
}
STATUS_ORDER = list(STATUSES)  # worst first
NO_DATA_FILL = "url(#ingen-data)"

# Share classes: fixed bounds, since 0 % and 100 % are what matter.
FULL = Fraction(1)


@dataclass
class Row:
    code: str
    name: str
    county: str
    population: int | None = None
    allocated_sek: int | None = None  # None: not in the year's key
    requisitioned_sek: int = 0
    status: str | None = None  # one of STATUSES; None: no report
    klass: int | None = None  # set by classify(); None: no data

    @property
    def per_capita_ore(self) -> int | None:
        """Requisitioned kronor per inhabitant in whole öre, half up."""
        if self.allocated_sek is None or not self.population:
            return None
        return (self.requisitioned_sek * 200 + self.population) // (2 * self.population)

    @property
    def share(self) -> Fraction | None:
        if not self.allocated_sek:
            return None
        return Fraction(self.requisitioned_sek, self.allocated_sek)

    @property
    def share_permille(self) -> int | None:
        """The share in tenths of a percent, rounded down."""
        if not self.allocated_sek:
            return None
        return self.requisitioned_sek * 1000 // self.allocated_sek

    def value(self, measure: str):
        if measure == KRONOR:
            return self.per_capita_ore
        if measure == SHARE:
            return self.share
        return self.status


@dataclass
class Klass:
    index: int
    label: str
    colour: str
    count: int = 0


def per_capita_text(ore: int | None) -> str:
    if ore is None:
        return "–"
    return f"{number_format(Decimal(ore) / 100, 2, use_l10n=True)}\u00a0{_('kr')}"


def share_text(permille: int | None) -> str:
    if permille is None:
        return "–"
    return f"{number_format(Decimal(permille) / 10, 1, use_l10n=True)}\u00a0%"


def nice_step(maximum_ore: int) -> int:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ öre with five steps reaching the
    maximum (at least 20 öre)."""
    magnitude = 1
    while True:
        for factor in (10, 20, 25, 50):
            step = factor * magnitude
            if 5 * step >= maximum_ore and step >= 20:
                return step
        magnitude *= 10


def _kronor_bound(ore: int, step: int) -> str:
    decimals = 0 if step % 100 == 0 else 2
    return number_format(Decimal(ore) / 100, decimals, use_l10n=True)


def classes(measure: str, rows: list[Row]) -> list[Klass]:
    """The measure's classes (at most five), each with its label in text."""
    if measure == STATUS:
        return [Klass(i, str(label), colour) for i, (label, colour) in enumerate(STATUSES.values())]
    if measure == SHARE:
        labels = [
            _("0 % (nothing requisitioned)"),
            _("more than 0 % and under 50 %"),
            _("50 % to under 90 %"),
            _("90 % to under 100 %"),
            _("100 % (the whole allocation)"),
        ]
        return [Klass(i, label, SEQUENTIAL[i]) for i, label in enumerate(labels)]
    step = kronor_step(rows)
    out = []
    for i in range(5):
        low, high = _kronor_bound(i * step, step), _kronor_bound((i + 1) * step, step)
        if i < 4:
            label = _("%(low)s to under %(high)s kr") % {"low": low, "high": high}
        else:
            label = _("%(low)s to %(high)s kr") % {"low": low, "high": high}
        out.append(Klass(i, label, SEQUENTIAL[i]))
    return out


def kronor_step(rows: list[Row]) -> int:
    """The width in öre of each kronor-per-inhabitant class."""
    values = [v for v in (row.per_capita_ore for row in rows) if v is not None]
    return nice_step(max(values, default=0))


def class_of(measure: str, row: Row, step: int = 0) -> int | None:
    value = row.value(measure)
    if value is None:
        return None
    if measure == STATUS:
        return STATUS_ORDER.index(value)
    if measure == SHARE:
        if value == 0:
            return 0
        if value < Fraction(1, 2):
            return 1
        if value < Fraction(9, 10):
            return 2
        if value < FULL:
            return 3
        return 4
    return min(value // step, 4)


def classify(measure: str, rows: list[Row]) -> list[Klass]:
    """Sets each row's class and returns the classes with their counts."""
    klasses = classes(measure, rows)
    step = kronor_step(rows) if measure == KRONOR else 0
    for row in rows:
        row.klass = class_of(measure, row, step)
        if row.klass is not None:
            klasses[row.klass].count += 1
    return klasses


def value_text(measure: str, row: Row) -> str:
    if measure == KRONOR:
        if row.per_capita_ore is None:
            return _("no data")
        return _("%(value)s per inhabitant") % {"value": per_capita_text(row.per_capita_ore)}
    if measure == SHARE:
        if row.share_permille is None:
            return _("no data")
        return _("%(value)s of the allocation requisitioned") % {
            "value": share_text(row.share_permille)
        }
    if row.status is None:
        return _("no follow-up report")
    return str(STATUSES[row.status][0])


def summary(measure: str, rows: list[Row], level_noun: str, year: int) -> str:
    """The one sentence that says what the map shows."""
    keyed = [row for row in rows if row.allocated_sek is not None]
    if not keyed:
        return _("There are no allocations for %(level)s in %(year)s, so the map has no data.") % {
            "level": level_noun,
            "year": year,
        }
    total = len(keyed)
    if measure == STATUS:
        reported = [row for row in keyed if row.status is not None]
        if not reported:
            return _("No follow-up reports for %(year)s are recorded for %(level)s yet.") % {
                "level": level_noun,
                "year": year,
            }
        counts = {key: sum(1 for row in reported if row.status == key) for key in STATUSES}
        return _(
            "Of the %(count)s %(level)s with a follow-up report for %(year)s, %(approved)s "
            "have had it approved, %(waiting)s are submitted or not yet due and %(late)s are "
            "overdue or not approved."
        ) % {
            "count": len(reported),
            "level": level_noun,
            "year": year,
            "approved": counts[APPROVED],
            "waiting": counts[SUBMITTED] + counts[TO_REPORT],
            "late": counts[OVERDUE] + counts[REJECTED],
        }
    if measure == SHARE:
        full = sum(1 for row in keyed if row.share is not None and row.share >= FULL)
        none = sum(1 for row in keyed if not row.requisitioned_sek)
        return _(
            "%(full)s of %(total)s %(level)s requisitioned their whole allocation for "
            "%(year)s, %(part)s part of it and %(none)s nothing."
        ) % {
            "full": full,
            "total": total,
            "level": level_noun,
            "year": year,
            "part": total - full - none,
            "none": none,
        }
    requisitioned = sum(row.requisitioned_sek for row in keyed)
    population = sum(row.population or 0 for row in keyed)
    average = (requisitioned * 200 + population) // (2 * population) if population else None
    count = sum(1 for row in keyed if row.requisitioned_sek)
    return _(
        "%(count)s of %(total)s %(level)s requisitioned money for %(year)s, %(amount)s in "
        "all or %(average)s per inhabitant."
    ) % {
        "count": count,
        "total": total,
        "level": level_noun,
        "year": year,
        "amount": kronor(requisitioned),
        "average": per_capita_text(average),
    }
