"""Bad-input cases of gdl.datasets.grids (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import KINDS, Case
from gdl.datasets import grids as data_grids

MODULE = "datasets.grids"

img = torch.randn(2, 1, 8, 8)


CASES = [
    Case("datasets.grids.load_digits", "dtype", "size", lambda: data_grids.load_digits(8.0)),
    Case("datasets.grids.load_digits", "value", "size", lambda: data_grids.load_digits(0)),
    Case("datasets.grids.permute_pixels", "shape", "perm",
         lambda: data_grids.permute_pixels(img, torch.arange(63))),
    Case("datasets.grids.permute_pixels", "dtype", "perm",
         lambda: data_grids.permute_pixels(img, torch.arange(64.0)), TypeError),
    Case("datasets.grids.permute_pixels", "value", "perm",
         lambda: data_grids.permute_pixels(img, torch.zeros(64, dtype=torch.long)), match="permutation"),
    Case("datasets.grids.random_circular_shifts", "shape", "x",
         lambda: data_grids.random_circular_shifts(torch.zeros(8, 8))),
    Case("datasets.grids.random_circular_shifts", "dtype", "x",
         lambda: data_grids.random_circular_shifts([[1.0]]), TypeError),
    Case("datasets.grids.random_circular_shifts", "value", "x",
         lambda: data_grids.random_circular_shifts(torch.zeros(2, 1, 0))),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "datasets.grids.load_digits": {"shape": "takes a size, no array"},
    "datasets.grids.load_mnist1d": {kind: "takes no argument" for kind in KINDS},
}
