"""Bad-input cases of gdl.datasets.real (see tests/bad_inputs/__init__.py)."""
from bad_inputs import KINDS, Case
from gdl.datasets import real as data_real

MODULE = "datasets.real"


CASES = [
    Case("datasets.real.load_mnist", "dtype", "resolution", lambda: data_real.load_mnist(resolution=14.0)),
    Case("datasets.real.load_mnist", "value", "split", lambda: data_real.load_mnist("val")),
    Case("datasets.real.load_qm9", "dtype", "n", lambda: data_real.load_qm9(n=2.5)),
    Case("datasets.real.load_qm9", "value", "n", lambda: data_real.load_qm9(n=0)),
    Case("datasets.real.load_qm9", "value", "max_atoms", lambda: data_real.load_qm9(n=3, max_atoms=-1)),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "datasets.real.load_mnist": {"shape": "takes a split and a size, no array"},
    "datasets.real.load_qm9": {"shape": "takes sizes and a seed, no array"},
    "datasets.real.load_bunny": {kind: "takes no argument" for kind in KINDS},
    "datasets.real.QM9Subset": {kind: "a record of the loader's output; the loader checks" for kind in KINDS},
    "datasets.real.HARTREE_TO_EV": {kind: "a constant" for kind in KINDS},
    "datasets.real.E_ANGSTROM_TO_DEBYE": {kind: "a constant" for kind in KINDS},
    "datasets.real.QM9_TARGETS": {kind: "a constant" for kind in KINDS},
    "datasets.real.ATOMIC_NUMBERS": {kind: "a constant" for kind in KINDS},
    "datasets.real.ELEMENTS": {kind: "a constant" for kind in KINDS},
}
