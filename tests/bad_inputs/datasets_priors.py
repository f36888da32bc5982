"""Bad-input cases of gdl.datasets.priors (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl.datasets import priors as data_priors

MODULE = "datasets.priors"


CASES = [
    Case("datasets.priors.GridBumpTarget", "shape", "x",
         lambda: data_priors.GridBumpTarget(3)(torch.zeros(5, 4))),
    Case("datasets.priors.GridBumpTarget", "dtype", "seed", lambda: data_priors.GridBumpTarget(3, seed="a"),
         TypeError),
    Case("datasets.priors.GridBumpTarget", "value", "x",
         lambda: data_priors.GridBumpTarget(3)(torch.full((2, 3), float("nan")))),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {

}
