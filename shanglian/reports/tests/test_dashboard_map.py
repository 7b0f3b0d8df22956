"""The street map the project draws (scripts/draw_street_map.py → reports/data/geo/120103.geojson): one polygon per
demo street with its code and name, closed simple rings, no two streets overlapping, and the committed file is
what the script draws (no shapely here: point-in-polygon sampling and segment crossings by hand)."""

import importlib.util
import json
import tomllib
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GEOJSON = ROOT / "shanglian" / "reports" / "data" / "geo" / "120103.geojson"


@pytest.fixture(scope="module")
def features():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


def _demo_streets():
    orgs = tomllib.loads((ROOT / "shanglian" / "demo" / "data" / "orgs.toml").read_text(encoding="utf-8"))
    region = orgs["district"]["region_code"]
    return [(f"{region}{i + 1:03d}", street["name"]) for i, street in enumerate(orgs["streets"])]


def _ring(feature):
    return [tuple(point) for point in feature["geometry"]["coordinates"][0]]


def _inside(point, ring):
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _cross(a, b, c, d):
    """Whether segments ab and cd cross at a point inside both (touching ends or shared lines do not count)."""
    def orient(p, q, r):
        value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0 if abs(value) < 1e-14 else (1 if value > 0 else -1)
    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    return o1 * o2 < 0 and o3 * o4 < 0


def _area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def test_every_demo_street_has_one_polygon_with_its_code_and_name(features):
    assert [(f["properties"]["code"], f["properties"]["name"]) for f in features] == _demo_streets()
    for feature in features:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
        assert len(feature["geometry"]["coordinates"]) == 1  # no holes
        ring = _ring(feature)
        assert ring[0] == ring[-1] and len(ring) >= 4
        assert _area(ring) > 0  # anticlockwise (RFC 7946 exterior ring)
        assert all(117 < x < 118 and 38.9 < y < 39.3 for x, y in ring)  # about 河西区 of Tianjin


def test_no_ring_crosses_itself_or_another(features):
    rings = [_ring(f) for f in features]
    for ring in rings:
        edges = list(zip(ring, ring[1:], strict=False))
        for (i, e), (j, f) in combinations(enumerate(edges), 2):
            if abs(i - j) > 1 and {i, j} != {0, len(edges) - 1}:
                assert not _cross(*e, *f)
    for first, second in combinations(rings, 2):
        for e in zip(first, first[1:], strict=False):
            for f in zip(second, second[1:], strict=False):
                assert not _cross(*e, *f)


def test_no_point_of_the_district_is_in_two_streets(features):
    rings = [_ring(f) for f in features]
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    steps = 120
    covered = 0
    for i in range(steps):
        for j in range(steps):
            point = (min(xs) + (max(xs) - min(xs)) * (i + 0.5) / steps, min(ys) + (max(ys) - min(ys)) * (j + 0.5) / steps)
            count = sum(_inside(point, ring) for ring in rings)
            assert count <= 1, point
            covered += count
    assert covered > steps * steps * 0.6  # the streets fill the district's box, not a few slivers


def test_the_committed_map_is_what_the_script_draws():
    spec = importlib.util.spec_from_file_location("draw_street_map", ROOT / "scripts" / "draw_street_map.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    region, text = script.draw()
    assert region == "120103"
    assert GEOJSON.read_text(encoding="utf-8") == text
