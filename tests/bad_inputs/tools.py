"""Bad-input cases of gdl.tools (see tests/bad_inputs/__init__.py)."""
import numpy as np
import torch

from bad_inputs import KINDS, Case
from gdl import tools

MODULE = "tools"


def _blobs():
    return torch.randn(8, 2), torch.randint(0, 2, (8,))


def _with_env(name, value, call):
    import os
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        return call()
    finally:
        os.environ.pop(name) if old is None else os.environ.__setitem__(name, old)


def _enter(context):
    with context:
        pass


CASES = [
    Case("tools.check_tensor", "shape", "edge_index",
         lambda: tools.check_tensor(torch.zeros(5, 2), "edge_index", "2 E")),
    Case("tools.check_tensor", "dtype", "edge_index",
         lambda: tools.check_tensor(torch.zeros(2, 5), "edge_index", "2 E", dtype="int"), TypeError),
    Case("tools.check_tensor", "value", "x",
         lambda: tools.check_tensor(torch.tensor([float("nan")]), "x", finite=True)),
    Case("tools.as_float", "shape", "x", lambda: tools.as_float(torch.zeros(3), "x", "n 3")),
    Case("tools.as_float", "dtype", "z",
         lambda: tools.as_float(torch.zeros(2, dtype=torch.complex64), "z"), TypeError),
    Case("tools.as_float", "value", "x",
         lambda: tools.as_float(torch.tensor([float("inf")]), "x", finite=True)),
    Case("tools.check_index", "shape", "edge_index",
         lambda: tools.check_index([0, 1], "edge_index", 3, "node"),
         TypeError),
    Case("tools.check_index", "dtype", "batch",
         lambda: tools.check_index(torch.zeros(2), "batch", 3, "graph"),
         TypeError),
    Case("tools.check_index", "value", "edge_index",
         lambda: tools.check_index(torch.tensor([0, 7]), "edge_index", 3, "node"), match="node 7"),
    Case("tools.check_flag", "dtype", "normalize", lambda: tools.check_flag(1, "normalize"), TypeError),
    Case("tools.check_flag", "value", "normalize", lambda: tools.check_flag("False", "normalize"),
         TypeError),
    Case("tools.cached_on", "dtype", "tensor", lambda: tools.cached_on(np.zeros(3), "key", lambda: 0),
         TypeError),
    Case("tools.index_range", "dtype", "batch", lambda: tools.index_range(torch.zeros(3), "batch"),
         TypeError),
    Case("tools.index_range", "value", "batch",
         lambda: tools.index_range(torch.zeros(0, dtype=torch.long), "batch"), match="empty"),
    Case("tools.check_number", "shape", "k", lambda: tools.check_number(torch.ones(2), "k")),
    Case("tools.check_number", "dtype", "k", lambda: tools.check_number(2.5, "k", integer=True)),
    Case("tools.check_number", "value", "k", lambda: tools.check_number(0, "k", low=1)),
    Case("tools.check_dtype_matches", "dtype", "x",
         lambda: tools.check_dtype_matches(torch.zeros(1, 2, dtype=torch.float64), torch.nn.Linear(2, 2)),
         TypeError),
    Case("tools.seed_everything", "dtype", "seed", lambda: tools.seed_everything(1.5)),
    Case("tools.seed_everything", "value", "seed", lambda: tools.seed_everything(-1)),
    Case("tools.accuracy", "shape", "y",
         lambda: tools.accuracy(torch.randn(4, 3), torch.zeros(5, dtype=torch.long))),
    Case("tools.accuracy", "dtype", "y",
         lambda: tools.accuracy(torch.randn(4, 3), torch.zeros(4)), TypeError),
    Case("tools.accuracy", "value", "y", lambda: tools.accuracy(torch.randn(4, 3), torch.full((4,), 7))),
    Case("tools.count_parameters", "dtype", "model", lambda: tools.count_parameters("m"), TypeError),
    Case("tools.evaluate", "shape", "data",
         lambda: tools.evaluate(torch.nn.Linear(2, 2), (torch.randn(8, 2), torch.zeros(7, dtype=torch.int)))),
    Case("tools.evaluate", "dtype", "data", lambda: tools.evaluate(torch.nn.Linear(2, 2), "data"), TypeError),
    Case("tools.evaluate", "value", "batch_size",
         lambda: tools.evaluate(torch.nn.Linear(2, 2), (torch.randn(8, 2), torch.zeros(8, dtype=torch.long)),
                                batch_size=0)),
    Case("tools.init_distributed", "dtype", "device", lambda: tools.init_distributed(3), TypeError),
    Case("tools.fit", "shape", "train",
         lambda: tools.fit(torch.nn.Linear(2, 2), (torch.randn(8, 2), torch.zeros(7, dtype=torch.long)))),
    Case("tools.fit", "dtype", "epochs", lambda: tools.fit(torch.nn.Linear(2, 2), _blobs(), epochs=1.5)),
    Case("tools.fit", "value", "lr", lambda: tools.fit(torch.nn.Linear(2, 2), _blobs(), lr=-1.0)),
    Case("tools.plot_history", "dtype", "history", lambda: tools.plot_history("h")),
    Case("tools.plot_history", "value", "history", lambda: tools.plot_history({})),
    Case("tools.mlp", "shape", "widths", lambda: tools.mlp(2)),
    Case("tools.mlp", "dtype", "widths", lambda: tools.mlp(2, 3.5)),
    Case("tools.mlp", "value", "widths", lambda: tools.mlp(2, 0)),
    Case("tools.animate", "dtype", "num_frames", lambda: tools.animate(lambda i: None, 2.5, fig=None)),
    Case("tools.animate", "value", "num_frames", lambda: tools.animate(lambda i: None, 0, fig=None)),
    Case("tools.animate_equivariance", "shape", "frame_labels",
         lambda: tools.animate_equivariance([("a", lambda ax, i: None)], [0.1, 0.2], frame_labels=["x"])),
    Case("tools.animate_equivariance", "dtype", "panels", lambda: tools.animate_equivariance("panels", [0.1]),
         TypeError),
    Case("tools.animate_equivariance", "value", "errors",
         lambda: tools.animate_equivariance([("a", lambda ax, i: None)], [float("nan")])),
    Case("tools.full_scale", "value", "GDL_FULL", lambda: _with_env("GDL_FULL", "yes", tools.full_scale)),
    Case("tools.checker", "dtype", "check", lambda: tools.checker(3), TypeError),
    Case("tools.forbidding", "dtype", "fn", lambda: _enter(tools.forbidding(3)), TypeError),
    Case("tools.forbidding", "value", "banned",
         lambda: _enter(tools.forbidding(len, (torch, "no_such_function")))),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "tools.cached_on": {"shape": "a tensor of any shape, its version and identity are the key",
                        "value": "any key and any function are accepted"},
    "tools.check_flag": {"shape": "takes one flag, no array"},
    "tools.index_range": {"shape": "an index of any shape has a smallest and a largest entry"},
    "tools.get_device": {kind: "takes no argument" for kind in KINDS},
    "tools.print_versions": {kind: "takes no argument" for kind in KINDS},
    "tools.Data": {kind: "a type alias, not a function" for kind in KINDS},
    "tools.Animation": {kind: "the player animate returns; animate checks the arguments" for kind in KINDS},
    "tools.full_scale": {"shape": "reads an environment variable", "dtype": "reads an environment variable"},
    "tools.seed_everything": {"shape": "takes one number"},
    "tools.count_parameters": {"shape": "takes a model", "value": "any module has a parameter count"},
    "tools.init_distributed": {"shape": "takes a device", "value": "reads torchrun's environment"},
    "tools.animate": {"shape": "takes a function, a count and a figure"},
    "tools.checker": {"shape": "takes a function", "value": "takes a function"},
    "tools.forbidding": {"shape": "takes functions"},
    "tools.plot_history": {"shape": "takes a dict"},
    "tools.check_dtype_matches": {"shape": "any shape is accepted: it compares dtypes only",
                                  "value": "any values are accepted: it compares dtypes only"},
}
