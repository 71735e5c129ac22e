"""The uptake map's build step (scripts/build_map_paths.py): the projection,
the path encoding, and the committed path file (current, complete, with its
shared borders intact)."""

import hashlib
import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordela.reporting.mapbuild import edges, parse_path, path_data, rings_of, sweref99tm

ROOT = Path(__file__).resolve().parents[2]
PATHS = ROOT / "fordela" / "reporting" / "data" / "map_paths.json"
KOMMUNER = ROOT / "data" / "reference" / "sverige_kommuner.geojson"


@pytest.fixture(scope="module")
def paths() -> dict:
    return json.loads(PATHS.read_text(encoding="utf-8"))


# (lon, lat) → (E, N) by PROJ (pyproj 3.7, EPSG:4326 → EPSG:3006, always_xy).
PROJ = [
    ((18.0686, 59.3293), (674571.8664491447, 6580743.008330945)),
    ((11.0, 55.3), (246111.13325272757, 6135467.007294857)),
    ((24.2, 68.0), (883412.6939103857, 7571483.966057865)),
    ((15.0, 62.0), (500000.0000000008, 6874180.147715218)),
    ((13.0, 67.5), (414601.7262814378, 7488497.669742848)),
]


@pytest.mark.parametrize(("lonlat", "expected"), PROJ)
def test_the_projection_agrees_with_proj_to_a_millimetre(lonlat, expected):
    east, north = sweref99tm(*lonlat)
    assert abs(east - expected[0]) < 0.001
    assert abs(north - expected[1]) < 0.001


points = st.tuples(st.integers(-5000, 5000), st.integers(-5000, 5000))


@given(st.lists(st.lists(points, min_size=3, max_size=30), min_size=1, max_size=5))
def test_path_data_reads_back_to_the_same_rings(rings):
    assert parse_path(path_data(rings)) == rings


def test_path_data_is_compact():
    assert path_data([[(10, 20), (11, 18), (14, 18)]]) == "M10 20l1-2 3 0z"


def test_the_committed_file_is_what_the_script_builds():
    result = subprocess.run(
        [sys.executable, "scripts/build_map_paths.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_file_names_the_sums_of_its_inputs(paths):
    for relative, digest in paths["sources"].items():
        assert hashlib.sha256((ROOT / relative).read_bytes()).hexdigest() == digest
    assert "Källa: SCB" in paths["about"]


def test_every_kommun_and_region_has_a_path_in_the_frame(paths):
    kommuner = json.loads(KOMMUNER.read_text(encoding="utf-8"))["features"]
    assert set(paths["kommuner"]) == {f["properties"]["kommunkod"] for f in kommuner}
    assert len(paths["kommuner"]) == 290 and len(paths["regioner"]) == 21
    for entry in [*paths["kommuner"].values(), *paths["regioner"].values()]:
        rings = parse_path(entry["d"])
        assert rings and all(len(ring) >= 3 for ring in rings)
        for x, y in (p for ring in rings for p in ring):
            assert 0 <= x <= paths["width"] and 0 <= y <= paths["height"]


def test_shared_borders_stay_shared(paths):
    """No simplification: (almost) every edge two kommuner share in the input
    is shared in the output, and no edge is left to one side only."""
    before = Counter()
    for feature in json.loads(KOMMUNER.read_text(encoding="utf-8"))["features"]:
        own = set()
        for ring in rings_of(feature["geometry"]):
            pts = [tuple(p) for p in ring]
            own |= {frozenset(e) for e in itertools.pairwise(pts) if e[0] != e[1]}
        before.update(own)
    after = Counter()
    for entry in paths["kommuner"].values():
        after.update(edges(parse_path(entry["d"])))
    shared_before = sum(1 for n in before.values() if n == 2)
    shared_after = sum(1 for n in after.values() if n >= 2)
    assert shared_after >= 0.99 * shared_before
    # An edge on one side only would be a gap: the coast is the only such edge,
    # so there are no more of them than in the input.
    assert sum(1 for n in after.values() if n == 1) <= sum(1 for n in before.values() if n == 1)


def test_the_county_borders_lie_on_kommun_edges(paths):
    kommun_edges = set()
    for entry in paths["kommuner"].values():
        kommun_edges |= edges(parse_path(entry["d"]))
    lines = parse_path(paths["county_borders"])
    border_edges = {frozenset(e) for line in lines for e in itertools.pairwise(line)}
    assert border_edges and border_edges <= kommun_edges
