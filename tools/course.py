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


def course_map_svg(root: Path = ROOT, link_prefix: str = "", png: str | Path | None = None) -> str:
    """The course map as an inline SVG: one row per part, the transitive reduction of the
    prerequisites as arrows, each chapter linking to its page (``link_prefix`` + its address)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    graph = prerequisite_graph(root)
    reduced = nx.transitive_reduction(graph)
    parts: list[str] = []
    for label in graph.nodes:
        part = graph.nodes[label]["chapter"].part
        if part not in parts:
            parts.append(part)
    width_per_box, height_per_row, box_w, box_h = 3.0, 1.05, 2.6, 0.62
    pos = {}
    for row, part in enumerate(parts):
        members = [n for n in graph.nodes if graph.nodes[n]["chapter"].part == part]
        for i, label in enumerate(members):
            x = (i - (len(members) - 1) / 2) * width_per_box
            pos[label] = (x, -row * height_per_row)
    xs = [x for x, _ in pos.values()]
    lanes = {"left": min(xs) - box_w / 2 - 0.25, "right": max(xs) + box_w / 2 + 0.25}
    label_room = 4.8  # inches left of the left lane for the parts' captions
    x_lo, x_hi = lanes["left"] - label_room, lanes["right"] + 0.9
    y_lo, y_hi = -(len(parts) - 1) * height_per_row - box_h / 2 - 0.1, box_h / 2 + 0.1
    fig, ax = plt.subplots(figsize=(0.62 * (x_hi - x_lo), 0.62 * (y_hi - y_lo)))
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.axis("off")
    colours = matplotlib.colormaps["tab10"]
    for row, part in enumerate(parts):
        ax.text(x_lo + 0.05, -row * height_per_row, part, ha="left", va="center", fontsize=9,
                color="0.35", fontweight="bold")

    def clear(label: str, side: str) -> bool:
        x, y = pos[label]
        return not any(abs(oy - y) < 1e-9 and (ox < x if side == "left" else ox > x)
                       for other, (ox, oy) in pos.items() if other != label)

    used = {"left": 0, "right": 0}
    arrow = {"arrowstyle": "-|>", "mutation_scale": 9, "lw": 0.8, "color": "0.5", "zorder": 1}
    for u, v in sorted(reduced.edges, key=lambda e: (pos[e[0]][1] - pos[e[1]][1], e)):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        if abs(y0 - y1) < 1e-9:  # same part: side to side
            s = np.sign(x1 - x0)
            ax.add_patch(FancyArrowPatch((x0 + s * box_w / 2, y0), (x1 - s * box_w / 2, y1), **arrow))
        elif abs(y0 - y1) <= height_per_row + 1e-9:  # adjacent parts: bottom to top
            ax.add_patch(FancyArrowPatch((x0, y0 - box_h / 2), (x1, y1 + box_h / 2),
                                         connectionstyle="arc3,rad=0.0", **arrow))
        else:  # skipping parts: out of the side, along a lane beside the boxes, into the side
            side = next((s for s in ("right", "left") if clear(u, s) and clear(v, s)),
                        "right" if x0 >= 0 else "left")
            sign = 1 if side == "right" else -1
            lane = lanes[side] + sign * 0.18 * used[side]
            used[side] += 1
            points = [(x0 + sign * box_w / 2, y0), (lane, y0), (lane, y1), (x1 + sign * box_w / 2, y1)]
            ax.plot([p[0] for p in points[:-1]], [p[1] for p in points[:-1]], color="0.5", lw=0.8, zorder=1)
            ax.add_patch(FancyArrowPatch(points[-2], points[-1], **arrow))
    for label, (x, y) in pos.items():
        chapter = graph.nodes[label]["chapter"]
        row = parts.index(chapter.part)
        box = FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                             boxstyle="round,pad=0.02,rounding_size=0.08", lw=1.0,
                             facecolor=colours(row % 10), alpha=0.18, edgecolor=colours(row % 10), zorder=2)
        ax.add_patch(box)
        text = ax.text(x, y, _wrap(chapter.title.split(":")[0]), ha="center", va="center", fontsize=8,
                       zorder=3)
        text.set_url(link_prefix + chapter.html)
        box.set_url(link_prefix + chapter.html)
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

