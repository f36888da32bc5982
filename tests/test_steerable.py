"""gdl.steerable: spherical harmonics, Wigner-D matrices and Clebsch-Gordan coefficients against e3nn
after the stated change of basis, exact O(3) equivariance of the tensor-product layer (hypothesis,
float64 and float32, and under e3nn's rotations and Irreps D-matrices), the k-chain, star and
mirror-image claims of the chapter, and clear errors on bad input."""
import math
from types import SimpleNamespace

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gdl.datasets.steerable import molecule_graph
from gdl.egnn import EGNN, CFConv
from gdl.steerable import (
    TFN,
    EGNNVector,
    TensorProductConv,
    TFNVector,
    clebsch_gordan,
    degree_slice,
    edge_geometry,
    gate,
    invariant_readout,
    kchain,
    rotate_features,
    spherical_harmonics,
    tensor_product,
    tfn_paths,
    to_cartesian,
    wigner_d,
)
from gdl.symmetry import SymmetricGroup, check_equivariance, random_rotation

YZX = [1, 2, 0]  # (x, y, z) -> our type-1 order m = -1, 0, 1


def _move(q, x):
    return x @ q.T.to(x)


def _graph(n, e, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    x = 1.5 * torch.randn(n, 3, generator=g, dtype=dtype)
    edge_index = torch.randint(n, (2, e), generator=g)
    return x, edge_index[:, edge_index[0] != edge_index[1]], g


# --- e3nn: the change of basis --------------------------------------------------------------------------


@pytest.fixture
def e3nn_o3():
    o3 = pytest.importorskip("e3nn.o3")
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # e3nn builds some tables in the default dtype
    yield o3
    torch.set_default_dtype(previous)


def _basis_change(o3, ell):
    """B_l with Y_e3nn = B_l Y_ours ('integral' normalisation), by least squares on random points."""
    u = torch.randn(300, 3, generator=torch.Generator().manual_seed(ell), dtype=torch.float64)
    ours = spherical_harmonics(ell, u)
    theirs = o3.spherical_harmonics(ell, u, normalize=True, normalization="integral")
    return torch.linalg.lstsq(ours, theirs).solution.T, ours, theirs


@pytest.mark.parametrize("ell", [0, 1, 2, 3])
def test_spherical_harmonics_match_e3nn_after_an_orthogonal_change_of_basis(e3nn_o3, ell):
    B, ours, theirs = _basis_change(e3nn_o3, ell)
    assert torch.allclose(ours @ B.T, theirs, atol=1e-12)
    assert torch.allclose(B @ B.T, torch.eye(2 * ell + 1, dtype=torch.float64), atol=1e-12)
    # e3nn's 'component' normalisation (|Y_l|^2 = 2l+1) is sqrt(4π) times ours ('integral')
    u = torch.randn(50, 3, dtype=torch.float64)
    component = e3nn_o3.spherical_harmonics(ell, u, normalize=True, normalization="component")
    assert torch.allclose(component, math.sqrt(4 * math.pi) * spherical_harmonics(ell, u) @ B.T, atol=1e-12)


def test_type_one_is_y_z_x_and_e3nn_lists_x_y_z(e3nn_o3):
    B, _, _ = _basis_change(e3nn_o3, 1)
    assert torch.allclose(B, torch.eye(3, dtype=torch.float64)[[2, 0, 1]], atol=1e-12)
    u = torch.randn(10, 3, dtype=torch.float64)
    u = u / u.norm(dim=1, keepdim=True)
    assert torch.allclose(spherical_harmonics(1, u), math.sqrt(3 / (4 * math.pi)) * u[:, YZX], atol=1e-14)


@pytest.mark.parametrize("ell", [1, 2])
def test_wigner_d_matches_e3nn_irreps(e3nn_o3, ell):
    B, _, _ = _basis_change(e3nn_o3, ell)
    for _ in range(3):
        q = e3nn_o3.rand_matrix(dtype=torch.float64)
        theirs = e3nn_o3.Irrep(ell, (-1) ** ell).D_from_matrix(q)
        assert torch.allclose(theirs, B @ wigner_d(ell, q) @ B.T, atol=1e-12)


def test_clebsch_gordan_matches_e3nn_wigner_3j_up_to_sign(e3nn_o3):
    B = {ell: _basis_change(e3nn_o3, ell)[0] for ell in range(5)}
    for l1 in range(3):
        for l2 in range(3):
            for ell in range(abs(l1 - l2), l1 + l2 + 1):
                ours = torch.einsum("kab,ia,jb,lk->ijl", clebsch_gordan(l1, l2, ell), B[l1], B[l2], B[ell])
                theirs = e3nn_o3.wigner_3j(l1, l2, ell, dtype=torch.float64)
                assert min(float((ours - s * theirs).abs().max()) for s in (1, -1)) < 1e-12, (l1, l2, ell)


def test_the_layer_is_equivariant_under_e3nn_rotations_and_irreps(e3nn_o3):
    channels, lmax = 3, 2
    irreps = e3nn_o3.Irreps(f"{channels}x0e + {channels}x1o + {channels}x2e")
    B = [_basis_change(e3nn_o3, ell)[0] for ell in range(lmax + 1)]
    torch.manual_seed(0)
    model = TFN(2, channels=channels, lmax=lmax, layers=2).double()
    x, edge_index, g = _graph(9, 40, 0)
    h = torch.randn(9, 2, generator=g, dtype=torch.float64)

    def e3nn_layout(f):  # ours (N, C, (L+1)^2) -> e3nn's flat (N, Σ_l C (2l+1)), type by type
        blocks = [(f[..., degree_slice(ell)] @ B[ell].T).flatten(1) for ell in range(lmax + 1)]
        return torch.cat(blocks, dim=1)

    with torch.no_grad():
        y = e3nn_layout(model(h, x, edge_index))
        for _ in range(3):
            q = e3nn_o3.rand_matrix(dtype=torch.float64)
            moved = e3nn_layout(model(h, x @ q.T, edge_index))
            assert torch.allclose(moved, y @ irreps.D_from_matrix(q).T, atol=1e-11)


# --- Clebsch-Gordan coefficients -------------------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_clebsch_gordan_intertwine_on_random_rotations(seed):
    R = random_rotation(3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    for l1, l2, ell in [(1, 1, 0), (1, 1, 2), (1, 2, 2), (2, 2, 4), (2, 1, 3), (0, 2, 2)]:
        C = clebsch_gordan(l1, l2, ell)
        lhs = torch.einsum("gkj,jab->gkab", wigner_d(ell, R), C)
        rhs = torch.einsum("kcd,gca,gdb->gkab", C, wigner_d(l1, R), wigner_d(l2, R))
        assert torch.allclose(lhs, rhs, atol=1e-12)


def test_clebsch_gordan_convention_norm_and_sign():
    for l1, l2, ell in [(1, 1, 0), (1, 1, 1), (2, 1, 2), (2, 2, 3)]:
        C = clebsch_gordan(l1, l2, ell)
        assert C.shape == (2 * ell + 1, 2 * l1 + 1, 2 * l2 + 1) and C.dtype == torch.float64
        assert abs(float(C.norm()) - 1) < 1e-12
        assert C.flatten()[C.flatten() != 0][0] > 0
    C = clebsch_gordan(1, 1, 1)
    C[0, 0, 0] = 5.0  # a copy: the cache is not changed
    assert clebsch_gordan(1, 1, 1)[0, 0, 0] == 0


def test_dot_and_cross_products():
    a, b = torch.randn(2, 3, dtype=torch.float64)
    assert torch.allclose(tensor_product(a[YZX], b[YZX], 0), (a @ b / math.sqrt(3)).reshape(1))
    assert torch.allclose(tensor_product(a[YZX], b[YZX], 1), torch.linalg.cross(a, b)[YZX] / math.sqrt(6))


def test_spherical_harmonics_rotate_by_wigner_d():
    R = random_rotation(3, dtype=torch.float64)
    u = torch.randn(20, 3, dtype=torch.float64)
    for ell in range(4):
        for q in R:
            rotated = spherical_harmonics(ell, u) @ wigner_d(ell, q).T
            assert torch.allclose(spherical_harmonics(ell, u @ q.T), rotated, atol=1e-12)
    assert torch.allclose(wigner_d(1, R), R[:, YZX][:, :, YZX], atol=1e-12)


# --- the layer: hypothesis property tests ------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 10), e=st.integers(1, 40), lmax=st.integers(0, 2), parity=st.booleans(),
       seed=st.integers(0, 10**6))
def test_tensor_product_conv_is_exactly_so3_equivariant_float64(n, e, lmax, parity, seed):
    x, edge_index, g = _graph(n, e, seed)
    torch.manual_seed(seed)
    layer = TensorProductConv(4, lmax, parity).double()
    f = torch.randn(n, 4, (lmax + 1) ** 2, generator=g, dtype=torch.float64)

    def fn(xf):
        return layer(xf[1], xf[0], edge_index)

    def act(q, xf):
        return _move(q, xf[0]), rotate_features(q, xf[1])

    rotations = list(random_rotation(4, generator=g, dtype=torch.float64))
    assert check_equivariance(fn, (x, f), act, rotate_features, rotations) < 1e-12
    if parity:
        reflections = list(-random_rotation(3, generator=g, dtype=torch.float64))  # det = -1
        assert check_equivariance(fn, (x, f), act, rotate_features, reflections) < 1e-12


@settings(max_examples=10, deadline=None)
@given(n=st.integers(2, 10), e=st.integers(1, 40), seed=st.integers(0, 10**6))
def test_tfn_is_equivariant_in_float32(n, e, seed):
    x, edge_index, g = _graph(n, e, seed, torch.float32)
    h = torch.randn(n, 3, generator=g)
    torch.manual_seed(seed)
    model = TFN(3, channels=4, lmax=2, layers=2)
    qs = list(random_rotation(4, reflections=True, generator=g, dtype=torch.float64))
    assert check_equivariance(lambda y: model(h, y, edge_index), x, _move, rotate_features, qs) < 1e-5


@settings(max_examples=10, deadline=None)
@given(n=st.integers(2, 9), e=st.integers(1, 30), seed=st.integers(0, 10**6))
def test_tfn_is_permutation_equivariant(n, e, seed):
    x, edge_index, g = _graph(n, e, seed)
    h = torch.randn(n, 3, generator=g, dtype=torch.float64)
    torch.manual_seed(seed)
    model = TFN(3, channels=4, lmax=1, layers=2).double()
    nodes = SymmetricGroup(n)
    perms = nodes.sample(3, generator=g)

    for p in perms:
        p = torch.as_tensor(p)
        moved = model(nodes.rep(p, h, dim=0), nodes.rep(p, x, dim=0), p[edge_index])
        assert torch.allclose(moved, nodes.rep(p, model(h, x, edge_index), dim=0), atol=1e-12)


def test_reflections_break_the_network_without_parity():
    x, edge_index, g = _graph(10, 50, 3)
    h = torch.randn(10, 2, generator=g, dtype=torch.float64)
    torch.manual_seed(0)
    model = TFN(2, channels=4, lmax=2, layers=3, parity=False).double()
    mirror = [torch.diag(torch.tensor([-1.0, 1.0, 1.0], dtype=torch.float64))]
    assert check_equivariance(lambda y: model(h, y, edge_index), x, _move, rotate_features, mirror) > 1e-8


def test_gate_and_invariant_readout():
    g = torch.Generator().manual_seed(0)
    f = torch.randn(5, 3, 9, generator=g, dtype=torch.float64)
    gates = torch.randn(5, 6, generator=g, dtype=torch.float64)
    out = gate([f[..., degree_slice(ell)] for ell in range(3)], gates)
    assert out.shape == f.shape
    q = random_rotation(1, reflections=True, generator=g, dtype=torch.float64)[0]
    moved = gate([rotate_features(q, f)[..., degree_slice(ell)] for ell in range(3)], gates)
    assert torch.allclose(moved, rotate_features(q, out), atol=1e-12)
    assert torch.allclose(invariant_readout(rotate_features(q, f)), invariant_readout(f), atol=1e-12)
    assert invariant_readout(f).shape == (9,)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_vector_models_are_o3_equivariant(dtype):
    x, edge_index, g = _graph(8, 40, 5, dtype)
    h = torch.randn(8, 5, generator=g, dtype=dtype)
    owner = torch.tensor([0, 0, 0, 0, 1, 1, 1, 1])
    edge_index = edge_index[:, owner[edge_index[0]] == owner[edge_index[1]]]
    qs = list(random_rotation(3, reflections=True, generator=g, dtype=torch.float64))
    torch.manual_seed(0)
    models = [TFNVector(5).to(dtype)] + ([EGNNVector(5).to(dtype)] if dtype == torch.float64 else [])
    for model in models:  # EGNN's x' - x cancels digits: float32 is tested through TFNVector only
        err = check_equivariance(lambda y, m=model: m(h, y, edge_index, owner, 2), x, _move, _move, qs)
        assert err < (1e-5 if dtype == torch.float32 else 1e-12), (type(model).__name__, err)


# --- the chapter's claims -------------------------------------------------------------------------------


def test_kchains_distance_only_never_separates_and_vectors_do_at_floor_k_half_plus_one():
    for k in (2, 3, 4):
        graphs = [kchain(k, same_side) for same_side in (False, True)]
        for depth in range(1, k // 2 + 3):
            torch.manual_seed(0)
            convs = [CFConv(8, cutoff=10.0).double() for _ in range(depth)]
            torch.manual_seed(0)
            egnn = EGNN(1, hidden=8, layers=depth).double()
            schnet, vectors = [], []
            for x, e in graphs:
                h = torch.ones(len(x), 1, dtype=torch.float64)
                s = torch.ones(len(x), 8, dtype=torch.float64)
                with torch.no_grad():
                    for conv in convs:
                        s = s + torch.tanh(conv(s, x, e))
                    h_out, x_out = egnn(h, x, e)
                schnet.append(s.sum(0))
                vectors.append(torch.cat([h_out.sum(0), (x_out - x).norm(dim=1).sum(0, keepdim=True)]))
            assert torch.equal(schnet[0], schnet[1])
            gap = float((vectors[0] - vectors[1]).norm() / vectors[0].norm())
            assert (gap > 1e-10) == (depth >= k // 2 + 1), (k, depth, gap)


def test_star_harmonics_see_the_orientation_only_from_degree_L():
    for L in (2, 3, 6):
        phi = 2 * math.pi * torch.arange(L, dtype=torch.float64) / L
        for turn in (0.0, math.pi / L):
            pts = torch.stack([(phi + turn).cos(), (phi + turn).sin(), torch.zeros_like(phi)], 1)
            for ell in range(1, L + 1):
                s = spherical_harmonics(ell, pts).sum(0)
                off_axis = torch.cat([s[:ell], s[ell + 1:]]).abs().max()
                assert (off_axis > 1e-3) == (ell == L), (L, ell, turn)


def test_mirror_images_pseudoscalar_and_se3_network():
    tet = torch.tensor([[0.0, 0, 0], [1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=torch.float64)
    mirror = torch.diag(torch.tensor([-1.0, 1.0, 1.0], dtype=torch.float64))
    atoms = torch.eye(5, dtype=torch.float64)
    edges = torch.tensor([(j, i) for i in range(5) for j in range(5) if i != j]).T

    def triple(x):
        y = [spherical_harmonics(1, x[i] - x[0]) for i in (1, 2, 3)]
        return float(tensor_product(tensor_product(y[0], y[1], 1), y[2], 0))

    assert triple(tet) * triple(tet @ mirror.T) < 0
    for parity in (True, False):
        torch.manual_seed(0)
        model = TFN(5, channels=8, lmax=2, layers=3, parity=parity).double()
        with torch.no_grad():
            gap = float((model(atoms, tet, edges) - model(atoms, tet @ mirror.T, edges))[..., 0].abs().max())
        assert (gap > 1e-12) == (not parity), (parity, gap)


def test_molecule_graph_on_a_small_fake_subset():
    pos = [torch.tensor([[0.0, 0, 0], [1, 0, 0], [5, 0, 0]], dtype=torch.float64),
           torch.tensor([[0.0, 0, 0], [0, 1, 0]], dtype=torch.float64)]
    charges = [torch.tensor([0.5, -0.5, 0.0], dtype=torch.float64),
               torch.tensor([0.1, -0.1], dtype=torch.float64)]
    mols = SimpleNamespace(z=[torch.tensor([6, 1, 8]), torch.tensor([7, 9])], pos=pos,
                           dipole_vectors=lambda: torch.stack([(q[:, None] * (r - r.mean(0))).sum(0)
                                                               for q, r in zip(charges, pos, strict=True)]))
    h, x, edge_index, owner, mu = molecule_graph(mols, [0, 1], cutoff=3.0)
    assert h.shape == (5, 5) and h.sum(1).eq(1).all() and h[0, 1] == 1 and h[1, 0] == 1 and h[4, 4] == 1
    assert x.shape == (5, 3) and torch.allclose(x[:3].mean(0), torch.zeros(3), atol=1e-6)
    assert sorted(map(tuple, edge_index.T.tolist())) == [(0, 1), (1, 0), (3, 4), (4, 3)]
    assert owner.tolist() == [0, 0, 0, 1, 1] and mu.shape == (2, 3)
    with pytest.raises(ValueError, match="cutoff"):
        molecule_graph(mols, [0], cutoff=0.0)


# --- errors -----------------------------------------------------------------------------------------------


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="ell"):
        spherical_harmonics(-1, torch.randn(3, 3))
    with pytest.raises(ValueError, match="shape"):
        spherical_harmonics(1, torch.randn(3, 2))
    with pytest.raises(ValueError, match="shape"):
        wigner_d(1, torch.randn(3, 2))
    with pytest.raises(ValueError, match="ell must satisfy"):
        clebsch_gordan(1, 1, 3)
    with pytest.raises(ValueError, match="l1"):
        clebsch_gordan(1.5, 1, 1)
    with pytest.raises(ValueError, match="lmax"):
        tfn_paths(7)
    with pytest.raises(ValueError, match="channels"):
        TensorProductConv(0)
    with pytest.raises(ValueError, match=r"f must have shape \(N, C, D\) with D = 4"):
        TensorProductConv(2, 1)(torch.randn(4, 2, 3), torch.randn(4, 3), torch.zeros(2, 0, dtype=torch.long))
    with pytest.raises(ValueError, match=r"x must have shape \(N, 3\)"):
        edge_geometry(torch.randn(4, 2), torch.zeros(2, 0, dtype=torch.long), 1)
    with pytest.raises(ValueError, match=r"f must have a last axis of size \(L\+1\)\^2"):
        rotate_features(torch.eye(3), torch.randn(2, 5))
    with pytest.raises(ValueError, match=r"Q must have shape \(3, 3\)"):
        rotate_features(torch.eye(2), torch.randn(2, 4))
    with pytest.raises(ValueError, match=r"f1 must have shape \(\.\.\., 3\)"):
        to_cartesian(torch.randn(2, 4))
    with pytest.raises(ValueError, match="k must"):
        kchain(1, True)
    with pytest.raises(ValueError, match=r"u must have shape \(\.\.\., 2 l1 \+ 1\)"):
        tensor_product(torch.randn(2), torch.randn(3), 1)
    with pytest.raises(ValueError, match=r"f must have shape \(N, C, D\)"):
        invariant_readout(torch.randn(4, 5))
    with pytest.raises(ValueError, match="lmax >= 1"):
        TFNVector(5, lmax=0)


def test_paths_layout_and_cartesian_order():
    assert len(tfn_paths(2)) == 11 and len(tfn_paths(2, parity=False)) == 15
    assert tfn_paths(1) == [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
    assert all(abs(a - b) <= c <= a + b and (a + b + c) % 2 == 0 for a, b, c in tfn_paths(3))
    assert [degree_slice(ell) for ell in range(3)] == [slice(0, 1), slice(1, 4), slice(4, 9)]
    v = torch.tensor([[1.0, 2.0, 3.0]])
    assert to_cartesian(v[:, YZX]).tolist() == v.tolist()


# --- issue: bad input gets a clear error, never a silent wrong number ------------------------------------


def test_models_follow_module_double_and_accept_empty_graphs():
    f64, g = torch.float64, torch.Generator().manual_seed(0)
    x, h = torch.randn(6, 3, dtype=f64, generator=g), torch.randn(6, 4, dtype=f64, generator=g)
    ring = torch.tensor([[0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 0]])
    owner = torch.tensor([0, 0, 0, 1, 1, 1])
    f = torch.randn(6, 2, 9, dtype=f64, generator=g)
    torch.manual_seed(0)
    conv, tfn = TensorProductConv(2).double(), TFN(4).double()
    assert conv(f, x, ring).dtype == f64 and tfn(h, x, ring).dtype == f64
    assert conv(f[:0], x[:0], ring[:, :0]).shape == (0, 2, 9)  # a graph without nodes
    assert tfn(h[:0], x[:0], ring[:, :0]).shape == (0, 8, 9)
    for model in (TFNVector(4).double(), EGNNVector(4).double()):
        out = model(h, x, ring, owner, 2)
        assert out.dtype == f64 and out.shape == (2, 3)
        with pytest.raises(TypeError, match=r"\.double\(\)"):
            model.float()(h, x, ring, owner, 2)
    hs = [f[..., degree_slice(ell)] for ell in range(3)]
    assert gate(hs, torch.randn(6, 4, dtype=f64)).dtype == f64
    assert gate([t[:0] for t in hs], torch.zeros(0, 4, dtype=f64)).shape == (0, 2, 9)  # no nodes


def test_functions_follow_their_input_and_promote_integers():
    f64 = torch.float64
    R = random_rotation(2, generator=torch.Generator().manual_seed(0), dtype=f64)
    v = torch.tensor([[1, 2, 3]])  # integers are promoted, never truncated
    assert torch.allclose(spherical_harmonics(1, v), spherical_harmonics(1, v.float()))
    assert spherical_harmonics(2, v.double()).dtype == f64 and wigner_d(2, R).dtype == f64
    assert wigner_d(1, R.float()).dtype == torch.float32
    assert rotate_features(R[0], torch.randn(3, 9, dtype=f64)).dtype == f64
    assert torch.allclose(rotate_features(R[0], torch.arange(4)), rotate_features(R[0], torch.arange(4.0)))
    u = torch.randn(3, dtype=f64)
    assert tensor_product(u, torch.tensor([1, 2, 3]), 1).dtype == f64
    torch.testing.assert_close(tensor_product(u, torch.tensor([1, 2, 3]), 1),
                               tensor_product(u, u.new_tensor([1, 2, 3]), 1))
    lengths, Y = edge_geometry(torch.tensor([[0, 0, 0], [3, 4, 0]]), torch.tensor([[0], [1]]), 1)
    assert lengths.item() == 5.0 and Y.dtype == torch.get_default_dtype()
    torch.testing.assert_close(invariant_readout(torch.ones(2, 1, 4, dtype=torch.long)),
                               torch.tensor([2.0, 2 * math.sqrt(3)]))
    C = clebsch_gordan(1, 1, 0)
    C.zero_()  # a copy: the cache is untouched
    assert clebsch_gordan(1, 1, 0).abs().sum() > 0
    with pytest.raises(ValueError, match="R must hold rotations"):
        wigner_d(1, -torch.eye(3))  # a reflection has no Wigner-D matrix: silently wrong before
    with pytest.raises(ValueError, match="Q must hold orthogonal"):
        rotate_features(2 * torch.eye(3), torch.randn(4))


def test_molecule_graph_checks_ids_and_mols():
    pos = [torch.tensor([[0.0, 0, 0], [1, 0, 0]])]
    mols = SimpleNamespace(z=[torch.tensor([1, 9])], pos=pos, dipole_vectors=lambda: torch.zeros(1, 3))
    assert molecule_graph(mols, range(1))[3].tolist() == [0, 0]
    assert molecule_graph(mols, torch.tensor([0]))[2].shape == (2, 2)
    with pytest.raises(ValueError, match="ids refers to molecule 1"):
        molecule_graph(mols, [1])
    with pytest.raises(ValueError, match="ids is empty"):
        molecule_graph(mols, [])


def test_zero_vectors_and_self_loops_keep_equivariance():
    assert spherical_harmonics(0, torch.zeros(1, 3)).abs().sum() > 0
    for ell in (1, 2, 3):  # no direction: not the north pole's harmonics, as before, but zero
        assert spherical_harmonics(ell, torch.zeros(2, 3)).abs().max() == 0
    x, edge_index, g = _graph(5, 12, 0)
    loops = torch.cat([edge_index, torch.arange(5).repeat(2, 1)], dim=1)  # with self-loops
    torch.manual_seed(0)
    model = TFN(2, channels=4, lmax=2, layers=2).double()
    h = torch.randn(5, 2, dtype=torch.float64, generator=g)
    qs = list(random_rotation(2, generator=g, dtype=torch.float64))
    assert check_equivariance(lambda y: model(h, y, loops), x, _move, rotate_features, qs) < 1e-12
