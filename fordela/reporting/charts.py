"""Server-rendered SVG bar charts (issue 19 §3): a small pure function, no
chart library. A chart is an image (role="img") named by its title and a
one-sentence summary; every bar carries its series name and value as text,
so colour is never the only cue. The page puts the same numbers in a table
right after the chart.

Colours: the Okabe–Ito palette's blue and vermilion, told apart with the
common colour-vision deficiencies, each at least 3:1 against white."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0072b2", "#d55e00", "#009e73")  # blue, vermilion, bluish green
WIDTH = 320
LABEL_WIDTH = 130  # the series name and value, left of the bar
BAR_HEIGHT = 14
ROW = 20  # one bar's row
HEADING = 20  # a group's heading line
GAP = 8


@dataclass(frozen=True)
class Bar:
    series: str  # e.g. "Organisationer"
    percent: int  # the bar's length, 0–100 (drawn clamped)
    text: str  # the value as written next to the bar, e.g. "45 %"


@dataclass(frozen=True)
class Group:
    label: str  # e.g. the pool's name
    bars: tuple[Bar, ...]


def bar_chart(chart_id: str, title: str, summary: str, groups: list[Group]) -> SafeString:
    """An SVG of horizontal percentage bars, one row per bar under a heading
    per group. ``chart_id`` must be unique on the page (it prefixes the ids
    that name the image)."""
    y = 0
    parts = []
    bar_space = WIDTH - LABEL_WIDTH - 4
    for group in groups:
        y += HEADING
        parts.append(f'<text x="0" y="{y - 6}" class="chart__group">{escape(group.label)}</text>')
        for index, bar in enumerate(group.bars):
            colour = COLOURS[index % len(COLOURS)]
            length = round(bar_space * max(0, min(bar.percent, 100)) / 100)
            top = y + (ROW - BAR_HEIGHT) // 2
            parts.append(
                f'<text x="0" y="{y + ROW - 6}" class="chart__label">'
                f"{escape(bar.series)} {escape(bar.text)}</text>"
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{bar_space}" height="{BAR_HEIGHT}"'
                ' class="chart__track" fill="#f3f2f1" stroke="#505a5f" stroke-width="0.5"/>'
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length}" height="{BAR_HEIGHT}"'
                f' fill="{colour}"/>'
            )
            y += ROW
        y += GAP
    height = max(y, HEADING)
    svg = (
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet"'
        ' xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif" font-size="12"'
        ' fill="#0b0c0c">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>'
        f"{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # every text above is escaped
