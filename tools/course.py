"""The course's structure, read from the sources so that the front page cannot drift.

- ``chapters()``: the pages of ``_toc.yml`` in book order, each with its part, label, title,
  whether it is numbered, and the chapters it declares as prerequisites (the labels referenced in
  the first sentence of its ``**Prerequisites.**`` paragraph).
- ``prerequisite_graph()``: the dependency graph of the chapters (a networkx DiGraph, edges from
  prerequisite to chapter), and ``course_map_svg()`` draws its transitive reduction by part.

The book's extension ``tools/gdl_book.py`` renders these on the front page; ``tests/test_config.py``
checks that every chapter declares its prerequisites and builds only on earlier chapters.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
_LABEL = re.compile(r"^\((ch-[a-z0-9-]+)\)=\s*$", re.M)
_TITLE = re.compile(r"^# (.+)$", re.M)
_PREREQ = re.compile(r"\*\*Prerequisites\.\*\*(.*?)(?:\n\s*\n|$)", re.S)
_REF = re.compile(r"<(ch-[a-z0-9-]+)>`|\{ref\}`(ch-[a-z0-9-]+)`")
_SENTENCE_END = re.compile(r"(?<=[.)$])\.?\s+(?=[A-Z{])")


@dataclass
class Chapter:
    """One page of the table of contents."""

    file: str  # path without suffix, as in _toc.yml, e.g. "chapters/03_grids"
    part: str  # the part's caption, e.g. "II. Grids"
    numbered: bool
    label: str | None = None  # the MyST label of its title, e.g. "ch-grids"
    title: str = ""
    prerequisites: list[str] = field(default_factory=list)  # labels

    @property
    def html(self) -> str:
        """The page's address relative to the site's root."""
        return f"{self.file}.html"


def _first_sentence(text: str) -> str:
    parts = _SENTENCE_END.split(text.strip(), maxsplit=1)
    return parts[0]


def read_chapter(file: str, part: str, numbered: bool, root: Path = ROOT) -> Chapter:
    """Read a page's label, title and declared prerequisites from its source."""
    candidates = [root / f"{file}{suffix}" for suffix in (".md", ".ipynb")]
    path = next((p for p in candidates if p.exists()), None)
    chapter = Chapter(file=file, part=part, numbered=numbered)
    if path is None or path.suffix != ".md":
        return chapter
    text = path.read_text()
    if (m := _LABEL.search(text)) is not None:
        chapter.label = m.group(1)
    if (m := _TITLE.search(text)) is not None:
        chapter.title = m.group(1).strip()
    if (m := _PREREQ.search(text)) is not None:
        sentence = _first_sentence(m.group(1))
        seen: list[str] = []
        for a, b in _REF.findall(sentence):
            if (a or b) not in seen:
                seen.append(a or b)
        chapter.prerequisites = seen
    return chapter


def chapters(root: Path = ROOT) -> list[Chapter]:
    """The pages of ``_toc.yml`` in book order (the root page excluded)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    pages = []
    for part in toc["parts"]:
        for entry in part["chapters"]:
            pages.append(read_chapter(entry["file"], part["caption"], bool(part.get("numbered")), root))
    return pages


def prerequisite_graph(root: Path = ROOT):
    """The chapters (Preface and numbered chapters) as a DiGraph, edges prerequisite → chapter."""
    import networkx as nx

    graph = nx.DiGraph()
    pages = [c for c in chapters(root) if c.label and (c.numbered or c.part == "Preface")]
    for c in pages:
        graph.add_node(c.label, chapter=c)
    for c in pages:
        for p in c.prerequisites:
            if p in graph:
                graph.add_edge(p, c.label)
    return graph


def _wrap(title: str, width: int = 18) -> str:
    words, lines, line = title.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join(lines + [line])


def layered_layout(graph) -> tuple[dict, dict]:
    """A layered drawing of a DAG (after Sugiyama et al.): each chapter one layer below its
    deepest prerequisite, edges that skip layers routed through virtual points in the layers
    between, and each layer ordered by the barycentre of its neighbours to reduce crossings.

    Returns the layer and the position in the layer (a float) of every node, virtual ones
    named ``(u, v, k)``, and the route of every edge as a list of nodes."""
    import networkx as nx

    layer: dict = {}
    for node in nx.topological_sort(graph):
        layer[node] = 1 + max((layer[p] for p in graph.predecessors(node)), default=-1)
    routes, rows = {}, {}
    for u, v in graph.edges:
        route = [u] + [(u, v, k) for k in range(layer[u] + 1, layer[v])] + [v]
        for k, w in enumerate(route[1:-1], start=layer[u] + 1):
            layer[w] = k
        routes[(u, v)] = route
    for node, k in layer.items():
        rows.setdefault(k, []).append(node)
    up = {n: [] for n in layer}
    down = {n: [] for n in layer}
    for route in routes.values():
        for a, b in zip(route[:-1], route[1:], strict=True):
            down[a].append(b)
            up[b].append(a)
    order = {n: float(i) for row in rows.values() for i, n in enumerate(row)}
    for sweep in range(8):  # alternate downward and upward barycentre sweeps
        ks = sorted(rows) if sweep % 2 == 0 else sorted(rows, reverse=True)
        for k in ks:
            near = up if sweep % 2 == 0 else down
            key = {n: (np.mean([order[m] for m in near[n]]) if near[n] else order[n]) for n in rows[k]}
            rows[k].sort(key=lambda n: (key[n], order[n]))
            for i, n in enumerate(rows[k]):
                order[n] = float(i)
    position = {}
    for row in rows.values():
        for i, n in enumerate(row):
            position[n] = i - (len(row) - 1) / 2
    return {n: (position[n], layer[n]) for n in layer}, routes


def course_map_svg(root: Path = ROOT, link_prefix: str = "", png: str | Path | None = None) -> str:
    """The course map as an inline SVG: the transitive reduction of the prerequisites, drawn in
    layers (every chapter below the chapters it builds on), each chapter coloured by its part of
    the proto-book and linking to its page (``link_prefix`` + its address); ``png``: a preview."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    graph = nx.transitive_reduction(prerequisite_graph(root))
    full = prerequisite_graph(root)
    parts: list[str] = []
    for label in full.nodes:
        part = full.nodes[label]["chapter"].part
        if part not in parts:
            parts.append(part)
    numbered = [c.label for c in chapters(root) if c.numbered and c.label]
    number = {label: i + 1 for i, label in enumerate(numbered)}  # the book's numbering, from _toc.yml
    place, routes = layered_layout(graph)
    dx, dy, box_w, box_h = 2.6, 1.2, 2.3, 0.8
    xy = {n: (x * dx, -k * dy) for n, (x, k) in place.items()}
    xs = [x for x, _ in xy.values()]
    layers = max(k for _, k in place.values()) + 1
    x_lo, x_hi = min(xs) - box_w / 2 - 0.1, max(xs) + box_w / 2 + 3.4
    y_lo, y_hi = -(layers - 1) * dy - box_h / 2 - 0.1, box_h / 2 + 0.1
    fig, ax = plt.subplots(figsize=(0.62 * (x_hi - x_lo), 0.62 * (y_hi - y_lo)))
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.axis("off")
    colours = matplotlib.colormaps["tab10"]
    colour = {part: colours(i % 10) for i, part in enumerate(parts)}
    for route in routes.values():
        points = [xy[n] for n in route]
        points[0] = (points[0][0], points[0][1] - box_h / 2)
        points[-1] = (points[-1][0], points[-1][1] + box_h / 2)
        if len(points) > 2:
            ax.plot([p[0] for p in points[:-1]], [p[1] for p in points[:-1]], color="0.5", lw=0.8, zorder=1)
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=9, lw=0.8,
                                     color="0.5", zorder=1))
    for label in graph.nodes:
        chapter = full.nodes[label]["chapter"]
        x, y = xy[label]
        box = FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                             boxstyle="round,pad=0.02,rounding_size=0.08", lw=1.0,
                             facecolor=(*colour[chapter.part][:3], 0.2), edgecolor=colour[chapter.part],
                             zorder=2)
        ax.add_patch(box)
        name = chapter.title.split(":")[0]
        name = _wrap(f"{number[label]}. {name}" if label in number else name)
        text = ax.text(x, y, name, ha="center", va="center", fontsize=8, zorder=3)
        text.set_url(link_prefix + chapter.html)
        box.set_url(link_prefix + chapter.html)
    handles = [Patch(facecolor=(*colour[p][:3], 0.2), edgecolor=colour[p], label=p) for p in parts]
    ax.legend(handles=handles, loc="upper right", frameon=False, fontsize=8, title="parts of the proto-book",
              title_fontsize=8)
    if png is not None:
        fig.savefig(png, dpi=100, bbox_inches="tight")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # scale with the page: keep the viewBox, drop the fixed size
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 width="100%"', svg, count=1)
    return svg
