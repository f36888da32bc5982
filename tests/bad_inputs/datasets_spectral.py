"""Bad-input cases of gdl.datasets.spectral (see tests/bad_inputs/__init__.py)."""
from bad_inputs import Case
from gdl.datasets import spectral as data_spectral

MODULE = "datasets.spectral"


CASES = [
    Case("datasets.spectral.sensor_graph", "dtype", "num_nodes", lambda: data_spectral.sensor_graph(10.0)),
    Case("datasets.spectral.sensor_graph", "value", "k", lambda: data_spectral.sensor_graph(10, 10)),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "datasets.spectral.sensor_graph": {"shape": "takes sizes, no array"},
}
