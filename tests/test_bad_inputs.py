"""Bad input gets a clear error that names the argument, never a deep traceback or a silent wrong number.

Each public name of a covered module has a case of each kind: a wrong shape, a wrong dtype and an
out-of-range value. A case asserts the error's type and that its message names the argument.
A name that has no argument of some kind is in EXEMPT with the reason. The cases live in
``tests/bad_inputs/<module>.py``, one file per module of ``gdl`` (see that package's docstring),
and are gathered here; the exercise checkers are covered at the end of this file.
"""
import importlib
import pkgutil
import re

import bad_inputs
import pytest
import torch
from bad_inputs import KINDS, Case

from gdl import egnn, grids
from gdl.datasets import egnn as data_egnn

CASES: list[Case] = []
# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT: dict[str, dict[str, str]] = {}
COVERED: dict[str, object] = {}  # module name -> module, one per tests/bad_inputs/<module>.py


def _gather_case_files() -> None:
    """Add the cases, exemptions and module of every ``tests/bad_inputs/<module>.py``."""
    for info in pkgutil.iter_modules(bad_inputs.__path__):
        cases = importlib.import_module(f"bad_inputs.{info.name}")
        module = importlib.import_module(f"gdl.{cases.MODULE}")
        assert cases.MODULE not in COVERED, f"{cases.MODULE}: cases in two places"
        for case in cases.CASES:
            assert case.name.rsplit(".", 1)[0] == cases.MODULE, f"{info.name}.py holds a case of {case.name}"
        COVERED[cases.MODULE] = module
        CASES.extend(cases.CASES)
        EXEMPT.update(cases.EXEMPT)


_gather_case_files()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_gets_a_clear_error_naming_the_argument(case):
    with pytest.raises(case.error) as info:
        case.call()
    message = str(info.value)
    assert re.search(rf"(^|[^\w.]){re.escape(case.arg)}([^\w]|$)", message), (case.arg, message)
    if case.match:
        assert re.search(case.match, message), (case.match, message)


@pytest.mark.parametrize("name", [f"{m}.{n}" for m, mod in COVERED.items() for n in mod.__all__])
def test_every_covered_public_name_has_a_case_of_each_kind(name):
    kinds = {c.kind for c in CASES if c.name == name}
    missing = set(KINDS) - kinds - set(EXEMPT.get(name, {}))
    assert not missing, f"{name}: no case of kind {sorted(missing)} and no exemption"
    module, attr = name.rsplit(".", 1)
    assert hasattr(importlib.import_module(f"gdl.{module}"), attr)


# ---- the silent wrong numbers reported in the issue now give the right number
def test_integer_signals_are_promoted_not_truncated():
    ints = torch.arange(16).view(2, 8)
    w = torch.tensor([0.25, 0.5, 0.25])
    for conv in (grids.circular_conv, grids.fft_conv):
        out = conv(ints, w)
        assert out.is_floating_point()
        torch.testing.assert_close(out, conv(ints.float(), w))
        assert out.abs().max() > 1
    half = torch.full((1, 1, 8), 0.5)
    shifted = grids.warp(torch.arange(8).view(1, 1, 8), half)  # integer signal: interpolated, not truncated
    torch.testing.assert_close(shifted, grids.warp(torch.arange(8.0).view(1, 1, 8), half))


def test_float64_models_follow_module_double():
    model = grids.GridCNN(1, 3, channels=(4, 4), pool=(False, True)).double()
    out = model(torch.randn(2, 1, 8, 8, dtype=torch.float64))
    assert out.dtype == torch.float64 and out.shape == (2, 3)


def test_every_module_has_a_case_file():
    import pkgutil

    import gdl
    import gdl.datasets

    # gdl.exercises is covered below: its checkers judge a learner's answer rather than check it
    modules = {m.name for m in pkgutil.iter_modules(gdl.__path__) if m.name not in ("datasets", "exercises")}
    modules |= {f"datasets.{m.name}" for m in pkgutil.iter_modules(gdl.datasets.__path__)}
    missing = sorted(modules - set(COVERED))
    assert modules == set(COVERED), f"modules without tests/bad_inputs/<module>.py: {missing}"


def test_egnn_follows_module_double_and_batch_systems_copies():
    model = egnn.EGNN(2, 8, 2).double()
    h, x = torch.randn(3, 2, dtype=torch.float64), torch.randn(3, 3, dtype=torch.float64)
    ring3 = torch.tensor([[0, 1, 2, 1, 2, 0], [1, 2, 0, 0, 1, 2]])  # C_3, both directions
    h_out, x_out = model(h, x, ring3)
    assert h_out.dtype == x_out.dtype == torch.float64
    x0, v0 = torch.randn(2, 4, 3, dtype=torch.float64), torch.randn(2, 4, 3, dtype=torch.float64)
    _, x, v, _, _ = data_egnn.batch_systems(x0, v0, torch.ones(2, 4))
    x.zero_(), v.zero_()  # the caller's arrays are untouched
    assert x0.abs().sum() > 0 and v0.abs().sum() > 0


def _checkers() -> list[tuple[str, str]]:
    import gdl.exercises

    modules = {topic: importlib.import_module(f"gdl.exercises.{topic}") for topic in gdl.exercises.__all__}
    return [(topic, name) for topic, module in modules.items() for name in module.__all__
            if name.startswith("check_")]


@pytest.mark.parametrize("topic,name", _checkers(), ids=lambda v: v)
def test_a_checker_judges_a_malformed_answer_wrong_and_never_raises(topic, name, capsys):
    """The exercise checkers take a learner's answer, so bad input there is a wrong answer: each
    checker, given ``None``, a string or a float for every argument, returns False and prints a
    "✗" verdict with a reason, instead of a traceback. (Their right and wrong answers are in
    tests/test_checkers.py.)"""
    import inspect

    check = getattr(importlib.import_module(f"gdl.exercises.{topic}"), name)
    params = [p for p in inspect.signature(inspect.unwrap(check)).parameters.values()
              if p.default is inspect.Parameter.empty
              and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert params, f"{topic}.{name} takes no answer"
    for junk in (None, "answer", 2.5):
        assert check(*[junk] * len(params)) is False, (topic, name, junk)
        verdict = capsys.readouterr().out.strip()
        assert verdict.startswith("✗ not yet: ") and len(verdict) > len("✗ not yet: "), verdict
