"""Bad inputs to gdl.meshes: meshes (shapes, dtypes, indices, hygiene), operators, heat and the network."""
import numpy as np
import scipy.sparse as sparse
import torch

from bad_inputs import Case
from gdl import meshes as gm

MODULE = "meshes"

V = np.array([[1.0, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]])  # a regular tetrahedron
F = np.array([[0, 1, 2], [0, 3, 1], [0, 2, 3], [1, 3, 2]])  # outward, consistently oriented
quads = np.arange(12).reshape(3, 4) % 4  # 4F = 12 is divisible by 3: once regrouped silently
V_stray = np.vstack([V, [[3.0, 0, 0]]])  # vertex 4 is in no face
V_nan = np.where(np.arange(4)[:, None] == 2, np.nan, V)
F_flat = np.vstack([F, [[0, 0, 1]]])  # a degenerate face
F_flipped = np.vstack([F[:3], F[3:, ::-1]])
F_fin = np.vstack([F, [[0, 1, 4]]])  # with V_stray: edge (0, 1) in three faces
cplx = V.astype(np.complex128)
L4, M4 = gm.cotan_laplacian(V, F), gm.mass_matrix(V, F)
evals, evecs = np.array([0.0, 1.0]), np.ones((4, 2))
ops = {"mass": np.ones(4), "evals": evals, "evecs": evecs, "grad_evecs": np.zeros((2, 4, 2))}
B, N, C, K = 1, 4, 3, 2
x, mass, lam, phi = torch.randn(B, N, C), torch.ones(B, N), torch.ones(B, K), torch.randn(B, N, K)
t = torch.ones(C)
grad = torch.randn(B, 2, N, K)


def _net(**kw):
    return gm.DiffusionNet(3, 2, width=4, depth=1, **kw)


CASES = [
    # ---- checks every mesh function makes
    Case("meshes.face_cross", "shape", "vertices", lambda: gm.face_cross(V[:, :2], F), match=r"\(V, 3\)"),
    Case("meshes.face_cross", "dtype", "faces", lambda: gm.face_cross(V, F.astype(float)), TypeError),
    Case("meshes.face_cross", "value", "faces", lambda: gm.face_cross(V, F + 3),
         match="faces index vertex 6, but vertices has 4 rows"),
    Case("meshes.face_areas", "shape", "faces", lambda: gm.face_areas(V, quads), match=r"got \(3, 4\)"),
    Case("meshes.face_areas", "dtype", "vertices", lambda: gm.face_areas(cplx, F), TypeError),
    Case("meshes.face_areas", "value", "vertices", lambda: gm.face_areas(V_nan, F), match="NaN"),
    Case("meshes.face_normals", "shape", "vertices", lambda: gm.face_normals(V.ravel(), F)),
    Case("meshes.face_normals", "dtype", "faces", lambda: gm.face_normals(V, F.astype(bool)), TypeError),
    Case("meshes.face_normals", "value", "faces", lambda: gm.face_normals(V, F_flat), match="degenerate"),
    Case("meshes.vertex_normals", "shape", "faces", lambda: gm.vertex_normals(V, F.ravel())),
    Case("meshes.vertex_normals", "dtype", "vertices", lambda: gm.vertex_normals(V.astype(str), F),
         TypeError),
    Case("meshes.vertex_normals", "value", "faces", lambda: gm.vertex_normals(V, F - 1), match="vertex -1"),
    Case("meshes.mesh_edges", "shape", "faces", lambda: gm.mesh_edges(quads),
         match=r"faces must have shape \(F, 3\) \(triangles\), got \(3, 4\)"),
    Case("meshes.mesh_edges", "dtype", "faces", lambda: gm.mesh_edges(F * 1.0), TypeError),
    Case("meshes.mesh_edges", "value", "faces", lambda: gm.mesh_edges(-F)),
    Case("meshes.edge_index", "shape", "faces", lambda: gm.edge_index(quads)),
    Case("meshes.edge_index", "dtype", "faces", lambda: gm.edge_index(torch.tensor(F, dtype=torch.float32)),
         TypeError),
    Case("meshes.edge_index", "value", "faces", lambda: gm.edge_index(F - 2)),
    Case("meshes.vertex_neighbours", "shape", "faces", lambda: gm.vertex_neighbours(F[:, :2])),
    Case("meshes.vertex_neighbours", "dtype", "n_vertices", lambda: gm.vertex_neighbours(F, 4.5)),
    Case("meshes.vertex_neighbours", "value", "n_vertices", lambda: gm.vertex_neighbours(F, 3),
         match="faces index vertex 3, but n_vertices is 3"),
    # ---- the full hygiene check, and the repair
    Case("meshes.validate_mesh", "shape", "faces", lambda: gm.validate_mesh(V, quads)),
    Case("meshes.validate_mesh", "dtype", "vertices", lambda: gm.validate_mesh(cplx, F), TypeError),
    Case("meshes.validate_mesh", "dtype", "closed", lambda: gm.validate_mesh(V, F, closed=1), TypeError),
    Case("meshes.validate_mesh", "value", "faces", lambda: gm.validate_mesh(V, F + 1),
         match="faces index vertex 4, but vertices has 4 rows"),
    Case("meshes.validate_mesh", "value", "vertices", lambda: gm.validate_mesh(V_stray, F),
         match="unreferenced.*vertex 4"),
    Case("meshes.validate_mesh", "value", "vertices",  # vertex 4 sits where vertex 0 is
         lambda: gm.validate_mesh(np.vstack([V, V[:1]]), np.vstack([np.where(F[:1] == 0, 4, F[:1]), F[1:]])),
         match="vertices 0 and 4"),
    Case("meshes.validate_mesh", "value", "faces", lambda: gm.validate_mesh(V_stray, F_fin),
         match="non-manifold"),
    Case("meshes.validate_mesh", "value", "faces", lambda: gm.validate_mesh(V, F_flipped),
         match="inconsistent orientation"),
    Case("meshes.validate_mesh", "value", "faces", lambda: gm.validate_mesh(V, F_flat), match="degenerate"),
    Case("meshes.validate_mesh", "value", "faces", lambda: gm.validate_mesh(V, F[1:], closed=True),
         match="boundary"),
    Case("meshes.validate_mesh", "value", "faces", lambda: gm.validate_mesh(V, np.vstack([F, F[:1]])),
         match="duplicated face"),
    Case("meshes.euler_characteristic", "shape", "vertices", lambda: gm.euler_characteristic(V.T, F)),
    Case("meshes.euler_characteristic", "dtype", "faces", lambda: gm.euler_characteristic(V, F / 1),
         TypeError),
    Case("meshes.euler_characteristic", "value", "faces", lambda: gm.euler_characteristic(V_stray, F_fin)),
    Case("meshes.clean_mesh", "shape", "vertices", lambda: gm.clean_mesh(V[:, :2], F)),
    Case("meshes.clean_mesh", "dtype", "faces", lambda: gm.clean_mesh(V, F.astype(np.float32)), TypeError),
    Case("meshes.clean_mesh", "dtype", "orient", lambda: gm.clean_mesh(V, F, orient="yes"), TypeError),
    Case("meshes.clean_mesh", "value", "tol", lambda: gm.clean_mesh(V, F, tol=-1.0)),
    Case("meshes.clean_mesh", "value", "faces", lambda: gm.clean_mesh(V, F + 5), match="vertex 8"),
    Case("meshes.plot_mesh", "shape", "values", lambda: gm.plot_mesh(V, F, np.zeros(5))),
    Case("meshes.plot_mesh", "dtype", "values", lambda: gm.plot_mesh(V, F, np.zeros(4, complex)), TypeError),
    Case("meshes.plot_mesh", "value", "faces", lambda: gm.plot_mesh(V, F + 4)),
    # ---- operators
    Case("meshes.cotan_laplacian", "shape", "faces", lambda: gm.cotan_laplacian(V, quads)),
    Case("meshes.cotan_laplacian", "dtype", "faces", lambda: gm.cotan_laplacian(V, F.astype(float)),
         TypeError),
    Case("meshes.cotan_laplacian", "value", "faces", lambda: gm.cotan_laplacian(V, F_flat),
         match="degenerate"),
    Case("meshes.cotan_laplacian", "value", "vertices", lambda: gm.cotan_laplacian(V_nan, F)),
    Case("meshes.gradient_operator", "shape", "vertices", lambda: gm.gradient_operator(V[:3, :], F),
         match="faces index vertex 3, but vertices has 3 rows"),
    Case("meshes.gradient_operator", "shape", "vertices", lambda: gm.gradient_operator(V[None], F)),
    Case("meshes.gradient_operator", "dtype", "vertices", lambda: gm.gradient_operator(cplx, F), TypeError),
    Case("meshes.gradient_operator", "value", "faces", lambda: gm.gradient_operator(V, F_flat)),
    Case("meshes.mass_matrix", "shape", "faces", lambda: gm.mass_matrix(V, F[None])),
    Case("meshes.mass_matrix", "dtype", "faces", lambda: gm.mass_matrix(V, [["a", "b", "c"]]), TypeError),
    Case("meshes.mass_matrix", "value", "vertices", lambda: gm.mass_matrix(V * np.inf, F)),
    Case("meshes.laplacian_eigenbasis", "shape", "M", lambda: gm.laplacian_eigenbasis(L4, M4[:3, :3], 2)),
    Case("meshes.laplacian_eigenbasis", "dtype", "L", lambda: gm.laplacian_eigenbasis(L4 * 1j, M4, 2),
         TypeError),
    Case("meshes.laplacian_eigenbasis", "dtype", "seed", lambda: gm.laplacian_eigenbasis(L4, M4, 2, 0.5),
         TypeError),
    Case("meshes.laplacian_eigenbasis", "value", "k", lambda: gm.laplacian_eigenbasis(L4, M4, 4)),
    Case("meshes.laplacian_eigenbasis", "value", "M",
         lambda: gm.laplacian_eigenbasis(L4, sparse.diags([1.0, 1.0, 1.0, 0.0]), 2), match="row 3"),
    # ---- heat
    Case("meshes.heat_kernel", "shape", "evecs", lambda: gm.heat_kernel(evals, evecs[:, :1], 0.1)),
    Case("meshes.heat_kernel", "dtype", "sources", lambda: gm.heat_kernel(evals, evecs, 0.1, 1.5), TypeError),
    Case("meshes.heat_kernel", "value", "t", lambda: gm.heat_kernel(evals, evecs, -0.1)),
    Case("meshes.heat_kernel", "value", "sources", lambda: gm.heat_kernel(evals, evecs, 0.1, [4]),
         match="evecs has 4 rows"),
    Case("meshes.heat_kernel_signature", "shape", "times",
         lambda: gm.heat_kernel_signature(evals, evecs, np.ones((2, 2)))),
    Case("meshes.heat_kernel_signature", "dtype", "evals",
         lambda: gm.heat_kernel_signature(evals + 1j, evecs, 0.1), TypeError),
    Case("meshes.heat_kernel_signature", "value", "times",
         lambda: gm.heat_kernel_signature(evals, evecs, -1)),
    Case("meshes.heat_geodesic", "shape", "faces", lambda: gm.heat_geodesic(V, quads, 0)),
    Case("meshes.heat_geodesic", "dtype", "sources", lambda: gm.heat_geodesic(V, F, 0.5), TypeError),
    Case("meshes.heat_geodesic", "value", "t", lambda: gm.heat_geodesic(V, F, 0, t=-1.0)),
    Case("meshes.heat_geodesic", "value", "vertices", lambda: gm.heat_geodesic(V_stray, F, 0),
         match="unreferenced.*vertex 4.*clean_mesh"),
    Case("meshes.heat_geodesic", "value", "sources", lambda: gm.heat_geodesic(V, F, 4),
         match="vertex 4, but vertices has 4 rows"),
    Case("meshes.HeatMethodSolver", "shape", "vertices", lambda: gm.HeatMethodSolver(V[:, :2], F)),
    Case("meshes.HeatMethodSolver", "shape", "faces", lambda: gm.HeatMethodSolver(V, quads)),
    Case("meshes.HeatMethodSolver", "shape", "sources",
         lambda: gm.HeatMethodSolver(V, F).distance(np.zeros((2, 2), int))),
    Case("meshes.HeatMethodSolver", "dtype", "faces", lambda: gm.HeatMethodSolver(V, F.astype(float)),
         TypeError),
    Case("meshes.HeatMethodSolver", "dtype", "sources", lambda: gm.HeatMethodSolver(V, F).distance(0.5),
         TypeError),
    Case("meshes.HeatMethodSolver", "value", "t", lambda: gm.HeatMethodSolver(V, F, t=0.0)),
    Case("meshes.HeatMethodSolver", "value", "t", lambda: gm.HeatMethodSolver(V, F, t=float("nan"))),
    Case("meshes.HeatMethodSolver", "value", "vertices", lambda: gm.HeatMethodSolver(V_nan, F)),
    Case("meshes.HeatMethodSolver", "value", "sources", lambda: gm.HeatMethodSolver(V, F).distance([1, 4]),
         match="vertex 4, but vertices has 4 rows"),
    Case("meshes.HeatMethodSolver", "value", "sources", lambda: gm.HeatMethodSolver(V, F).distance(-1),
         match="vertex -1"),
    Case("meshes.HeatMethodSolver", "value", "sources",
         lambda: gm.HeatMethodSolver(V, F).distance(np.array([], int)), match="non-empty"),
    # ---- operators of a network's input
    Case("meshes.tangent_frames", "shape", "neighbours",
         lambda: gm.tangent_frames(V, F, np.ones((3, 2), int))),
    Case("meshes.tangent_frames", "dtype", "neighbours", lambda: gm.tangent_frames(V, F, np.ones((4, 2))),
         TypeError),
    Case("meshes.tangent_frames", "value", "neighbours",
         lambda: gm.tangent_frames(V, F, -np.ones((4, 2), int))),
    Case("meshes.vertex_gradient_operator", "shape", "vertices",
         lambda: gm.vertex_gradient_operator(V[:, :1], F)),
    Case("meshes.vertex_gradient_operator", "dtype", "faces",
         lambda: gm.vertex_gradient_operator(V, F.astype(float)), TypeError),
    Case("meshes.vertex_gradient_operator", "value", "faces",
         lambda: gm.vertex_gradient_operator(V, F_flipped), match="orientation"),
    Case("meshes.mesh_operators", "shape", "faces", lambda: gm.mesh_operators(V, quads, 2)),
    Case("meshes.mesh_operators", "dtype", "k", lambda: gm.mesh_operators(V, F, 2.5)),
    Case("meshes.mesh_operators", "value", "k", lambda: gm.mesh_operators(V, F, 4), match=r"\[1, 3\]"),
    Case("meshes.hks_features", "shape", "ops", lambda: gm.hks_features({**ops, "mass": np.ones(3)})),
    Case("meshes.hks_features", "dtype", "ops", lambda: gm.hks_features([ops]), TypeError),
    Case("meshes.hks_features", "value", "times", lambda: gm.hks_features(ops, [-0.1, 0.1])),
    Case("meshes.hks_features", "value", "ops", lambda: gm.hks_features({"mass": np.ones(4)}), match="lacks"),
    # ---- the network
    Case("meshes.spectral_diffusion", "shape", "t",
         lambda: gm.spectral_diffusion(x, mass, lam, phi, torch.ones(C + 1)), match="C = 3"),
    Case("meshes.spectral_diffusion", "shape", "evecs",
         lambda: gm.spectral_diffusion(x, mass, lam, phi[:, :, :1], t)),
    Case("meshes.spectral_diffusion", "dtype", "x",
         lambda: gm.spectral_diffusion(x.long(), mass, lam, phi, t),
         TypeError),
    Case("meshes.spectral_diffusion", "dtype", "mass",
         lambda: gm.spectral_diffusion(x, mass.double(), lam, phi, t), TypeError),
    Case("meshes.DiffusionBlock", "shape", "t_range", lambda: gm.DiffusionBlock(4, (0.1, 0.2, 0.3))),
    Case("meshes.DiffusionBlock", "shape", "x", lambda: gm.DiffusionBlock(4)(x, mass, lam, phi, grad),
         match="C = 4"),
    Case("meshes.DiffusionBlock", "dtype", "width", lambda: gm.DiffusionBlock(2.5)),
    Case("meshes.DiffusionBlock", "dtype", "x",
         lambda: gm.DiffusionBlock(3)(x.double(), mass, lam, phi, grad), TypeError),
    Case("meshes.DiffusionBlock", "value", "width", lambda: gm.DiffusionBlock(0)),
    Case("meshes.DiffusionBlock", "value", "t_range[0]", lambda: gm.DiffusionBlock(4, (-1.0, 0.1))),
    Case("meshes.DiffusionNet", "shape", "features", lambda: _net()(x[..., :2], mass, lam, phi, grad),
         match="C = 3"),
    Case("meshes.DiffusionNet", "shape", "grad_evecs", lambda: _net()(x, mass, lam, phi, grad[:, :1])),
    Case("meshes.DiffusionNet", "dtype", "features", lambda: _net()(x.double(), mass, lam, phi, grad),
         TypeError, match=r"\.double\(\)"),
    Case("meshes.DiffusionNet", "dtype", "in_channels", lambda: gm.DiffusionNet(3.0, 2)),
    Case("meshes.DiffusionNet", "value", "depth", lambda: gm.DiffusionNet(3, 2, depth=-1)),
    Case("meshes.DiffusionNet", "value", "features", lambda: _net()(x[:, :0], mass[:, :0], lam, phi[:, :0],
                                                                    grad[:, :, :0]), match="no vertices"),
]

EXEMPT = {
    # a value check in every layer's forward would synchronise the device; the operators' values are
    # checked once, by mesh_operators and batch_meshes
    "meshes.spectral_diffusion": {"value": "per-layer path: values are checked where the operators are made"},
}
