"""Bad inputs of gdl.gauges (the chapter on gauges): one case of each kind per public name."""
import functools

import numpy as np
import torch

from bad_inputs import KINDS, Case  # noqa: F401
from gdl import gauges
from gdl.datasets.meshes import icosphere

MODULE = "gauges"


@functools.cache
def _mesh() -> gauges.GaugeMesh:
    """An icosahedron (12 vertices) in its default gauge."""
    return gauges.gauge_mesh(*icosphere(0))


def _vf():
    mesh = _mesh()
    return mesh.vertices, mesh.faces


def _parts(**replace):
    """The arguments of GaugeMesh for the icosahedron, with some replaced."""
    m = _mesh()
    parts = dict(vertices=m.vertices, faces=m.faces, frames=m.frames, edge_index=m.edge_index, theta=m.theta,
                 transport=m.transport)
    return gauges.GaugeMesh(**{**parts, **replace})


def _nan_vertices():
    V, F = _vf()
    V = V.copy()
    V[0, 0] = np.nan
    return V, F


def _edges():
    src, dst = _mesh().edge_index.numpy()
    return src, dst


def _frames_e(n: int = 3) -> np.ndarray:
    return _mesh().frames[:n]


V12 = 12  # the icosahedron's vertices

CASES = [
    Case("gauges.GaugeGroup", "shape", "g",
         lambda: gauges.GaugeGroup(V12).act(torch.zeros(3), _mesh().frames),
         match=r"\(V,\) with V = 12"),
    Case("gauges.GaugeGroup", "dtype", "num_vertices", lambda: gauges.GaugeGroup(2.5)),
    Case("gauges.GaugeGroup", "dtype", "x",
         lambda: gauges.GaugeGroup(V12).rep(torch.zeros(V12), torch.zeros(V12, 1, 1, dtype=torch.cfloat)),
         TypeError),
    Case("gauges.GaugeGroup", "value", "num_vertices", lambda: gauges.GaugeGroup(0)),
    Case("gauges.GaugeGroup", "value", "g",
         lambda: gauges.GaugeGroup(V12).rep(torch.full((V12,), float("nan")), torch.zeros(V12, 1, 1))),
    Case("gauges.FieldType", "shape", "frequencies", lambda: gauges.FieldType([[0, 1]])),
    Case("gauges.FieldType", "dtype", "frequencies", lambda: gauges.FieldType((0, 1.5)), TypeError),
    Case("gauges.FieldType", "value", "frequencies", lambda: gauges.FieldType((0, -1)), match="non-negative"),
    Case("gauges.FieldType", "value", "angle",
         lambda: gauges.FieldType((0, 1)).apply(float("inf"), torch.zeros(3))),
    Case("gauges.log_angles", "shape", "points",
         lambda: gauges.log_angles(_vf()[0][:, :2], _mesh().frames, *_edges())),
    Case("gauges.log_angles", "dtype", "src",
         lambda: gauges.log_angles(_vf()[0], _mesh().frames, _edges()[0] + 0.5, _edges()[1]), TypeError),
    Case("gauges.log_angles", "value", "dst",
         lambda: gauges.log_angles(_vf()[0], _mesh().frames, _edges()[0], _edges()[1] + V12), match="vertex"),
    Case("gauges.transport_angles", "shape", "frames_src",
         lambda: gauges.transport_angles(_frames_e()[:, 0], _frames_e())),
    Case("gauges.transport_angles", "dtype", "frames_src",
         lambda: gauges.transport_angles(_frames_e().astype(complex), _frames_e()), TypeError),
    Case("gauges.transport_angles", "value", "frames_dst",
         lambda: gauges.transport_angles(_frames_e(), 2 * _frames_e()), match="orthonormal"),
    Case("gauges.GaugeMesh", "shape", "edge_index", lambda: _parts(edge_index=_mesh().edge_index.T)),
    Case("gauges.GaugeMesh", "dtype", "edge_index", lambda: _parts(edge_index=_mesh().edge_index.float()),
         TypeError),
    Case("gauges.GaugeMesh", "value", "theta", lambda: _parts(theta=_mesh().theta * float("nan"))),
    Case("gauges.gauge_mesh", "shape", "frames", lambda: gauges.gauge_mesh(*_vf(), np.zeros((2, 3, 3)))),
    Case("gauges.gauge_mesh", "dtype", "frames",
         lambda: gauges.gauge_mesh(*_vf(), _mesh().frames.astype(complex)), TypeError),
    Case("gauges.gauge_mesh", "value", "frames", lambda: gauges.gauge_mesh(*_vf(), np.zeros((V12, 3, 3))),
         match="orthonormal"),
    Case("gauges.change_gauge", "shape", "angles", lambda: gauges.change_gauge(_mesh(), np.zeros(3))),
    Case("gauges.change_gauge", "dtype", "mesh",
         lambda: gauges.change_gauge(_vf(), np.zeros(V12)), TypeError),
    Case("gauges.change_gauge", "value", "angles",
         lambda: gauges.change_gauge(_mesh(), np.full(V12, np.inf))),
    Case("gauges.face_frames", "shape", "vertices", lambda: gauges.face_frames(_vf()[0][:, :2], _vf()[1])),
    Case("gauges.face_frames", "dtype", "faces", lambda: gauges.face_frames(_vf()[0], _vf()[1] + 0.5),
         TypeError),
    Case("gauges.face_frames", "value", "vertices", lambda: gauges.face_frames(*_nan_vertices())),
    Case("gauges.angle_defects", "shape", "vertices",
         lambda: gauges.angle_defects(_vf()[0][:, :2], _vf()[1])),
    Case("gauges.angle_defects", "dtype", "faces", lambda: gauges.angle_defects(_vf()[0], _vf()[1] + 0.5),
         TypeError),
    Case("gauges.angle_defects", "value", "vertices", lambda: gauges.angle_defects(*_nan_vertices())),
    Case("gauges.vertex_holonomy", "shape", "faces",
         lambda: gauges.vertex_holonomy(_vf()[0], _vf()[1][:, :2])),
    Case("gauges.vertex_holonomy", "dtype", "faces", lambda: gauges.vertex_holonomy(_vf()[0], _vf()[1] + 0.5),
         TypeError),
    Case("gauges.vertex_holonomy", "value", "vertices", lambda: gauges.vertex_holonomy(*_nan_vertices())),
    Case("gauges.kernel_basis", "shape", "type_in", lambda: gauges.kernel_basis([[0, 1]], 1)),
    Case("gauges.kernel_basis", "dtype", "type_out", lambda: gauges.kernel_basis(0, (1.5,)), TypeError),
    Case("gauges.kernel_basis", "value", "max_freq", lambda: gauges.kernel_basis(0, 1, max_freq=-1)),
    Case("gauges.GEMConv", "shape", "x",
         lambda: gauges.GEMConv(2, 2, (0, 1), 1)(torch.zeros(V12, 2, 2), _mesh()),
         match="d=3"),
    Case("gauges.GEMConv", "dtype", "x",
         lambda: gauges.GEMConv(1, 1, 0, 1)(torch.zeros(V12, 1, 1, dtype=torch.float64), _mesh()), TypeError,
         r"\.double\(\)"),
    Case("gauges.GEMConv", "value", "in_channels", lambda: gauges.GEMConv(0, 1, 0, 1)),
    Case("gauges.RegularNonlinearity", "shape", "x",
         lambda: gauges.RegularNonlinearity((0, 1))(torch.zeros(4, 2)),
         match="d = 3"),
    Case("gauges.RegularNonlinearity", "dtype", "x",
         lambda: gauges.RegularNonlinearity((0, 1))(torch.zeros(4, 3, dtype=torch.long)), TypeError),
    Case("gauges.RegularNonlinearity", "value", "n_samples",
         lambda: gauges.RegularNonlinearity((0, 1, 2), 4)),
    Case("gauges.GEMCNN", "shape", "x", lambda: gauges.GEMCNN(1, 1, 0, 1)(torch.zeros(V12, 2, 1), _mesh()),
         match="C=1"),
    Case("gauges.GEMCNN", "dtype", "x",
         lambda: gauges.GEMCNN(1, 1, 0, 1)(torch.zeros(V12, 1, 1, dtype=torch.long), _mesh()), TypeError),
    Case("gauges.GEMCNN", "value", "layers", lambda: gauges.GEMCNN(1, 1, 0, 1, layers=0)),
    Case("gauges.MeshGCN", "shape", "x",
         lambda: gauges.MeshGCN(1, 2)(torch.zeros(V12, 1), _mesh().edge_index)),
    Case("gauges.MeshGCN", "dtype", "edge_index",
         lambda: gauges.MeshGCN(1, 2)(torch.zeros(2, V12, 1), _mesh().edge_index.float()), TypeError),
    Case("gauges.MeshGCN", "value", "edge_index",
         lambda: gauges.MeshGCN(1, 2)(torch.zeros(2, 5, 1), _mesh().edge_index), match="vertex"),
]

EXEMPT = {}
