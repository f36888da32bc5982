"""Bad inputs to gdl.datasets.meshes: the procedural meshes, the articulated figures and the batching."""
import numpy as np
import torch

from bad_inputs import Case
from gdl.datasets import meshes as dm

MODULE = M = "datasets.meshes"

FIG = dm.stick_figure(dm.FIGURE_CLASSES["tripod"], lengths=1.2, subdivisions=2, hole_rings=1, ring_size=6)
rng = np.random.default_rng(0)
ops = {"mass": np.ones(4), "evals": np.array([0.0, 1.0]), "evecs": np.ones((4, 2)),
       "grad_evecs": np.zeros((2, 4, 2))}
feats = np.ones((4, 3))
dirs = np.asarray(dm.FIGURE_CLASSES["tripod"])

CASES = [
    Case(f"{M}.icosphere", "dtype", "subdivisions", lambda: dm.icosphere(2.5)),
    Case(f"{M}.icosphere", "value", "radius", lambda: dm.icosphere(1, radius=-1.0)),
    Case(f"{M}.icosphere", "value", "subdivisions", lambda: dm.icosphere(-1)),
    Case(f"{M}.torus", "dtype", "major_sections", lambda: dm.torus(major_sections=3.5)),
    Case(f"{M}.torus", "value", "minor_radius", lambda: dm.torus(1.0, 1.5),
         match="intersects itself"),
    Case(f"{M}.torus", "value", "minor_sections", lambda: dm.torus(minor_sections=2)),
    Case(f"{M}.stick_figure", "shape", "directions", lambda: dm.stick_figure(dirs[:, :2])),
    Case(f"{M}.stick_figure", "dtype", "directions", lambda: dm.stick_figure(dirs + 1j), TypeError),
    Case(f"{M}.stick_figure", "value", "directions",
         lambda: dm.stick_figure(np.vstack([dirs, np.zeros(3)])), match="non-zero"),
    Case(f"{M}.stick_figure", "value", "joints", lambda: dm.stick_figure(dirs, joints=(0.5, 1.5))),
    Case(f"{M}.stick_figure", "value", "lengths", lambda: dm.stick_figure(dirs, lengths=-1.0)),
    Case(f"{M}.stick_figure", "shape", "lengths", lambda: dm.stick_figure(dirs, lengths=[1.0, 2.0])),
    Case(f"{M}.rotate_about_axis", "shape", "points",
         lambda: dm.rotate_about_axis(np.ones((4, 2)), [0, 0, 1], 0.3)),
    Case(f"{M}.rotate_about_axis", "shape", "angle",
         lambda: dm.rotate_about_axis(np.ones((4, 3)), [0, 0, 1], np.ones(3))),
    Case(f"{M}.rotate_about_axis", "dtype", "axis",
         lambda: dm.rotate_about_axis(np.ones((4, 3)), [0, 0, 1j], 0.3), TypeError),
    Case(f"{M}.rotate_about_axis", "value", "axis",
         lambda: dm.rotate_about_axis(np.ones((4, 3)), [0, 0, 0], 0.3), match="non-zero"),
    Case(f"{M}.pose_figure", "shape", "angles", lambda: dm.pose_figure(FIG, np.zeros((3, 3)))),
    Case(f"{M}.pose_figure", "dtype", "figure",
         lambda: dm.pose_figure((FIG.vertices, FIG.faces), np.zeros((3, 2))), TypeError),
    Case(f"{M}.pose_figure", "value", "width", lambda: dm.pose_figure(FIG, np.zeros((3, 2)), width=0)),
    Case(f"{M}.pose_figure", "value", "angles",
         lambda: dm.pose_figure(FIG, np.full((3, 2), np.nan)), match="NaN"),
    Case(f"{M}.random_figure", "dtype", "rng", lambda: dm.random_figure("tripod", 0), TypeError),
    Case(f"{M}.random_figure", "value", "kind", lambda: dm.random_figure("octopus", rng)),
    Case(f"{M}.random_figure", "value", "min_angle",
         lambda: dm.random_figure("tripod", rng, max_angle=0.1, min_angle=0.5)),
    Case(f"{M}.batch_meshes", "shape", "features_list[0]",
         lambda: dm.batch_meshes([ops], [np.ones((5, 3))]), match=r"\(4, \*\)"),
    Case(f"{M}.batch_meshes", "shape", "ops_list[0]['evecs']",
         lambda: dm.batch_meshes([{**ops, "evecs": np.ones((4, 3))}], [feats])),
    Case(f"{M}.batch_meshes", "dtype", "features_list[0]",
         lambda: dm.batch_meshes([ops], [feats + 1j]), TypeError),
    Case(f"{M}.batch_meshes", "dtype", "dtype",
         lambda: dm.batch_meshes([ops], [feats], dtype=torch.int64), TypeError),
    Case(f"{M}.batch_meshes", "dtype", "ops_list", lambda: dm.batch_meshes(ops, [feats]), TypeError),
    Case(f"{M}.batch_meshes", "value", "n_vertices",
         lambda: dm.batch_meshes([ops], [feats], n_vertices=2)),
    Case(f"{M}.batch_meshes", "value", "ops_list", lambda: dm.batch_meshes([], [])),
    Case(f"{M}.batch_meshes", "value", "features_list[0]",
         lambda: dm.batch_meshes([ops], [np.full((4, 3), np.inf)]), match="NaN or infinity"),
    Case(f"{M}.make_figure_dataset", "dtype", "rng", lambda: dm.make_figure_dataset(1, 0), TypeError),
    Case(f"{M}.make_figure_dataset", "dtype", "n_per_class", lambda: dm.make_figure_dataset(1.5, rng)),
    Case(f"{M}.make_figure_dataset", "value", "n_per_class", lambda: dm.make_figure_dataset(0, rng)),
]

EXEMPT = {
    f"{M}.icosphere": {"shape": "takes numbers, no array"},
    f"{M}.torus": {"shape": "takes numbers, no array"},
    f"{M}.random_figure": {"shape": "takes a class name, a generator and angles, no array"},
    f"{M}.make_figure_dataset": {"shape": "takes a count, a generator and flags, no array"},
    f"{M}.ArticulatedMesh": {kind: "a record of stick_figure's output; stick_figure and pose_figure check"
                             for kind in ("shape", "dtype", "value")},
    f"{M}.FIGURE_CLASSES": {kind: "a constant" for kind in ("shape", "dtype", "value")},
}
