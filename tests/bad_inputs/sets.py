"""Bad-input cases for gdl.sets (the chapter "Sets: Deep Sets and PointNet")."""
import torch

from bad_inputs import Case
from gdl import sets

MODULE = "sets"

clouds = torch.randn(2, 10, 3)  # a batch of 2 sets of 10 points in R^3

CASES = [
    Case("sets.PermEquivariantLinear", "shape", "x",
         lambda: sets.PermEquivariantLinear(4, 2)(torch.randn(1, 3, 2)), match="C = 4"),
    Case("sets.PermEquivariantLinear", "shape", "x",
         lambda: sets.PermEquivariantLinear(3, 2, aggr="max")(torch.randn(2, 0, 3)), match="n >= 1"),
    Case("sets.PermEquivariantLinear", "dtype", "x",
         lambda: sets.PermEquivariantLinear(3, 2)(clouds.double()), TypeError, r"\.double\(\)"),
    Case("sets.PermEquivariantLinear", "value", "in_channels", lambda: sets.PermEquivariantLinear(0, 2)),
    Case("sets.PermEquivariantLinear", "value", "aggr",
         lambda: sets.PermEquivariantLinear(3, 2, aggr="prod")),
    Case("sets.DeepSets", "shape", "x", lambda: sets.DeepSets(3, 5)(torch.randn(10, 3)), match="C = 3"),
    Case("sets.DeepSets", "dtype", "x", lambda: sets.DeepSets(3, 5)(clouds.long()), TypeError),
    Case("sets.DeepSets", "value", "hidden", lambda: sets.DeepSets(3, 5, hidden=0)),
    Case("sets.DeepSets", "value", "aggr", lambda: sets.DeepSets(3, 5, aggr="min")),
    Case("sets.PointNet", "shape", "x", lambda: sets.PointNet(3, 5)(torch.randn(2, 10, 2)), match="C = 3"),
    Case("sets.PointNet", "dtype", "x", lambda: sets.PointNet(3, 5)(clouds.double()), TypeError,
         r"\.double\(\)"),
    Case("sets.PointNet", "value", "widths", lambda: sets.PointNet(3, 5, widths=(64, 0))),
    Case("sets.PointNet", "value", "num_classes", lambda: sets.PointNet(3, 0)),
    Case("sets.FlatMLP", "shape", "x", lambda: sets.FlatMLP(10, 3, 5)(torch.randn(2, 12, 3)), match="n = 10"),
    Case("sets.FlatMLP", "dtype", "x", lambda: sets.FlatMLP(10, 3, 5)(clouds.double()), TypeError,
         r"\.double\(\)"),
    Case("sets.FlatMLP", "value", "num_points", lambda: sets.FlatMLP(0, 3, 5)),
]

EXEMPT = {}
