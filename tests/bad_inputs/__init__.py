"""Cases for ``tests/test_bad_inputs.py``, one file per module of ``gdl``.

``tests/bad_inputs/<module>.py`` (``datasets_graphs.py`` for ``gdl.datasets.graphs``) defines

- ``MODULE``: the module's dotted name under ``gdl``, e.g. ``"graphs"`` or ``"datasets.graphs"``;
- ``CASES``: a list of :class:`Case`, at least one of each kind (a wrong shape, a wrong dtype, an
  out-of-range value) for every name in the module's ``__all__``;
- ``EXEMPT``: ``{"module.name": {kind: why no such bad input exists}}`` for the kinds that a name
  cannot be given (a function without an array argument has no wrong shape).

A file per module lets the chapters be edited independently, as ``tests/checkers/`` does for the
exercise checkers.
"""
from collections.abc import Callable
from dataclasses import dataclass

KINDS = ("shape", "dtype", "value")


@dataclass(frozen=True)
class Case:
    name: str  # "module.public_name", e.g. "graphs.scatter"
    kind: str  # one of KINDS
    arg: str  # the argument the message must name
    call: Callable[[], object]
    error: type[Exception] = ValueError
    match: str = ""  # a further regex the message must match

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Case {self.name}: kind must be one of {KINDS}, got {self.kind!r}")

    def __str__(self):
        return f"{self.name}-{self.kind}-{self.arg}"
