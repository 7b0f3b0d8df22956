"""Draw the demo district's street map: a GeoJSON of plausible, non-overlapping street polygons that the
project ships (reports/data/geo/<region_code>.geojson, read by the dashboard's 街道地图), drawn here rather than
downloaded — the demo district is fictional and real boundaries are not ours to ship.

    .venv/bin/python scripts/draw_street_map.py            # writes shanglian/reports/data/geo/120103.geojson
    .venv/bin/python scripts/draw_street_map.py --check    # exit 1 if the committed file differs

How: the district's box is cut into a grid of cells (COLUMNS wide, as many rows as the streets need); every grid
vertex is moved by a deterministic jitter (under a third of a cell, so no cell folds over), and every cell edge is
cut into SEGMENTS pieces whose inner points are jittered too, keyed by the edge, so both cells on either side of
an edge share exactly the same line. The streets of `shanglian/demo/data/orgs.toml` take the cells in reading order
(north-west first, codes <region_code>001… as the demo numbers them); the cells left over at the end of the last
row go to the street above them. A street's polygon is the outline of its cells (the cells' edges that no other
cell of the street shares, chained anticlockwise). Properties: `code`, `name`.
"""

import argparse
import json
import math
import random
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORGS = ROOT / "shanglian" / "demo" / "data" / "orgs.toml"
OUT_DIR = ROOT / "shanglian" / "reports" / "data" / "geo"

COLUMNS = 3
SEGMENTS = 3  # pieces of each cell edge
# The district's box (degrees): about 河西区 of Tianjin, long from north to south along the river.
WEST, EAST = 117.180, 117.270
NORTH, SOUTH = 39.130, 39.040
VERTEX_JITTER = 0.28  # of a cell's width/height
EDGE_JITTER = 0.10
SEED = 120103
DIGITS = 6


def _streets():
    data = tomllib.loads(ORGS.read_text(encoding="utf-8"))
    region = data["district"]["region_code"]
    return region, [(f"{region}{i + 1:03d}", street["name"]) for i, street in enumerate(data["streets"])]


def _cells_of(count):
    """{street index: [(row, column)…]} and the number of rows: the cells in reading order, those left over at
    the end of the last row given to the street above each."""
    rows = math.ceil(count / COLUMNS)
    owner = {}
    for n in range(rows * COLUMNS):
        row, column = divmod(n, COLUMNS)
        owner[row, column] = n if n < count else owner[row - 1, column]
    cells = {}
    for cell, street in owner.items():
        cells.setdefault(street, []).append(cell)
    return cells, rows


class Grid:
    """The jittered vertices and edges of a rows × COLUMNS grid; points are (lon, lat)."""

    def __init__(self, rows, seed=SEED):
        self.rows = rows
        self.width = (EAST - WEST) / COLUMNS
        self.height = (NORTH - SOUTH) / rows
        self.random = random.Random(seed)
        self.vertices = {}
        for r in range(rows + 1):
            for c in range(COLUMNS + 1):
                dx = self.random.uniform(-VERTEX_JITTER, VERTEX_JITTER) * self.width
                dy = self.random.uniform(-VERTEX_JITTER, VERTEX_JITTER) * self.height
                # the outline is rough too, but the box's corners are pulled in a little (a rounder district)
                if (r in (0, rows)) and (c in (0, COLUMNS)):
                    dx = (0.18 if c == 0 else -0.18) * self.width
                    dy = (-0.18 if r == 0 else 0.18) * self.height
                self.vertices[r, c] = (WEST + c * self.width + dx, NORTH - r * self.height + dy)
        self.edges = {}

    def edge(self, a, b):
        """The points from vertex a to vertex b (both grid indexes), b excluded: the same line whichever way."""
        key = (min(a, b), max(a, b))
        if key not in self.edges:
            (x0, y0), (x1, y1) = self.vertices[key[0]], self.vertices[key[1]]
            points = [(x0, y0)]
            for i in range(1, SEGMENTS):
                t = i / SEGMENTS
                # the jitter is across the edge only, so the pieces stay in order along it
                nx, ny = -(y1 - y0), (x1 - x0)
                length = math.hypot(nx, ny) or 1
                shift = self.random.uniform(-EDGE_JITTER, EDGE_JITTER) * min(self.width, self.height)
                points.append((x0 + (x1 - x0) * t + nx / length * shift, y0 + (y1 - y0) * t + ny / length * shift))
            self.edges[key] = points
        points = self.edges[key]
        # stored from the lower vertex: [lower, inner points…]; from the other end it is [a, inner points reversed]
        return points if key[0] == a else [self.vertices[a], *points[:0:-1]]


def _cell_edges(row, column):
    """The four directed edges of a cell, anticlockwise on the map (north up): vertex (row, col) indexes."""
    nw, ne, se, sw = (row, column), (row, column + 1), (row + 1, column + 1), (row + 1, column)
    return [(nw, sw), (sw, se), (se, ne), (ne, nw)]


def outline(grid, cells):
    """The anticlockwise ring of a set of cells (one connected piece without holes), closed."""
    edges = [edge for cell in cells for edge in _cell_edges(*cell)]
    directed = set(edges)
    boundary = {a: b for a, b in edges if (b, a) not in directed}
    start = min(boundary)
    ring, vertex = [], start
    while True:
        following = boundary[vertex]
        ring.extend(grid.edge(vertex, following))
        vertex = following
        if vertex == start:
            break
    ring.append(ring[0])
    return [[round(x, DIGITS), round(y, DIGITS)] for x, y in ring]


def draw():
    region, streets = _streets()
    cells, rows = _cells_of(len(streets))
    grid = Grid(rows)
    features = [{"type": "Feature", "properties": {"code": code, "name": name},
                 "geometry": {"type": "Polygon", "coordinates": [outline(grid, sorted(cells[i]))]}}
                for i, (code, name) in enumerate(streets)]
    name = f"{region} 街道（镇）示意图（项目绘制，非真实边界）"
    # one feature a line: a change of one street is one line of the diff
    lines = ",\n".join(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features)
    return region, (f'{{"type":"FeatureCollection","name":{json.dumps(name, ensure_ascii=False)},"features":[\n'
                    f"{lines}\n]}}\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="绘制演示区的街道示意地图（GeoJSON）。")
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否与绘制结果一致")
    args = parser.parse_args(argv)
    region, text = draw()
    path = OUT_DIR / f"{region}.geojson"
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path.relative_to(ROOT)} 与绘制结果不一致，请运行 scripts/draw_street_map.py。", file=sys.stderr)
            return 1
        return 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"已写入 {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
