"""Write ``src/eventwire/data/places/country_centroids.tsv``: one point per
country, for the GDELT export's country-level geo columns.

Input: ``countries-50m.json`` of the npm package world-atlas (TopoJSON of
Natural Earth's 1:50m Admin 0 countries, public domain; the package is ISC).
Fetch it once, outside eventwire::

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python scripts/country_centroids.py /tmp/package/countries-50m.json

Each country's point is the area-weighted centroid of its largest polygon
(holes subtracted), computed in longitude/latitude: the mainland rather than
a point between it and its overseas islands (France, the United States,
Norway). Features are matched to ISO 3166-1 alpha-3 codes (CAMEO's country
codes) by their ISO numeric id, through pycountry; features without an id
(Kosovo, Somaliland, N. Cyprus, ...) are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src/eventwire/data/places/country_centroids.tsv"
Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs as absolute (lon, lat) points: TopoJSON quantizes
    positions and stores each arc's points as deltas from the previous one."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring's points from its arc indexes; ~i (negative) is arc i reversed.
    Consecutive arcs share their joining point, kept once."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return unwrapped(points)


def unwrapped(points: list[Point]) -> list[Point]:
    """The ring with longitudes made continuous: a ring crossing the
    antimeridian (Russia, Fiji) jumps by about 360 degrees there."""
    out: list[Point] = []
    for x, y in points:
        if out:
            while x - out[-1][0] > 180:
                x -= 360
            while x - out[-1][0] < -180:
                x += 360
        out.append((x, y))
    return out


def ring_moments(points: list[Point]) -> tuple[float, float, float]:
    """(signed area, area * centroid x, area * centroid y) by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return area / 2, cx / 6, cy / 6


def polygon_centroid(polygon: list[list[int]], arcs: list[list[Point]]) -> tuple[float, Point]:
    """(area, centroid) of a polygon: its outer ring less its holes."""
    outer = ring_moments(ring_points(polygon[0], arcs))
    sign = 1.0 if outer[0] >= 0 else -1.0
    area, mx, my = (sign * v for v in outer)
    for hole in polygon[1:]:
        h_area, h_mx, h_my = ring_moments(ring_points(hole, arcs))
        hole_sign = 1.0 if h_area >= 0 else -1.0
        area, mx, my = area - hole_sign * h_area, mx - hole_sign * h_mx, my - hole_sign * h_my
    return area, (mx / area, my / area)


def country_points(topology: dict[str, Any]) -> list[tuple[str, str, str, float, float]]:
    import pycountry

    arcs = decode_arcs(topology)
    rows = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id", "")) if geometry.get("id") else None
        if country is None or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        _, (lon, lat) = max((polygon_centroid(p, arcs) for p in polygons), key=lambda found: found[0])
        lon = (lon + 180) % 360 - 180
        rows.append((country.alpha_3, country.alpha_2, geometry["properties"]["name"], lat, lon))
    return sorted(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/country_centroids.py PATH/countries-50m.json", file=sys.stderr)
        return 2
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    rows = country_points(topology)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Country points: the area-weighted centroid of each country's largest polygon.",
        "# Source: Natural Earth 1:50m Admin 0 countries (public domain) as TopoJSON in the npm package",
        "# world-atlas 2.0.2 (countries-50m.json, ISC); written by scripts/country_centroids.py.",
        "iso3\tiso2\tname\tlat\tlon",
        *(f"{iso3}\t{iso2}\t{name}\t{lat:.4f}\t{lon:.4f}" for iso3, iso2, name, lat, lon in rows),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} countries -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
