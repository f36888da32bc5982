"""Bad-input cases of gdl.sequences (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import sequences

MODULE = "sequences"


def _cell(name: str) -> torch.nn.Module:
    """A cell of gdl.sequences with 2 inputs and 5 hidden units."""
    return getattr(sequences, name)(2, 5)


CASES = [
    Case("sequences.VanillaRNNCell", "shape", "x",
         lambda: _cell("VanillaRNNCell")(torch.zeros(4, 3), torch.zeros(4, 5)),
         match="C = 2"),
    Case("sequences.VanillaRNNCell", "dtype", "x",
         lambda: _cell("VanillaRNNCell")(torch.zeros(4, 2, dtype=torch.float64), torch.zeros(4, 5)),
         TypeError, r"\.double\(\)"),
    Case("sequences.VanillaRNNCell", "value", "hidden_size", lambda: sequences.VanillaRNNCell(2, 0)),
    Case("sequences.LeakyRNNCell", "shape", "h",
         lambda: _cell("LeakyRNNCell")(torch.zeros(4, 2), torch.zeros(3, 5))),
    Case("sequences.LeakyRNNCell", "dtype", "x",
         lambda: _cell("LeakyRNNCell")(torch.zeros(4, 2, dtype=torch.long), torch.zeros(4, 5)), TypeError),
    Case("sequences.LeakyRNNCell", "value", "time_scale",
         lambda: _cell("LeakyRNNCell")(torch.zeros(4, 2), torch.zeros(4, 5), time_scale=0.0)),
    Case("sequences.GatedRNNCell", "shape", "h",
         lambda: _cell("GatedRNNCell")(torch.zeros(4, 2), torch.zeros(4, 6))),
    Case("sequences.GatedRNNCell", "dtype", "h",
         lambda: _cell("GatedRNNCell")(torch.zeros(4, 2), torch.zeros(4, 5, dtype=torch.long)), TypeError),
    Case("sequences.GatedRNNCell", "value", "time_scale",
         lambda: _cell("GatedRNNCell")(torch.zeros(4, 2), torch.zeros(4, 5), time_scale=2.0)),
    Case("sequences.GRUCell", "shape", "x", lambda: _cell("GRUCell")(torch.zeros(2), torch.zeros(4, 5))),
    Case("sequences.GRUCell", "dtype", "input_size", lambda: sequences.GRUCell(2.0, 5)),
    Case("sequences.GRUCell", "value", "input_size", lambda: sequences.GRUCell(-1, 5)),
    Case("sequences.LSTMCell", "shape", "c",
         lambda: _cell("LSTMCell")(torch.zeros(4, 2), (torch.zeros(4, 5), torch.zeros(4, 4)))),
    Case("sequences.LSTMCell", "dtype", "state",
         lambda: _cell("LSTMCell")(torch.zeros(4, 2), torch.zeros(4, 5)),
         TypeError),
    Case("sequences.LSTMCell", "value", "hidden_size", lambda: sequences.LSTMCell(2, True)),
    Case("sequences.unroll", "shape", "x", lambda: sequences.unroll(_cell("GRUCell"), torch.zeros(1, 3, 5))),
    Case("sequences.unroll", "dtype", "mask",
         lambda: sequences.unroll(_cell("GRUCell"), torch.zeros(1, 3, 2), mask=torch.ones(1, 3)), TypeError),
    Case("sequences.unroll", "value", "x", lambda: sequences.unroll(_cell("GRUCell"), torch.zeros(2, 0, 2)),
         match="at least one time step"),
    Case("sequences.RecurrentClassifier", "shape", "x",
         lambda: sequences.RecurrentClassifier(_cell("GRUCell"), 3)(torch.zeros(5, 2))),
    Case("sequences.RecurrentClassifier", "dtype", "cell", lambda: sequences.RecurrentClassifier("gru", 3),
         TypeError),
    Case("sequences.RecurrentClassifier", "value", "num_classes",
         lambda: sequences.RecurrentClassifier(_cell("GRUCell"), 0)),
    Case("sequences.tied_lstm", "dtype", "gated", lambda: sequences.tied_lstm(_cell("GRUCell")), TypeError),
    Case("sequences.tied_lstm", "value", "output_bias",
         lambda: sequences.tied_lstm(_cell("GatedRNNCell"), output_bias=-1.0)),
    Case("sequences.fixed_point_state", "dtype", "cell",
         lambda: sequences.fixed_point_state(torch.nn.GRUCell(2, 3)),
         TypeError),
    Case("sequences.fixed_point_state", "value", "batch_size",
         lambda: sequences.fixed_point_state(_cell("GRUCell"), 0)),
    Case("sequences.fixed_point_state", "value", "tol",
         lambda: sequences.fixed_point_state(_cell("GRUCell"), tol=0)),
    Case("sequences.delay", "shape", "x", lambda: sequences.delay(torch.zeros(3, 2), 1)),
    Case("sequences.delay", "dtype", "x",
         lambda: sequences.delay(torch.zeros(1, 3, 2, dtype=torch.complex64), 1),
         TypeError),
    Case("sequences.delay", "value", "s", lambda: sequences.delay(torch.zeros(1, 3, 2), -1)),
    Case("sequences.chrono_bias", "dtype", "hidden_size", lambda: sequences.chrono_bias(4.5, 10.0)),
    Case("sequences.chrono_bias", "value", "t_max", lambda: sequences.chrono_bias(4, 2.0)),
    Case("sequences.chrono_init", "dtype", "cell", lambda: sequences.chrono_init(torch.nn.Linear(2, 2), 10.0),
         TypeError),
    Case("sequences.chrono_init", "value", "t_max",
         lambda: sequences.chrono_init(_cell("GatedRNNCell"), 1.0)),
    Case("sequences.stretch", "shape", "x", lambda: sequences.stretch(torch.zeros(3, 2), 2)),
    Case("sequences.stretch", "dtype", "k", lambda: sequences.stretch(torch.zeros(1, 3, 2), 2.0)),
    Case("sequences.stretch", "value", "k", lambda: sequences.stretch(torch.zeros(1, 3, 2), 0)),
    Case("sequences.warp_error", "shape", "x",
         lambda: sequences.warp_error(_cell("GRUCell"), torch.zeros(3, 2), 2)),
    Case("sequences.warp_error", "dtype", "k",
         lambda: sequences.warp_error(_cell("GRUCell"), torch.zeros(1, 3, 2), 1.5)),
    Case("sequences.warp_error", "value", "time_scale",
         lambda: sequences.warp_error(_cell("LeakyRNNCell"), torch.zeros(1, 3, 2), 2, time_scale=-1.0)),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "sequences.tied_lstm": {"shape": "takes a cell and a number, no array"},
    "sequences.fixed_point_state": {"shape": "takes a cell and numbers, no array"},
    "sequences.chrono_bias": {"shape": "takes numbers and a generator, no array"},
    "sequences.chrono_init": {"shape": "takes a cell and numbers, no array"},
}
