"""The uptake map as an inline SVG string (issue 19 §4): one path per
kommun (or region) from the committed path file, filled by its class, a
``<title>`` each, a hatch for "no data", the län borders over the kommuner.
Pure: rows and classes in, markup out (``views/map.py`` caches it)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import measures
from .measures import Klass, Row
from .uptake import KOMMUNER, paths

NO_DATA_PATTERN = (
    '<pattern id="ingen-data" width="14" height="14" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="14" height="14" fill="#ffffff"/>'
    '<rect width="5" height="14" fill="#6f777b"/></pattern>'
)


def render(
    level: str, measure: str, rows: list[Row], klasses: list[Klass], labelledby: str
) -> SafeString:
    data = paths()
    places = data[level]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="uptake-map__svg" '
        f'viewBox="0 0 {data["width"]} {data["height"]}" role="img" '
        f'aria-labelledby="{escape(labelledby)}" focusable="false">',
        f"<defs>{NO_DATA_PATTERN}</defs>",
        # Thin white borders between places; the län borders (kommun map) on top.
        '<g stroke="#ffffff" stroke-width="2" stroke-linejoin="round">',
    ]
    for row in rows:
        fill = measures.NO_DATA_FILL if row.klass is None else klasses[row.klass].colour
        title = f"{row.name}: {measures.value_text(measure, row)}"
        out.append(
            f'<path d="{places[row.code]["d"]}" fill="{fill}"><title>{escape(title)}</title></path>'
        )
    out.append("</g>")
    if level == KOMMUNER:
        out.append(
            f'<path d="{data["county_borders"]}" fill="none" stroke="#0b0c0c" '
            'stroke-width="4" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))
