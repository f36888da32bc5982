"""The project's configuration agrees with itself: dependencies, timeouts, table of contents."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: tomli comes with nbdev, a test dependency
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = PYPROJECT["project"]
    wanted = {_norm(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_norm(r) for r in extra if not r.startswith("gdl[")}  # an extra including another
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_norm(r) for r in pip if not r.startswith("-e")}
    assert listed == wanted, (f"only in environment.yml: {sorted(listed - wanted)}; "
                              f"only in pyproject.toml: {sorted(wanted - listed)}")


def test_python_and_torch_are_ranges():
    project = PYPROJECT["project"]
    assert project["requires-python"] == ">=3.10"
    torch = [r for r in project["dependencies"] if r.startswith("torch")]
    assert torch == ["torch>=2.2"]
    assert not any("==" in r for r in project["dependencies"]), "pin the package, not its dependencies"


def test_nbval_and_book_share_the_cell_timeout():
    addopts = PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"]
    timeout = int(re.search(r"--nbval-cell-timeout=(\d+)", addopts).group(1))
    assert timeout == CONFIG["execute"]["timeout"]


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        for value in node.values():
            files += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += _toc_files(item)
    return files


def test_toc_lists_every_chapter_and_only_existing_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = _toc_files(toc["parts"])
    for name in [toc["root"], *files]:
        assert list(ROOT.glob(f"{name}.*")), f"_toc.yml lists {name}, which does not exist"
    chapters = sorted(f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.md"))
    assert sorted(f for f in files if f.startswith("chapters/")) == chapters
    # files keep their names, and a new chapter takes the next free number, so the file numbers
    # need not follow the book's order; the preface comes first, the afterword and appendices last
    listed = [f for f in files if f.startswith("chapters/")]
    assert listed[0] == "chapters/00_how_to_use"
    numbered = [i for i, f in enumerate(listed) if _is_numbered_chapter(f)]
    unnumbered = [i for i, f in enumerate(listed[1:], start=1) if not _is_numbered_chapter(f)]
    assert max(numbered) < min(unnumbered), "the afterword and appendices come after every chapter"


def _is_numbered_chapter(file: str) -> bool:
    """``chapters/03_grids`` is a numbered chapter; the preface (``00_``), appendices and api are not."""
    head = file.removeprefix("chapters/").split("_", 1)[0]
    return file.startswith("chapters/") and head.isdigit() and int(head) > 0


def test_toc_numbers_the_chapters():
    """The book numbers the chapters from `_toc.yml`, so a new chapter never renumbers files."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbered = 0
    for part in toc["parts"]:
        files = _toc_files(part.get("chapters", []))
        if any(_is_numbered_chapter(f) for f in files):
            assert part.get("numbered") is True, f"part {part['caption']!r}: set `numbered: true`"
            numbered += 1
    assert numbered > 0


TITLE_NUMBER = re.compile(r"^(\d+(\.\d+)*\.?|Chapter\s+\d+[.:]?)\s", re.IGNORECASE)


def test_chapter_titles_carry_no_number_and_have_a_label():
    for md in sorted((ROOT / "chapters").glob("*.md")):
        lines = md.read_text().splitlines()
        index = next(i for i, line in enumerate(lines) if line.startswith("# "))
        title = lines[index][2:].strip()
        assert not TITLE_NUMBER.match(title), f"{md.name}: the title {title!r} carries a number"
        label = lines[index - 1].strip() if index else ""
        name = md.stem.split("_", 1)[-1].replace("_", "-")
        assert re.fullmatch(r"\(ch-[a-z0-9-]+\)=", label), \
            f"{md.name}: put a label such as (ch-{name})= on the line before the title"


NUMREF = re.compile(r"\{numref\}`[^`<]*<([^>]+)>`")


def test_prose_numbers_only_numbered_chapters_and_writes_no_numbers_by_hand():
    """{numref} needs a numbered chapter (a -W build fails otherwise); 'Chapter 3' goes stale."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbered = {f"ch-{f.split('/')[-1].split('_', 1)[1].replace('_', '-')}"
                for part in toc["parts"] if part.get("numbered")
                for f in _toc_files(part.get("chapters", []))}
    for md in [*sorted((ROOT / "chapters").glob("*.md")), ROOT / "intro.md"]:
        text = md.read_text()
        for target in NUMREF.findall(text):
            assert target in numbered, f"{md.name}: {{numref}} to {target}, which the book does not number"
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        hand = re.findall(r"(?<![`<])\bChapters? \d+", prose)
        assert not hand, f"{md.name}: chapter numbers written by hand: {hand}; use {{numref}}"


CHAPTER_NUMBER = re.compile(r"\b(Chapters?|Ch\.)\s*\d")


def _docstrings(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node)
            if doc:
                yield getattr(node, "name", "module"), doc


def test_no_generated_docstring_names_a_chapter_by_number():
    """Numbers come from `_toc.yml` and move when a chapter is added: docstrings name titles."""
    found = []
    for path in sorted((ROOT / "gdl").rglob("*.py")):
        for name, doc in _docstrings(ast.parse(path.read_text())):
            for m in CHAPTER_NUMBER.finditer(doc):
                context = doc[max(0, m.start() - 30):m.end() + 10]
                found.append(f"{path.relative_to(ROOT)}: {name}: ...{context!r}")
    assert not found, "chapter numbers in docstrings:\n" + "\n".join(found)


def test_colab_launch_config_points_at_paired_notebooks():
    assert CONFIG["launch_buttons"]["colab_url"].startswith("https://colab.research.google.com")
    assert CONFIG["repository"]["path_to_book"] == ""
    assert "chapters/*.ipynb" in CONFIG["exclude_patterns"]
    for md in (ROOT / "chapters").glob("*.md"):
        assert md.with_suffix(".ipynb").exists(), f"{md.name} has no paired notebook"


def test_colab_install_cell_installs_a_reference_that_exists():
    """The tag v<version> exists only once the changelog releases the version; until then the
    cell installs the default branch (a Colab cell pointing at a missing tag fails at once)."""
    version = PYPROJECT["project"]["version"]
    url = CONFIG["repository"]["url"].rstrip("/")
    heading = re.search(rf"^## {re.escape(version)}\b(.*)$", (ROOT / "CHANGELOG.md").read_text(), flags=re.M)
    assert heading, f"CHANGELOG.md has no '## {version}' heading"
    unreleased = "unreleased" in heading.group(1).lower()
    ref = CONFIG["repository"]["branch"] if unreleased else f"v{version}"
    for nb in sorted((ROOT / "chapters").glob("*.ipynb")):
        first = json.loads(nb.read_text())["cells"][0]
        source = "".join(first["source"])
        assert f'"gdl @ git+{url}@{ref}"' in source, f"{nb.name}: the Colab cell must install @{ref}"
        assert "remove-cell" in first["metadata"].get("tags", [])


def test_changelog_has_the_version():
    version = PYPROJECT["project"]["version"]
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text()
    assert f"version: {version}" in (ROOT / "CITATION.cff").read_text()


BASE_ONLY = """
import builtins, importlib, sys
blocked = {"jupytext", "nbval", "hypothesis", "pytest", "torch_geometric", "e3nn", "e2cnn",
           "potpourri3d", "robust_laplacian", "igl", "torch_harmonics", "yaml", "sphinx"}
real_import = builtins.__import__
def guarded(name, *args, **kwargs):
    if name.split(".")[0] in blocked:
        raise ImportError(f"{name} is not a base dependency")
    return real_import(name, *args, **kwargs)
builtins.__import__ = guarded
import gdl
assert not [m for m in sys.modules if m.startswith("gdl.")], "import gdl must be lazy"
for name in gdl._SUBMODULES:
    importlib.import_module(f"gdl.{name}")
print(gdl.__version__, len(gdl._SUBMODULES))
"""


def test_gdl_imports_with_base_dependencies_only():
    """`import gdl` and every submodule work without the book and test extras (peers optional)."""
    result = subprocess.run([sys.executable, "-c", BASE_ONLY], capture_output=True, text=True,
                            cwd=ROOT / "tests")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] == PYPROJECT["project"]["version"]


# The front page's course map and gallery are generated from the sources (tools/course.py,
# tools/gdl_book.py): these tests keep the sources in the shape the generators read.
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402


def test_every_chapter_declares_earlier_prerequisites():
    """The course map's arrows come from each chapter's **Prerequisites.** paragraph: every
    numbered chapter has one, it names existing chapters, and only earlier ones."""
    pages = course.chapters()
    order = {c.label: i for i, c in enumerate(pages) if c.label}
    for i, chapter in enumerate(pages):
        if not chapter.numbered:
            continue
        assert chapter.prerequisites, f"{chapter.file} declares no prerequisites"
        for label in chapter.prerequisites:
            assert label in order, f"{chapter.file} names an unknown prerequisite {label}"
            assert order[label] < i, f"{chapter.file} builds on {label}, which comes later in the book"


def test_course_map_links_every_chapter_and_is_a_dag():
    import networkx as nx

    graph = course.prerequisite_graph()
    numbered = [c for c in course.chapters() if c.numbered]
    assert nx.is_directed_acyclic_graph(graph) and len(graph) == len(numbered) + 1  # and the preface
    svg = course.course_map_svg(link_prefix="../")
    for chapter in numbered:
        assert f'"../{chapter.file}.html"' in svg, chapter.file
    assert svg.startswith("<svg") and 'width="100%"' in svg


def test_every_numbered_chapter_has_one_gallery_cell_with_a_headline():
    """The gallery card of a chapter is its code cell tagged `gallery`, which prints a headline."""
    for chapter in course.chapters():
        if not chapter.numbered:
            continue
        text = (ROOT / f"{chapter.file}.md").read_text()
        cells = re.findall(r"```\{code-cell\} ipython3\n:tags: \[([^\]]*)\]\n(.*?)\n```", text, re.S)
        tagged = [body for tags, body in cells if "gallery" in [t.strip() for t in tags.split(",")]]
        assert len(tagged) == 1, f"{chapter.file}: {len(tagged)} cells tagged gallery, expected 1"
        assert 'print(f"Headline: ' in tagged[0] or "print(f'Headline: " in tagged[0], chapter.file


def test_gallery_collects_the_tagged_figure_and_headline(tmp_path):
    """fill_gallery puts a chapter page's tagged image and headline into the front page's card,
    and leaves the card without a figure when the chapter has no executed output."""
    pytest = __import__("pytest")
    pytest.importorskip("bs4")
    pytest.importorskip("sphinx")
    import gdl_book

    chapters_dir = tmp_path / "chapters"
    chapters_dir.mkdir()
    first, second = [c for c in course.chapters() if c.numbered][:2]
    (tmp_path / f"{first.file}.html").write_text(
        '<div class="cell tag_gallery docutils container"><img src="../_images/fig.png">'
        "<pre>Headline: it works, 99%</pre></div>")
    root = tmp_path / "intro.html"
    cards = "".join(gdl_book._FIGURE.format(c.file) + gdl_book._HEADLINE.format(c.file)
                    for c in (first, second))
    root.write_text(f"{gdl_book._NOTE}note</p>{cards}")

    class App:
        outdir = str(tmp_path)

        class builder:
            format = "html"

        class config:
            root_doc = "intro"

    gdl_book.fill_gallery(App, None)
    text = root.read_text()
    assert '<img src="_images/fig.png"' in text and "it works, 99%" in text
    assert "gdl-gallery-figure" not in text and gdl_book._NOTE not in text
    assert text.count("<img") == 1  # the second chapter has no executed output: no figure
