"""An offline world map as SVG: the land outline (Natural Earth 1:110m via world-atlas,
vendored in data/world) in an equirectangular projection, with a story's places as dots.

TopoJSON is decoded here (quantised, delta-encoded arcs); no map library, no tile server.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 720, 360


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float
    mentions: int


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) / 360 * WIDTH, (90 - lat) / 180 * HEIGHT


@lru_cache(maxsize=1)
def land_path() -> str:
    """The land outline as one SVG path `d` attribute."""
    topo = json.loads(
        resources.files("storyline").joinpath("data/world/land-110m.json").read_text("utf-8")
    )
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: Sequence[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points += arc if not points else arc[1:]
        return points

    parts = []
    for geometry in topo["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indices in polygon:
                points = [_xy(lon, lat) for lon, lat in ring(indices)]
                if len(points) < 3:
                    continue
                # rings crossing the antimeridian (Chukotka, Antarctica) are unwrapped into
                # one continuous shape and drawn again one map-width over; the view clips
                unwrapped = [points[0]]
                for x, y in points[1:]:
                    previous = unwrapped[-1][0]
                    while x - previous > WIDTH / 2:
                        x -= WIDTH
                    while previous - x > WIDTH / 2:
                        x += WIDTH
                    unwrapped.append((x, y))
                shifts = [0.0]
                if min(x for x, _ in unwrapped) < 0:
                    shifts.append(WIDTH)
                if max(x for x, _ in unwrapped) > WIDTH:
                    shifts.append(-WIDTH)
                for shift in shifts:
                    parts.append(
                        "M" + "L".join(f"{x + shift:.1f},{y:.1f}" for x, y in unwrapped) + "Z"
                    )
    return "".join(parts)


def _view(places: Sequence[Place]) -> tuple[float, float, float, float]:
    """The part of the world the places lie in (with a margin), at the map's 2:1 aspect."""
    if not places:
        return 0.0, 0.0, float(WIDTH), float(HEIGHT)
    xs, ys = zip(*(_xy(p.lon, p.lat) for p in places), strict=True)
    width = min(max(max(xs) - min(xs), 2 * (max(ys) - min(ys)), 60.0) * 1.4, float(WIDTH))
    height = width / 2
    x = min(max((min(xs) + max(xs)) / 2 - width / 2, 0.0), WIDTH - width)
    y = min(max((min(ys) + max(ys)) / 2 - height / 2, 0.0), HEIGHT - height)
    return x, y, width, height


def map_svg(places: Sequence[Place], title: str = "Places named in the story") -> str:
    view = _view(places)
    scale = view[2] / WIDTH  # dots keep their size on screen when the map zooms in
    dots = []
    for place in sorted(places, key=lambda p: -p.mentions):
        x, y = _xy(place.lon, place.lat)
        radius = min(2.5 + place.mentions**0.5, 9) * scale
        dots.append(
            f'<g class="place"><title>{escape(place.name)}: {place.mentions} mentions</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.2f}" fill="#c0392b" '
            f'fill-opacity="0.75" stroke="#ffffff" stroke-width="{0.8 * scale:.2f}"/></g>'
        )
    box = " ".join(f"{v:.1f}" for v in view)
    label = escape(title, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" role="img" '
        f'aria-label="{label}" class="worldmap">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f8"/>'
        f'<path d="{land_path()}" fill="#d9d4c7" stroke="#b5ad9a" '
        f'stroke-width="{0.4 * scale:.2f}"/>'
        f"{''.join(dots)}</svg>"
    )
