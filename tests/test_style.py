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
