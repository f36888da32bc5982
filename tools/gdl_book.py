"""The book's own Sphinx extension: the front page's course map and chapter gallery.

- ```{course-map}``` draws the chapters as a dependency graph grouped by the proto-book's parts,
  from ``_toc.yml`` and the chapters' ``**Prerequisites.**`` paragraphs (``tools/course.py``).
- ```{chapter-gallery}``` lays out one card per numbered chapter. When the book is built with its
  notebooks executed (``make book``), each card shows the chapter's own figure and measured
  headline: the output of its code cell tagged ``gallery``, which prints one line starting with
  ``Headline:``. They are collected from the written chapter pages when the build finishes. When
  the notebooks are not executed (CI's ``make book-noexec``) the cards show titles and links only.

Registered in ``_config.yml`` under ``sphinx.local_extensions``.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import course

logger = logging.getLogger(__name__)
_FIGURE = "<!-- gdl-gallery-figure {} -->"
_HEADLINE = "<!-- gdl-gallery-headline {} -->"
_NOTE = '<p class="gdl-gallery-note">'
_STYLE = """<style>
.gdl-course-map svg { max-width: 100%; height: auto; }
.gdl-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem;
  margin: 1rem 0; }
.gdl-card { display: flex; flex-direction: column; border: 1px solid var(--pst-color-border, #ddd);
  border-radius: 0.5rem; padding: 0.6rem; text-decoration: none !important; color: inherit !important; }
.gdl-card:hover { box-shadow: 0 0 0.5rem rgba(0, 0, 0, 0.15); }
.gdl-card img { width: 100%; height: 9rem; object-fit: contain; background: white; margin-bottom: 0.4rem; }
.gdl-card-title { font-weight: 600; font-size: 0.95rem; }
.gdl-card-part { font-size: 0.75rem; opacity: 0.7; }
.gdl-card-headline { font-size: 0.85rem; margin-top: 0.3rem; }
</style>"""


def _prefix(docname: str) -> str:
    return "../" * docname.count("/")


class CourseMap(SphinxDirective):
    """The chapters and their prerequisites as a clickable SVG."""

    def run(self) -> list[nodes.Node]:
        for chapter in course.chapters():
            self.env.note_dependency(str(course.ROOT / f"{chapter.file}.md"))
        self.env.note_dependency(str(course.ROOT / "_toc.yml"))
        svg = course.course_map_svg(link_prefix=_prefix(self.env.docname))
        return [nodes.raw("", f'{_STYLE}<div class="gdl-course-map">{svg}</div>', format="html")]


class ChapterGallery(SphinxDirective):
    """One card per numbered chapter; figures and headlines are filled in when the build ends."""

    def run(self) -> list[nodes.Node]:
        prefix = _prefix(self.env.docname)
        cards, number = [], 0
        for chapter in course.chapters():
            if not chapter.numbered:
                continue
            number += 1
            cards.append(
                f'<a class="gdl-card" href="{prefix}{chapter.html}">'
                f"{_FIGURE.format(chapter.file)}"
                f'<span class="gdl-card-part">{html.escape(chapter.part)}</span>'
                f'<span class="gdl-card-title">{number}. {html.escape(chapter.title.split(":")[0])}</span>'
                f'<span class="gdl-card-headline">{_HEADLINE.format(chapter.file)}</span></a>')
        note = (f"{_NOTE}The figures and measured headlines appear when the book is built with its "
                "notebooks executed (<code>make book</code>).</p>")
        return [nodes.raw("", f'{_STYLE}{note}<div class="gdl-gallery">{"".join(cards)}</div>',
                          format="html")]


def gallery_items(page: Path) -> tuple[str | None, str | None]:
    """The first image and the ``Headline:`` line of the cell tagged ``gallery`` on a written page."""
    from bs4 import BeautifulSoup

    if not page.exists():
        return None, None
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    cell = soup.find(class_="tag_gallery")
    if cell is None:
        return None, None
    image = cell.find("img")
    headline = None
    for pre in cell.find_all("pre"):
        for line in pre.get_text().splitlines():
            if line.startswith("Headline:"):
                headline = line[len("Headline:"):].strip()
    return (image.get("src") if image is not None else None), headline


def fill_gallery(app, exception) -> None:
    """Put each chapter's gallery figure and headline into the front page's cards."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    root = app.config.root_doc
    page = outdir / f"{root}.html"
    if not page.exists():
        return
    text = page.read_text(encoding="utf-8")
    found = 0
    for chapter in course.chapters():
        if _FIGURE.format(chapter.file) not in text:
            continue
        src, headline = gallery_items(outdir / f"{chapter.file}.html")
        figure = ""
        if src is not None:
            # the chapter page's src is relative to the chapter; the card's is relative to the root page
            target = ((outdir / chapter.file).parent / src).resolve().relative_to(outdir.resolve())
            figure = f'<img src="{html.escape(target.as_posix())}" alt="">'
            found += 1
        text = text.replace(_FIGURE.format(chapter.file), figure)
        text = text.replace(_HEADLINE.format(chapter.file), html.escape(headline or ""))
    if found:
        text = re.sub(re.escape(_NOTE) + r".*?</p>", "", text, count=1, flags=re.S)
    page.write_text(text, encoding="utf-8")
    logger.info(f"gallery: {found} chapter figures on the front page")


def always_rewrite_root(app, env, added, changed, removed) -> list[str]:
    """The front page collects other pages' outputs: write it on every build."""
    return [app.config.root_doc]


def setup(app):
    app.add_directive("course-map", CourseMap)
    app.add_directive("chapter-gallery", ChapterGallery)
    app.connect("env-get-outdated", always_rewrite_root)
    app.connect("build-finished", fill_gallery)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
