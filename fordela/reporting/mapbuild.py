"""Build-time geometry for the uptake map (``scripts/build_map_paths.py``):
WGS 84 boundaries projected to SWEREF 99 TM, scaled to whole map units and
written as compact SVG path data. Pure Python, no Django, no GIS packages.

Topology: nothing is simplified (the vendored boundaries are already small,
see docs/reporting.md). Every vertex goes through the same function, so a
vertex two kommuner share lands on the same integer point in both, and their
shared border stays shared. Rounding can make neighbouring points of a ring
equal; the repeats are dropped, which both sides of a shared border do alike.
"""

import math
import re
from collections.abc import Iterable, Iterator, Sequence

# SWEREF 99 TM (EPSG:3006): transverse Mercator on GRS 80, central meridian
# 15° E, scale 0.9996, false easting 500 000 m. Gauss–Krüger formulas as
# Lantmäteriet publishes them ("Gauss Krügers formler", geodesi).
_A = 6378137.0
_F = 1 / 298.257222101
_LON0 = math.radians(15.0)
_K0 = 0.9996
_FE = 500000.0

_E2 = _F * (2 - _F)
_N = _F / (2 - _F)
_A_ROOF = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_CA = _E2
_CB = (5 * _E2**2 - _E2**3) / 6
_CC = (104 * _E2**3 - 45 * _E2**4) / 120
_CD = 1237 * _E2**4 / 1260
_BETA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16 + 41 * _N**4 / 180,
    13 * _N**2 / 48 - 3 * _N**3 / 5 + 557 * _N**4 / 1440,
    61 * _N**3 / 240 - 103 * _N**4 / 140,
    49561 * _N**4 / 161280,
)


def sweref99tm(lon: float, lat: float) -> tuple[float, float]:
    """(easting, northing) in metres for a WGS 84 longitude and latitude in
    degrees (WGS 84 and SWEREF 99 differ by less than a metre here)."""
    phi = math.radians(lat)
    s = math.sin(phi)
    phi_star = phi - s * math.cos(phi) * (_CA + _CB * s**2 + _CC * s**4 + _CD * s**6)
    d_lambda = math.radians(lon) - _LON0
    xi = math.atan(math.tan(phi_star) / math.cos(d_lambda))
    eta = math.atanh(math.cos(phi_star) * math.sin(d_lambda))
    north = xi
    east = eta
    for j, beta in enumerate(_BETA, start=1):
        north += beta * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        east += beta * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
    return _FE + _K0 * _A_ROOF * east, _K0 * _A_ROOF * north


Point = tuple[int, int]
Ring = list[Point]


def rings_of(geometry: dict) -> Iterator[list[list[float]]]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"not a polygon: {geometry['type']}")
    for polygon in polygons:
        yield from polygon


class Frame:
    """SWEREF 99 TM metres → map units: ``metres_per_unit`` to a unit, the
    top left corner at the bounds' west and north edges, y downwards."""

    def __init__(self, bounds: tuple[float, float, float, float], metres_per_unit: int):
        self.west, self.south, self.east, self.north = bounds
        self.metres_per_unit = metres_per_unit
        self.width = math.ceil((self.east - self.west) / metres_per_unit)
        self.height = math.ceil((self.north - self.south) / metres_per_unit)

    def point(self, lon: float, lat: float) -> Point:
        east, north = sweref99tm(lon, lat)
        return (
            round((east - self.west) / self.metres_per_unit),
            round((self.north - north) / self.metres_per_unit),
        )


def bounds_of(geometries: Iterable[dict]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for geometry in geometries:
        for ring in rings_of(geometry):
            for lon, lat in ring:
                east, north = sweref99tm(lon, lat)
                xs.append(east)
                ys.append(north)
    return min(xs), min(ys), max(xs), max(ys)


def integer_rings(geometry: dict, frame: Frame) -> list[Ring]:
    """The geometry's rings in map units, repeated points dropped (the
    closing point too) and rings of fewer than three points left out."""
    out = []
    for ring in rings_of(geometry):
        points: Ring = []
        for lon, lat in ring:
            p = frame.point(lon, lat)
            if not points or points[-1] != p:
                points.append(p)
        while len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(set(points)) >= 3:
            out.append(points)
    return out


def path_data(rings: Sequence[Ring]) -> str:
    """SVG path data: each ring an absolute move, then relative lines, then
    close (``M12 34l1-2 3 0z``); numbers are separated only where needed."""
    parts = []
    for ring in rings:
        (x0, y0), rest = ring[0], ring[1:]
        out = [f"M{x0} {y0}l"]
        previous = ring[0]
        numbers = []
        for x, y in rest:
            numbers.extend((x - previous[0], y - previous[1]))
            previous = (x, y)
        out.append(_join(numbers))
        out.append("z")
        parts.append("".join(out))
    return "".join(parts)


def polyline_data(lines: Sequence[Ring]) -> str:
    """Open polylines as SVG path data (``M12 34l1-2 3 0``)."""
    parts = []
    for line in lines:
        (x0, y0) = line[0]
        numbers = []
        previous = line[0]
        for x, y in line[1:]:
            numbers.extend((x - previous[0], y - previous[1]))
            previous = (x, y)
        parts.append(f"M{x0} {y0}l{_join(numbers)}")
    return "".join(parts)


def _join(numbers: Sequence[int]) -> str:
    text = []
    for i, n in enumerate(numbers):
        if i and n >= 0:
            text.append(" ")
        text.append(str(n))
    return "".join(text)


_TOKEN = re.compile(r"[MlLzZ]|-?\d+")


def parse_path(d: str) -> list[Ring]:
    """The rings (or lines) of path data that ``path_data`` or
    ``polyline_data`` wrote, in absolute map units (tests read it back)."""
    rings: list[Ring] = []
    numbers: list[int] = []
    command = ""

    def flush():
        if command == "M":
            rings.append([(numbers[0], numbers[1])])
        elif command == "l":
            x, y = rings[-1][-1]
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = x + dx, y + dy
                rings[-1].append((x, y))

    for part in _TOKEN.findall(d):
        if part in "MlLzZ":
            flush()
            command, numbers = part, []
        else:
            numbers.append(int(part))
    flush()
    return rings


def edges(rings: Iterable[Ring]) -> set[frozenset[Point]]:
    """The undirected edges of closed rings."""
    out = set()
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if a != b:
                out.add(frozenset((a, b)))
    return out
