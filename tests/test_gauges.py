"""Tests of gdl.gauges: field types, the gauge group, transport, holonomy, the kernel constraint and gauge
equivariance."""
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gdl.datasets.meshes import icosphere, torus
from gdl.gauges import (
    GEMCNN,
    FieldType,
    GaugeGroup,
    GaugeMesh,
    GEMConv,
    MeshGCN,
    RegularNonlinearity,
    _irrep_kernel_basis,
    angle_defects,
    change_gauge,
    gauge_mesh,
    kernel_basis,
    vertex_holonomy,
)
from gdl.gcnn import angular_features
from gdl.symmetry import SO2, check_equivariance, check_group_axioms, check_homomorphism

field_types = st.lists(st.integers(0, 3), min_size=1, max_size=4).map(tuple)


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


def _gauge_error(layer, mesh, x, seed, n=2, elements=None):
    """check_equivariance of a mesh layer under n random gauge transformations (or the given ones)."""
    gauges = GaugeGroup(mesh.num_vertices)
    if elements is None:
        elements = gauges.sample(n, torch.Generator().manual_seed(seed))
    return check_equivariance(
        lambda inp: layer(*inp), (x, mesh),
        lambda g, inp: (gauges.rep(g, inp[0], layer.type_in), change_gauge(inp[1], g)),
        lambda g, y: gauges.rep(g, y, layer.type_out), elements)


@given(frequencies=field_types, seed=st.integers(0, 1000))
def test_field_type_is_a_representation(frequencies, seed):
    ftype = FieldType(frequencies)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(ftype.dim, dtype=torch.float64, generator=gen)
    pairs = list(zip(SO2().sample(5, gen).tolist(), SO2().sample(5, gen).tolist(), strict=True))
    assert check_homomorphism(SO2(), x, rep=ftype.apply, pairs=pairs) < 1e-12
    R = ftype.matrix(0.7)
    assert torch.allclose(R @ R.T, torch.eye(ftype.dim, dtype=torch.float64))
    assert torch.allclose(R @ x, ftype.apply(0.7, x))
    assert ftype.dim == sum(1 if k == 0 else 2 for k in frequencies)
    assert [size for _, _, size in ftype.blocks] == [1 if k == 0 else 2 for k in frequencies]
    assert FieldType(ftype) == ftype == FieldType(list(frequencies))
    assert hash(ftype) == hash(FieldType(frequencies))


@given(seed=st.integers(0, 1000))
def test_gauge_group_is_a_group_acting_on_frames_and_fields(seed):
    mesh = _gauge_mesh("torus", seed)
    gauges = GaugeGroup(mesh.num_vertices)
    gen = torch.Generator().manual_seed(seed)
    elements = list(gauges.sample(3, gen))
    assert all(check_group_axioms(gauges, elements).values())
    x = torch.randn(mesh.num_vertices, 2, 5, dtype=torch.float64, generator=gen)
    pairs = list(zip(elements, elements[::-1], strict=True))
    assert check_homomorphism(gauges, x, rep=lambda g, v: gauges.rep(g, v, (0, 1, 2)), pairs=pairs) < 1e-12
    # act on frames is a group action too: turning by h, then by g, is turning by gh
    g, h = elements[:2]
    turned = gauges.act(g, gauges.act(h, mesh.frames))
    assert np.allclose(turned, gauges.act(gauges.compose(g, h), mesh.frames))
    # act and rep agree: the tangent vector v^1 e_1 + v^2 e_2 does not depend on the gauge
    v = torch.randn(mesh.num_vertices, 1, 2, dtype=torch.float64, generator=gen)

    def ambient(v, frames):
        return np.einsum("vk,vkx->vx", v[:, 0].numpy(), frames[:, :2])

    assert np.allclose(ambient(v, mesh.frames), ambient(gauges.rep(g, v, 1), gauges.act(g, mesh.frames)))
    assert torch.equal(gauges.rep(g, x[..., :1]), x[..., :1])  # scalars by default: the trivial action


@given(kind=st.sampled_from(["sphere", "torus"]), seed=st.integers(0, 1000))
def test_angles_and_transport_change_with_the_gauge(kind, seed):
    mesh = _gauge_mesh(kind, seed)
    g = np.random.default_rng(seed).uniform(0, 2 * np.pi, mesh.num_vertices)
    new = change_gauge(mesh, g)
    src, dst = mesh.edge_index.numpy()

    def wrap(a):  # the largest distance on the circle
        return np.abs(np.angle(np.exp(1j * a))).max()

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

    def K(t):
        return torch.einsum("sj,bjoi->bsoi", angular_features(t, J), basis)

    rho_in, rho_out = FieldType(m).matrix(g), FieldType(n).matrix(-g)
    assert (K(theta - g) - rho_out @ K(theta) @ rho_in).abs().max() < 1e-12
    flat = basis.flatten(1)
    assert torch.allclose(flat @ flat.T, torch.eye(len(basis), dtype=torch.float64), atol=1e-10)


def _direct_kernel_basis(m, n, max_freq, seed=0, tol=1e-9):
    """The kernel basis as it was solved before gdl.symmetry.equivariant_basis: the SVD of the residual
    K(θ - g) - ρ_n(-g) K(θ) ρ_m(g) at random pairs (θ, g), as a linear map of the Fourier coefficients."""
    type_in, type_out = FieldType(m), FieldType(n)
    nf, d_in, d_out = 2 * max_freq + 1, type_in.dim, type_out.dim
    gen = torch.Generator().manual_seed(seed)
    theta, g = torch.rand(2, 2 * max_freq + 3, generator=gen, dtype=torch.float64) * (2 * math.pi)
    theta, g = (t.reshape(-1) for t in torch.meshgrid(theta, g, indexing="ij"))  # (S,) all pairs
    unknowns = torch.eye(nf * d_out * d_in, dtype=torch.float64).reshape(-1, nf, d_out, d_in)
    K = torch.einsum("sj,ujoi->usoi", angular_features(theta, max_freq), unknowns)
    K_shifted = torch.einsum("sj,ujoi->usoi", angular_features(theta - g, max_freq), unknowns)
    residual = K_shifted - type_out.matrix(-g) @ K @ type_in.matrix(g)
    _, s, Vh = torch.linalg.svd(residual.reshape(len(unknowns), -1).T)
    return Vh[int((s > tol * s[0]).sum()):].reshape(-1, nf, d_out, d_in)


@pytest.mark.parametrize("m, n", [(m, n) for m in range(4) for n in range(4)])
def test_kernel_basis_spans_the_space_of_the_direct_solve(m, n):
    # the intertwiner formulation (one solver, gdl.symmetry) finds the same kernels as the residual SVD
    for J in (0, m + n, m + n + 1):
        new, old = _irrep_kernel_basis(m, n, J), _direct_kernel_basis(m, n, J)
        assert new.shape == old.shape
        P_new, P_old = (b.flatten(1).T @ b.flatten(1) for b in (new, old))  # projectors onto the span
        assert (P_new - P_old).abs().max() < 1e-12


@pytest.mark.parametrize("m, n", [(m, n) for m in range(4) for n in range(4)])
def test_gauge_kernels_are_the_steerable_kernels_of_the_group_convolutions_chapter(m, n):
    """kernel_basis spans the space of gdl.gcnn's analytic SO(2)-steerable kernels (circular harmonics)."""
    from gdl.gcnn import harmonic_kernel_basis

    for J in (m + n, m + n + 2):
        ours, steerable = kernel_basis(m, n, J), harmonic_kernel_basis(m, n, J)
        assert ours.shape[1:] == steerable.shape[1:] and len(ours) == len(steerable)
        P = [torch.linalg.qr(b.flatten(1).T).Q for b in (ours, steerable)]
        assert (P[0] @ P[0].T - P[1] @ P[1].T).abs().max() < 1e-9


def _reference_gem_conv(layer, x, mesh):
    """GEMConv's forward as it was before it went through MessagePassing: its own gather and scatter."""
    src, dst = mesh.edge_index
    x_j = x.index_select(-3, src)  # (..., E, C_in, d_in)
    if layer.transport:
        x_j = layer.type_in.apply(mesh.transport.to(x.dtype)[:, None], x_j)
    phi = angular_features(mesh.theta.to(x.dtype), layer.max_freq)  # (E, 2J+1)
    msg = phi[:, :, None, None] * x_j.unsqueeze(-3)  # (..., E, 2J+1, C_in, d_in)
    s = x.new_zeros(*x.shape[:-3], mesh.num_vertices, *msg.shape[-3:]).index_add_(x.dim() - 3, dst, msg)
    s = s / torch.bincount(dst, minlength=mesh.num_vertices).clamp(min=1).to(x.dtype)[:, None, None, None]
    kernel = torch.einsum("bjoi,bdc->jcido", layer.basis.to(x.dtype), layer.weight.to(x.dtype))
    out = (s.flatten(-3) @ kernel.flatten(0, 2).flatten(1)).unflatten(-1, (layer.out_channels, -1))
    out = out + torch.einsum("boi,bdc,...vci->...vdo", layer.self_basis.to(x.dtype),
                             layer.self_weight.to(x.dtype), x)
    return out + layer.bias.to(x.dtype)[:, None] * layer.scalar_mask.to(x.dtype)


@settings(max_examples=20)
@given(type_in=field_types, type_out=field_types, batched=st.booleans(),
       kind=st.sampled_from(["sphere", "torus"]),
       kwargs=st.sampled_from([{}, {"transport": False}, {"constrained": False}]), seed=st.integers(0, 1000))
def test_gem_conv_through_message_passing_equals_its_own_scatter(type_in, type_out, batched, kind, kwargs,
                                                                 seed):
    mesh = _gauge_mesh(kind, seed)
    torch.manual_seed(seed)
    layer = GEMConv(2, 3, type_in, type_out, **kwargs).double()
    with torch.no_grad():
        layer.bias.normal_()
    batch = (2,) if batched else ()
    x = torch.randn(*batch, mesh.num_vertices, 2, FieldType(type_in).dim, dtype=torch.float64)
    with torch.no_grad():
        new, old = layer(x, mesh), _reference_gem_conv(layer, x, mesh)
    assert new.shape == old.shape
    assert (new - old).abs().max() <= 1e-12 * max(old.abs().max(), 1.0)


@given(type_in=field_types, type_out=field_types, kind=st.sampled_from(["sphere", "torus"]),
       seed=st.integers(0, 1000))
def test_gem_conv_is_gauge_equivariant_float64(type_in, type_out, kind, seed):
    mesh = _gauge_mesh(kind, seed)
    torch.manual_seed(seed)
    layer = GEMConv(2, 3, type_in, type_out).double()
    x = torch.randn(mesh.num_vertices, 2, FieldType(type_in).dim, dtype=torch.float64)
    assert _gauge_error(layer, mesh, x, seed) < 1e-12


@given(type_in=field_types, type_out=field_types, seed=st.integers(0, 1000))
def test_gem_conv_is_gauge_equivariant_float32_batched(type_in, type_out, seed):
    mesh = _gauge_mesh("torus", seed)
    torch.manual_seed(seed)
    layer = GEMConv(2, 2, type_in, type_out)
    x = torch.randn(3, mesh.num_vertices, 2, FieldType(type_in).dim)  # a batch of 3 fields
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
    ftype = FieldType(range(m + 1))
    nl = RegularNonlinearity(ftype, N).double()
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.standard_normal((20, 2, ftype.dim)))

    def act(g, y):
        return GaugeGroup(20).rep(g, y, ftype)

    cn = [torch.from_numpy(2 * np.pi * rng.integers(0, N, 20) / N) for _ in range(2)]
    assert check_equivariance(nl, x, act, act, cn) < 1e-12


def test_regular_nonlinearity_error_shrinks_with_n():
    ftype = FieldType((0, 1, 2))
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((200, 4, 5)))
    group = GaugeGroup(200)
    gauges = group.sample(3, torch.Generator().manual_seed(0))

    def act(g, y):
        return group.rep(g, y, ftype)

    errs = [check_equivariance(RegularNonlinearity(ftype, N).double(), x, act, act, gauges)
            for N in (8, 32, 128)]
    assert errs[0] > 1e-2 and errs[1] < errs[0] / 4 and errs[2] < errs[1] / 4


def test_gem_cnn_exact_for_cn_gauges():
    mesh = _gauge_mesh("torus", 0)
    torch.manual_seed(0)
    net = GEMCNN(1, 2, (0,), (1, 2), hidden=4, hidden_freq=2, layers=3, n_samples=8).double()
    x = torch.randn(mesh.num_vertices, 1, 1, dtype=torch.float64)
    rng = np.random.default_rng(0)
    g = torch.from_numpy(2 * np.pi * rng.integers(0, 8, mesh.num_vertices) / 8)
    assert _gauge_error(net, mesh, x, 0, elements=[g]) < 1e-12
    assert net.type_in == FieldType(0) and net.type_out == FieldType((1, 2))


@settings(max_examples=5)
@given(seed=st.integers(0, 1000))
def test_unconstrained_gem_cnn_is_the_gauge_dependent_baseline(seed):
    mesh = _gauge_mesh("torus", seed)
    torch.manual_seed(seed)
    free = GEMCNN(1, 1, (0,), (1,), hidden=4, hidden_freq=1, layers=2, constrained=False).double()
    assert not free.constrained and isinstance(free.act, torch.nn.ReLU)
    assert all(conv.basis.shape[0] == conv.basis[0].numel() for conv in free.convs)  # every coefficient free
    x = torch.randn(2, mesh.num_vertices, 1, 1, dtype=torch.float64)
    assert free(x, mesh).shape == (2, mesh.num_vertices, 1, 2)
    rng = np.random.default_rng(seed)  # even gauges in C_8, exact for the constrained network, break it
    g = torch.from_numpy(2 * np.pi * rng.integers(0, 8, mesh.num_vertices) / 8)
    assert _gauge_error(free, mesh, x[0], seed, elements=[g]) > 0.1
    torch.manual_seed(seed)
    gem = GEMCNN(1, 1, (0,), (1,), hidden=4, hidden_freq=1, layers=2, n_samples=8).double()
    assert gem.constrained and _gauge_error(gem, mesh, x[0], seed, elements=[g]) < 1e-12
    with pytest.raises(ValueError, match="layers"):
        GEMCNN(1, 1, (0,), (1,), layers=0)


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
    with pytest.raises(ValueError, match=r"g must have shape \(V,\)"):
        GaugeGroup(mesh.num_vertices).act(np.zeros(3), mesh.frames)
    with pytest.raises(ValueError, match="frames must have shape"):
        GaugeGroup(mesh.num_vertices).act(np.zeros(mesh.num_vertices), mesh.frames[:3])
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., V, C, d\) with V = "):
        GaugeGroup(mesh.num_vertices).rep(np.zeros(mesh.num_vertices), torch.zeros(3, 1, 1))
    with pytest.raises(ValueError, match=r"num_vertices must be in \[1"):
        GaugeGroup(0)
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., d\) with d = 3"):
        FieldType((0, 1)).apply(0.1, torch.zeros(4, 2))
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


# --- issue: bad input gets a clear error, never a silent wrong number ------------------------------------


def test_gauge_mesh_copies_the_arrays_it_keeps():
    V, F = icosphere(1)
    frames = _gauge_mesh("sphere", 0).frames.copy()
    mesh = gauge_mesh(V, F, frames)
    theta, kept = mesh.theta.clone(), mesh.frames.copy()
    frames[:] = 0.0  # the caller edits its arrays afterwards ...
    V[:] = 0.0
    assert np.array_equal(mesh.frames, kept) and np.abs(mesh.vertices).sum() > 0  # ... the mesh is unchanged
    edge_index = mesh.edge_index.clone()
    copy = GaugeMesh(mesh.vertices, mesh.faces, mesh.frames, edge_index, mesh.theta, mesh.transport)
    edge_index.zero_(), mesh.theta.zero_()
    assert torch.equal(copy.theta, theta) and copy.edge_index.max() > 0


def test_models_follow_module_double_and_accept_empty_batches():
    mesh = _gauge_mesh("sphere", 0)
    n, f64 = mesh.num_vertices, torch.float64
    torch.manual_seed(0)
    models = [(GEMConv(1, 2, 0, (0, 1)), (n, 1, 1), (n, 2, 3), (0, n, 1, 1), (0, n, 2, 3)),
              (GEMCNN(1, 2, 0, (0, 1), hidden=4), (n, 1, 1), (n, 2, 3), (0, n, 1, 1), (0, n, 2, 3)),
              (MeshGCN(1, 2, hidden=4), (3, n, 1), (3, n, 2), (0, n, 1), (0, n, 2))]
    for model, shape, out_shape, empty_shape, empty_out in models:
        model = model.double()
        arg = mesh.edge_index if isinstance(model, MeshGCN) else mesh
        x = torch.randn(*shape, dtype=f64)
        out = model(x, arg)
        assert out.dtype == f64 and out.shape == out_shape
        assert model(torch.zeros(empty_shape, dtype=f64), arg).shape == empty_out  # an empty batch
        with pytest.raises(TypeError, match=r"\.double\(\)"):
            model.float()(x, arg)
    nl = RegularNonlinearity((0, 1, 2))
    assert nl(torch.randn(4, 5, dtype=f64)).dtype == f64 and nl(torch.randn(4, 5)).dtype == torch.float32


def test_functions_follow_their_input_and_promote_integers():
    ftype = FieldType((0, 1))
    x = torch.arange(6).view(2, 3)  # integer features are promoted, never truncated
    assert torch.allclose(ftype.apply(0.3, x), ftype.apply(0.3, x.float()))
    assert ftype.apply(0.3, x.double()).dtype == torch.float64
    assert ftype.matrix(0.3, torch.float32).dtype == torch.float32
    mesh = _gauge_mesh("sphere", 0)
    g = GaugeGroup(mesh.num_vertices)
    xs = torch.arange(mesh.num_vertices * 3).view(mesh.num_vertices, 1, 3)
    assert torch.allclose(g.rep(torch.ones(mesh.num_vertices), xs, ftype),
                          g.rep(torch.ones(mesh.num_vertices), xs.double(), ftype).float())
    turned = change_gauge(mesh, torch.ones(mesh.num_vertices, dtype=torch.long))  # integer angles: 1 rad each
    assert np.allclose(turned.frames, g.act(np.ones(mesh.num_vertices), mesh.frames))
    with pytest.raises(ValueError, match="angle"):
        ftype.apply(float("nan"), x)
    with pytest.raises(ValueError, match="faces must form a closed"):
        vertex_holonomy(*icosphere(0)[0:1], icosphere(0)[1][:-1])
