"""Every exercise checker has teeth: it accepts the chapter's solution and rejects wrong answers.

Each chapter's cases live in ``tests/checkers/<topic>.py`` (one file per chapter, so chapters can
be edited independently), as a dict ``CASES``::

    CASES = {
        "check_sage": {                     # a checker exported by gdl.exercises.<topic>
            "solution": lambda: check_sage(SolutionSAGE),
            "wrong": {                      # at least three wrong answers of different kinds
                "constant": lambda: check_sage(ConstantSAGE),
                "shape only": ...,
                "ignores the neighbours": ...,
            },
        },
    }

Each entry is a callable that calls the checker and returns what it returned. The tests below
check that the solution passes, every wrong answer fails, no checker raises, the printed verdict
always agrees with the returned value, and every checker of ``gdl.exercises`` has its cases.
"""
import contextlib
import importlib
import importlib.util
import io
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).parent / "checkers"


def _load_cases() -> dict[str, dict]:
    """{topic: CASES} for every tests/checkers/<topic>.py."""
    found = {}
    for path in sorted(CASES_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"checker_cases_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[path.stem] = module.CASES
    return found


CASES = _load_cases()
SOLUTIONS = [(topic, name) for topic, cases in CASES.items() for name in cases]
WRONG = [(topic, name, kind) for topic, cases in CASES.items() for name, case in cases.items()
         for kind in case["wrong"]]


def _run(call) -> tuple[object, str]:
    """Call a case; return the checker's result and what it printed. A raise fails the test."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = call()
    return result, out.getvalue()


def _checkers(topic: str) -> set[str]:
    module = importlib.import_module(f"gdl.exercises.{topic}")
    return {name for name in module.__all__ if name.startswith("check_")}


def test_every_chapter_with_exercises_has_cases():
    exercises = importlib.import_module("gdl.exercises")
    assert set(exercises.__all__) == set(CASES), "a tests/checkers/<topic>.py per gdl.exercises module"


@pytest.mark.parametrize("topic", sorted(CASES))
def test_every_checker_has_cases_and_three_wrong_answers(topic):
    assert set(CASES[topic]) == _checkers(topic)
    for name, case in CASES[topic].items():
        assert len(case["wrong"]) >= 3, f"{topic}.{name}: give at least three wrong answers"


@pytest.mark.parametrize("topic,name", SOLUTIONS, ids=[f"{t}.{n}" for t, n in SOLUTIONS])
def test_the_solution_passes(topic, name):
    result, printed = _run(CASES[topic][name]["solution"])
    assert result is True, printed
    assert printed.strip().startswith("✓") and "✗" not in printed, printed


@pytest.mark.parametrize("topic,name,kind", WRONG, ids=[f"{t}.{n}[{k}]" for t, n, k in WRONG])
def test_a_wrong_answer_fails_with_a_message(topic, name, kind):
    result, printed = _run(CASES[topic][name]["wrong"][kind])
    assert result is False, f"{topic}.{name} accepted the wrong answer {kind!r}: {printed}"
    assert printed.strip().startswith("✗") and "✓" not in printed, printed
    assert len(printed.strip()) > len("✗ not yet: "), "a failure says what was expected"
