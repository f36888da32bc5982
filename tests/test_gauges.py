"""Tests of gdl.gauges: representations, transport, holonomy, kernel constraint and gauge equivariance."""
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.gauges import (GEMCNN, GEMConv, MeshGCN, RegularNonlinearity, angle_defects, apply_rep,
                        change_gauge, fourier_features, gauge_mesh, gauge_transform, kernel_basis,
                        rep_dim, rep_matrix, rotate_frames, vertex_holonomy)
from gdl.meshes import icosphere, torus
from gdl.symmetry import SO2, check_equivariance, check_homomorphism

reps = st.lists(st.integers(0, 3), min_size=1, max_size=4).map(tuple)


def _mesh(kind, seed):
    """A small random mesh: a bumpy icosphere or a torus of random proportions."""
    rng = np.random.default_rng(seed)
    if kind == "sphere":
        V, F = icosphere(1 + seed % 2)
        V = V * rng.uniform(0.85, 1.15, (len(V), 1))
    else:
        V, F = torus(1.0, rng.uniform(0.3, 0.5), int(rng.integers(12, 20)), int(rng.integers(8, 12)))
    return V, F


_MESHES = {}


def _gauge_mesh(kind, seed):
    key = (kind, seed % 4)
    if key not in _MESHES:
        _MESHES[key] = gauge_mesh(*_mesh(kind, seed % 4))
    return _MESHES[key]


def _gauge_error(layer, mesh, x, seed, n=2, rep_in=None, rep_out=None):
    rep_in = rep_in or layer.rep_in
    rep_out = rep_out or layer.rep_out
    rng = np.random.default_rng(seed)
    elements = [(g, change_gauge(mesh, g)) for g in rng.uniform(0, 2 * np.pi, (n, mesh.num_vertices))]
    return check_equivariance(
        lambda inp: layer(*inp), (x, mesh),
        lambda e, inp: (gauge_transform(inp[0], torch.from_numpy(e[0]), rep_in), e[1]),
        lambda e, y: gauge_transform(y, torch.from_numpy(e[0]), rep_out), elements)


@given(rep=reps, seed=st.integers(0, 1000))
def test_rep_is_a_homomorphism(rep, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(rep_dim(rep), dtype=torch.float64, generator=gen)
    pairs = list(zip(SO2().sample(5, gen).tolist(), SO2().sample(5, gen).tolist()))
    assert check_homomorphism(SO2(), x, rep=lambda g, v: apply_rep(rep, g, v), pairs=pairs) < 1e-12
    R = rep_matrix(rep, 0.7)
    assert torch.allclose(R @ R.T, torch.eye(rep_dim(rep), dtype=torch.float64))
    assert torch.allclose(R @ x, apply_rep(rep, 0.7, x))


@given(kind=st.sampled_from(["sphere", "torus"]), seed=st.integers(0, 1000))
def test_angles_and_transport_change_with_the_gauge(kind, seed):
    mesh = _gauge_mesh(kind, seed)
    g = np.random.default_rng(seed).uniform(0, 2 * np.pi, mesh.num_vertices)
    new = change_gauge(mesh, g)
    src, dst = mesh.edge_index.numpy()
    wrap = lambda a: np.abs(np.angle(np.exp(1j * a))).max()
    assert wrap(new.theta.numpy() - mesh.theta.numpy() + g[dst]) < 1e-12
    assert wrap(new.transport.numpy() - mesh.transport.numpy() + g[dst] - g[src]) < 1e-12


@given(kind=st.sampled_from(["sphere", "torus"]), seed=st.integers(0, 1000))
def test_holonomy_equals_angle_defect(kind, seed):
    V, F = _mesh(kind, seed % 4)
    hol, defect = vertex_holonomy(V, F), angle_defects(V, F)
    assert np.abs(hol - defect).max() < 1e-12
    chi = 2 if kind == "sphere" else 0
    assert abs(defect.sum() - 2 * np.pi * chi) < 1e-9


@given(m=st.integers(0, 3), n=st.integers(0, 3), seed=st.integers(0, 1000))
def test_kernel_basis_solves_the_constraint(m, n, seed):
    basis = kernel_basis(m, n)
    assert len(basis) == (1 if m == n == 0 else 2 if m * n == 0 else 4)
    assert len(kernel_basis(m, n, 0)) == (1 if m == n == 0 else 2 if m == n else 0)  # Schur
    gen = torch.Generator().manual_seed(seed)
    theta, g = SO2().sample(8, gen), SO2().sample(8, gen)
    J = basis.shape[1] // 2
    K = lambda t: torch.einsum("sj,bjoi->bsoi", fourier_features(t, J), basis)
    assert (K(theta - g) - rep_matrix(n, -g) @ K(theta) @ rep_matrix(m, g)).abs().max() < 1e-12
    flat = basis.flatten(1)
    assert torch.allclose(flat @ flat.T, torch.eye(len(basis), dtype=torch.float64), atol=1e-10)


@given(rep_in=reps, rep_out=reps, kind=st.sampled_from(["sphere", "torus"]), seed=st.integers(0, 1000))
def test_gem_conv_is_gauge_equivariant_float64(rep_in, rep_out, kind, seed):
    mesh = _gauge_mesh(kind, seed)
    torch.manual_seed(seed)
    layer = GEMConv(2, 3, rep_in, rep_out).double()
    x = torch.randn(mesh.num_vertices, 2, rep_dim(rep_in), dtype=torch.float64)
    assert _gauge_error(layer, mesh, x, seed) < 1e-12


@given(rep_in=reps, rep_out=reps, seed=st.integers(0, 1000))
def test_gem_conv_is_gauge_equivariant_float32_batched(rep_in, rep_out, seed):
    mesh = _gauge_mesh("torus", seed)
    torch.manual_seed(seed)
    layer = GEMConv(2, 2, rep_in, rep_out)
    x = torch.randn(3, mesh.num_vertices, 2, rep_dim(rep_in))  # a batch of 3 fields
    assert _gauge_error(layer, mesh, x, seed) < 1e-5


@pytest.mark.parametrize("kwargs", [{"transport": False}, {"constrained": False}])
def test_naive_layers_are_not_gauge_equivariant(kwargs):
    mesh = _gauge_mesh("sphere", 1)
    torch.manual_seed(0)
    layer = GEMConv(2, 2, (0, 1), (0, 1), **kwargs).double()
    x = torch.randn(mesh.num_vertices, 2, 3, dtype=torch.float64)
    assert _gauge_error(layer, mesh, x, 0) > 0.05


@given(m=st.integers(0, 2), N=st.integers(6, 40), seed=st.integers(0, 1000))
def test_regular_nonlinearity_exact_on_multiples_of_2pi_over_n(m, N, seed):
    rep = tuple(range(m + 1))
    nl = RegularNonlinearity(rep, N).double()
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.standard_normal((20, 2, rep_dim(rep))))
    act = lambda g, y: gauge_transform(y, torch.from_numpy(g), rep)
    cn = [2 * np.pi * rng.integers(0, N, 20) / N for _ in range(2)]
    assert check_equivariance(nl, x, act, act, cn) < 1e-12


def test_regular_nonlinearity_error_shrinks_with_n():
    rep = (0, 1, 2)
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((200, 4, 5)))
    act = lambda g, y: gauge_transform(y, torch.from_numpy(g), rep)
    gauges = list(rng.uniform(0, 2 * np.pi, (3, 200)))
    errs = [check_equivariance(RegularNonlinearity(rep, N).double(), x, act, act, gauges) for N in (8, 32, 128)]
    assert errs[0] > 1e-2 and errs[1] < errs[0] / 4 and errs[2] < errs[1] / 4


def test_gem_cnn_exact_for_cn_gauges():
    mesh = _gauge_mesh("torus", 0)
    torch.manual_seed(0)
    net = GEMCNN(1, 2, (0,), (1, 2), hidden=4, hidden_freq=2, layers=3, n_samples=8).double()
    x = torch.randn(mesh.num_vertices, 1, 1, dtype=torch.float64)
    rng = np.random.default_rng(0)
    g = 2 * np.pi * rng.integers(0, 8, mesh.num_vertices) / 8
    err = check_equivariance(
        lambda inp: net(*inp), (x, mesh),
        lambda e, inp: (gauge_transform(inp[0], torch.from_numpy(e[0]), (0,)), e[1]),
        lambda e, y: gauge_transform(y, torch.from_numpy(e[0]), (1, 2)), [(g, change_gauge(mesh, g))])
    assert err < 1e-12


def test_gcn_baseline_is_gauge_blind():
    mesh = _gauge_mesh("sphere", 0)
    model = MeshGCN(1, 2, hidden=8)
    out = model(torch.randn(2, mesh.num_vertices, 1), mesh.edge_index)
    assert out.shape == (2, mesh.num_vertices, 2)


def test_bad_input_errors():
    mesh = _gauge_mesh("sphere", 0)
    layer = GEMConv(2, 2, (0, 1), (1,))
    with pytest.raises(ValueError, match=r"shape \(\[B,\] V="):
        layer(torch.randn(mesh.num_vertices, 2, 2), mesh)  # d should be 3
    with pytest.raises(TypeError, match="GaugeMesh"):
        layer(torch.randn(mesh.num_vertices, 2, 3), mesh.edge_index)
    with pytest.raises(ValueError, match="non-negative integer frequencies"):
        GEMConv(1, 1, (0, -1), (0,))
    with pytest.raises(ValueError, match="n_samples"):
        RegularNonlinearity((0, 1, 2), 4)
    with pytest.raises(ValueError, match="distinct frequencies"):
        RegularNonlinearity((0, 1, 1), 8)
    with pytest.raises(ValueError, match="one angle per frame"):
        rotate_frames(mesh.frames, np.zeros(3))
    with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
        apply_rep((0, 1), 0.1, torch.zeros(4, 2))
    with pytest.raises(ValueError, match="frames must have shape"):
        gauge_mesh(mesh.vertices, mesh.faces, np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="MeshGCN|shape \\(B, V, C\\)"):
        MeshGCN(1, 1)(torch.zeros(5, 1), mesh.edge_index)


def test_device_round_trip():
    mesh = _gauge_mesh("sphere", 0)
    from gdl.tools import get_device
    layer = GEMConv(1, 1, (0,), (1,)).to(get_device())
    out = layer(torch.randn(mesh.num_vertices, 1, 1, device=get_device()), mesh)
    assert out.device.type == get_device().type and torch.isfinite(out).all()
