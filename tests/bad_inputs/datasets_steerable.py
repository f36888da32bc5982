"""Bad inputs of gdl.datasets.steerable: one case of each kind per public name."""
from types import SimpleNamespace

import torch

from bad_inputs import KINDS, Case  # noqa: F401
from gdl.datasets import steerable as data

MODULE = "datasets.steerable"


def _mols():
    """Two molecules shaped like a QM9Subset: a water-like H-O-H and an H-F."""
    pos = [torch.tensor([[0.0, 0, 0], [1, 0, 0], [0, 1, 0]]), torch.tensor([[0.0, 0, 0], [0, 1, 0]])]
    return SimpleNamespace(z=[torch.tensor([8, 1, 1]), torch.tensor([1, 9])], pos=pos,
                           dipole_vectors=lambda: torch.zeros(2, 3, dtype=torch.float64))


CASES = [
    Case("datasets.steerable.molecule_graph", "shape", "ids", lambda: data.molecule_graph(_mols(), [[0, 1]])),
    Case("datasets.steerable.molecule_graph", "dtype", "ids", lambda: data.molecule_graph(_mols(), [0.5]),
         TypeError),
    Case("datasets.steerable.molecule_graph", "dtype", "mols",
         lambda: data.molecule_graph("qm9", [0]), TypeError),
    Case("datasets.steerable.molecule_graph", "value", "ids", lambda: data.molecule_graph(_mols(), [2]),
         match="molecule 2"),
    Case("datasets.steerable.molecule_graph", "value", "ids", lambda: data.molecule_graph(_mols(), []),
         match="empty"),
    Case("datasets.steerable.molecule_graph", "value", "cutoff",
         lambda: data.molecule_graph(_mols(), [0], cutoff=-1.0)),
]

EXEMPT = {}
