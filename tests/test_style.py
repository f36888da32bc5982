"""Habits: ruff passes on the whole repository, and the pre-commit hooks run ruff and the tangle check."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: tomli comes with nbdev, a test dependency
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_passes():
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed; it is in the test extra: pip install -e '.[test]'")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_ruff_configuration():
    ruff = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    assert ruff["line-length"] == 110 and ruff["target-version"] == "py310"
    assert ruff["lint"]["select"] == ["E", "F", "W", "I", "UP", "B"]
    assert {"chapters/*.ipynb", ".venv", "_build"} <= set(ruff["extend-exclude"])


def test_pre_commit_runs_ruff_and_the_tangle_check_locally():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"], "remote hook repositories cannot be fetched"
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert all(h["language"] == "system" for h in hooks.values())
    assert hooks["ruff"]["entry"].startswith("ruff check")
    assert hooks["tangle-check"]["entry"] == "python tools/tangle.py --check"
    assert hooks["tangle-check"]["pass_filenames"] is False


def _display_math_glued_to_text(text: str) -> list[int]:
    """Line numbers of `$$` display-math openers that continue a paragraph (no blank line before)."""
    bad, in_code, in_math, previous = [], False, False, ""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.strip() == "$$":
            if not in_math and previous.strip():
                bad.append(number)
            in_math = not in_math
        previous = line
    return bad


def test_display_math_stands_in_its_own_block():
    # A `$$` line that continues a paragraph is parsed by MyST as two inline `$`, and everything
    # after the equation renders as math up to the next dollar sign.
    assert _display_math_glued_to_text("Text:\n$$\nx\n$$\n") == [2]
    assert _display_math_glued_to_text("Text:\n\n$$\nx\n$$\n") == []
    pages = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))]
    glued = {path.name: lines for path in pages
             if (lines := _display_math_glued_to_text(path.read_text()))}
    assert not glued, f"put a blank line before each `$$` block: {glued}"
