"""Bad-input cases of gdl.datasets.egnn (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl.datasets import egnn as data_egnn

MODULE = "datasets.egnn"


CASES = [
    Case("datasets.egnn.simulate_charges", "dtype", "num_sims", lambda: data_egnn.simulate_charges(2.0)),
    Case("datasets.egnn.simulate_charges", "value", "dt", lambda: data_egnn.simulate_charges(2, dt=-0.1)),
    Case("datasets.egnn.batch_systems", "shape", "v0",
         lambda: data_egnn.batch_systems(torch.zeros(2, 5, 3), torch.zeros(2, 4, 3), torch.ones(2, 5))),
    Case("datasets.egnn.batch_systems", "dtype", "x0",
         lambda: data_egnn.batch_systems(torch.zeros(2, 5, 3, dtype=torch.long), torch.zeros(2, 5, 3),
                                         torch.ones(2, 5)), TypeError),
    Case("datasets.egnn.batch_systems", "value", "x0",
         lambda: data_egnn.batch_systems(torch.zeros(2, 5, 2), torch.zeros(2, 5, 3), torch.ones(2, 5))),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "datasets.egnn.simulate_charges": {"shape": "takes sizes and step settings, no array"},
}
