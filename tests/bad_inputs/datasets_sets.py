"""Bad-input cases for gdl.datasets.sets (the point clouds of the chapter "Sets: Deep Sets and PointNet")."""
from bad_inputs import KINDS, Case
from gdl.datasets import sets as data_sets

MODULE = "datasets.sets"

CASES = [
    Case("datasets.sets.make_point_clouds", "shape", "sizes",
         lambda: data_sets.make_point_clouds(10, 10, sizes=(0.5, 1.0, 1.5))),
    Case("datasets.sets.make_point_clouds", "dtype", "num_points",
         lambda: data_sets.make_point_clouds(10, 2.5)),
    Case("datasets.sets.make_point_clouds", "dtype", "generator",
         lambda: data_sets.make_point_clouds(10, 10, generator=0), TypeError),
    Case("datasets.sets.make_point_clouds", "value", "noise",
         lambda: data_sets.make_point_clouds(10, 10, noise=float("nan"))),
    Case("datasets.sets.make_point_clouds", "value", "sizes",
         lambda: data_sets.make_point_clouds(10, 10, sizes=(0.5, float("inf")))),
    Case("datasets.sets.make_point_clouds", "value", "num_clouds",
         lambda: data_sets.make_point_clouds(0, 10)),
]

EXEMPT = {
    "datasets.sets.SHAPES": {kind: "a constant" for kind in KINDS},
}
