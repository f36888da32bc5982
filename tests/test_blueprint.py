"""The shared foundation of gdl.symmetry and gdl.tools: rotation sampler, matrix groups, products,
the one equivariant-basis solver, the one aggregation, the one MLP builder."""
import itertools

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from gdl.symmetry import (
    AGGREGATIONS,
    CyclicGroup,
    DihedralGroup,
    Group,
    OrthogonalGroup,
    ProductGroup,
    SymmetricGroup,
    aggregate,
    check_equivariance,
    check_group_axioms,
    equivariant_basis,
    random_rotation,
    rep_matrices,
)
from gdl.tools import mlp

seeds = st.integers(0, 2**31 - 1)


# ---- random_rotation --------------------------------------------------------------------------
@given(seeds, st.integers(1, 5), st.booleans())
def test_random_rotation_is_orthogonal_with_the_right_determinant(seed, dim, reflections):
    Q = random_rotation(16, dim, reflections=reflections, generator=torch.Generator().manual_seed(seed),
                        dtype=torch.float64)
    assert Q.shape == (16, dim, dim) and Q.dtype == torch.float64
    assert torch.allclose(Q.transpose(1, 2) @ Q, torch.eye(dim, dtype=torch.float64).expand(16, dim, dim),
                          atol=1e-12)
    det = torch.linalg.det(Q)
    assert torch.allclose(det.abs(), torch.ones(16, dtype=torch.float64))
    if not reflections:
        assert torch.all(det > 0)


def test_random_rotation_follows_dtype_and_generator():
    a = random_rotation(3, generator=torch.Generator().manual_seed(1))
    b = random_rotation(3, generator=torch.Generator().manual_seed(1))
    assert a.dtype == torch.get_default_dtype() and torch.equal(a, b)
    assert random_rotation(2, 3, dtype=torch.float64).dtype == torch.float64
    with pytest.raises(ValueError, match="num"):
        random_rotation(-1)
    with pytest.raises(ValueError, match="dim"):
        random_rotation(2, 0)


def test_random_rotation_is_haar_on_both_components():
    """Haar: E[Q] = 0, and with reflections both determinants are equally likely."""
    g = torch.Generator().manual_seed(0)
    Q = random_rotation(4000, 3, generator=g, dtype=torch.float64)
    assert Q.mean(0).abs().max() < 0.05
    # uniform on SO(3): the rotation angle θ has density (1 - cos θ)/π, so E[cos θ] = -1/2... of trace:
    # E[tr Q] = 1 + 2 E[cos θ] = 0
    assert abs(float(torch.diagonal(Q, dim1=1, dim2=2).sum(-1).mean())) < 0.05
    refl = random_rotation(4000, 3, reflections=True, generator=g, dtype=torch.float64)
    assert abs(float((torch.linalg.det(refl) > 0).double().mean()) - 0.5) < 0.04


def test_exactly_one_public_random_rotation_function():
    import importlib
    import pkgutil

    import gdl

    names = set()
    for info in pkgutil.walk_packages(gdl.__path__, "gdl."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            if "random_rotation" in name:
                names.add((getattr(module, name).__module__, name))
    assert names == {("gdl.symmetry", "random_rotation")}


# ---- matrix groups and products ---------------------------------------------------------------
@given(seeds, st.integers(2, 4), st.booleans())
def test_orthogonal_group_axioms_and_action(seed, dim, special):
    G = OrthogonalGroup(dim, special=special)
    gen = torch.Generator().manual_seed(seed)
    elements = list(G.sample(5, generator=gen, dtype=torch.float64))
    assert all(check_group_axioms(G, elements).values())
    x = torch.randn(7, dim, dtype=torch.float64, generator=gen)
    g, h = elements[:2]
    assert torch.allclose(G.rep(G.compose(g, h), x), G.rep(g, G.rep(h, x)))
    # pairwise distances are invariant under O(n)
    assert check_equivariance(lambda p: torch.cdist(p, p), x, G.rep, lambda g, y: y, elements) < 1e-12
    assert not G.contains(2 * torch.eye(dim))
    with pytest.raises(ValueError, match=r"\(\.\.\., "):
        G.act(g, torch.randn(3, dim + 1))


def test_special_orthogonal_group_rejects_reflections():
    mirror = torch.diag(torch.tensor([-1.0, 1.0, 1.0], dtype=torch.float64))
    assert OrthogonalGroup(3).contains(mirror) and not OrthogonalGroup(3, special=True).contains(mirror)


def test_product_group_multiplies_componentwise():
    G = ProductGroup(CyclicGroup(3), DihedralGroup(2))
    assert isinstance(G, Group) and len(G) == 12 and len(G.elements()) == 12
    assert all(check_group_axioms(G).values())
    assert G.compose((1, (1, 0)), (2, (0, 1))) == (0, (1, 1))
    with pytest.raises(ValueError, match="Group"):
        ProductGroup(3)


def test_product_group_samples_continuous_and_finite_factors():
    G = ProductGroup(OrthogonalGroup(3), SymmetricGroup(5))
    pairs = G.sample(4, generator=torch.Generator().manual_seed(0))
    assert len(pairs) == 4 and all(G.contains(p) for p in pairs)
    assert all(check_group_axioms(G, pairs).values())
    with pytest.raises(ValueError, match="not finite"):
        G.elements()


# ---- the symmetric group with tensor elements ---------------------------------------------------
@given(seeds, st.integers(1, 7))
def test_symmetric_group_tensor_samples_act_like_tuples(seed, n):
    S = SymmetricGroup(n)
    gen = torch.Generator().manual_seed(seed)
    perms = S.sample(4, generator=gen)
    assert perms.shape == (4, n) and perms.dtype == torch.int64
    x = torch.randn(2, n, 3, generator=gen)
    for g, h in itertools.product(perms, repeat=2):
        assert S.contains(g)
        # a tensor element acts exactly as the same permutation given as a tuple
        assert torch.equal(S.rep(g, x, dim=1), S.rep(tuple(g.tolist()), x, dim=1))
        assert torch.equal(S.rep(S.compose(g, h), x, dim=1), S.rep(g, S.rep(h, x, dim=1), dim=1))
        assert torch.equal(S.matrix(g).float() @ x, S.rep(g, x, dim=1))
    assert all(check_group_axioms(S, list(perms)).values())
    # ρ(g) moves the value at u to g(u)
    g = perms[0]
    y = S.rep(g, torch.arange(n).float())
    assert torch.equal(y[g], torch.arange(n).float())


def test_symmetric_group_rejects_non_permutations():
    S = SymmetricGroup(4)
    assert not S.contains(torch.tensor([0, 0, 1, 2]))
    with pytest.raises(ValueError, match="permutation"):
        S.rep(torch.tensor([0, 0, 1, 2]), torch.randn(4))


# ---- the one solver ---------------------------------------------------------------------------
def _commutes(basis, rho_in, rho_out):
    return float((rho_out[:, None] @ basis[None] - basis[None] @ rho_in[:, None]).abs().max())


@settings(max_examples=10)
@given(st.integers(2, 9))
def test_solver_finds_the_circulants_of_the_cyclic_group(n):
    C = CyclicGroup(n)
    rho = rep_matrices(C.rep, [1], n)  # the generator alone
    basis = equivariant_basis(rho, rho)
    assert basis.shape == (n, n, n)
    full = rep_matrices(C.rep, C.elements(), n)
    assert _commutes(basis, full, full) < 1e-12
    # orthonormal, and every solution is circulant: constant along wrapped diagonals
    gram = torch.einsum("aij,bij->ab", basis, basis)
    assert torch.allclose(gram, torch.eye(n, dtype=torch.float64), atol=1e-12)
    for W in basis:
        assert torch.allclose(W, W.roll((1, 1), dims=(0, 1)), atol=1e-12)


@settings(max_examples=10)
@given(st.integers(2, 7), st.integers(1, 3), st.integers(1, 3))
def test_solver_on_sets_gives_two_maps_per_channel_pair(n, c_in, c_out):
    S = SymmetricGroup(n)
    gens = [tuple([1, 0] + list(range(2, n))), tuple(list(range(1, n)) + [0])]
    P = rep_matrices(S.rep, gens, n)
    rho_in = torch.stack([torch.kron(p, torch.eye(c_in, dtype=torch.float64)) for p in P])
    rho_out = torch.stack([torch.kron(p, torch.eye(c_out, dtype=torch.float64)) for p in P])
    basis = equivariant_basis(rho_in, rho_out)
    assert len(basis) == (2 if n > 1 else 1) * c_in * c_out


def test_solver_handles_different_input_and_output_representations():
    """Maps from the trivial rep of C4 to its regular rep: only constant vectors."""
    C = CyclicGroup(4)
    reg = rep_matrices(C.rep, C.elements(), 4)
    triv = torch.ones(4, 1, 1, dtype=torch.float64)
    basis = equivariant_basis(triv, reg)
    assert basis.shape == (1, 4, 1)
    assert torch.allclose(basis[0, :, 0].abs(), torch.full((4,), 0.5, dtype=torch.float64))
    # and a sign rep of C4 into the trivial one has no non-zero map
    sign = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64).view(4, 1, 1)
    assert equivariant_basis(sign, triv).shape[0] == 0


def test_solver_errors_name_the_arguments():
    with pytest.raises(ValueError, match="rho_in"):
        equivariant_basis(torch.eye(3), torch.eye(3))
    with pytest.raises(ValueError, match="same G"):
        equivariant_basis(torch.eye(3).expand(2, 3, 3), torch.eye(3).expand(3, 3, 3))
    with pytest.raises(ValueError, match="tensors"):
        equivariant_basis([[1.0]], torch.eye(1)[None])


def test_rep_matrices_reproduce_the_representation():
    D = DihedralGroup(5)
    x = torch.randn(3, 5, dtype=torch.float64)
    M = rep_matrices(D.rep, D.elements(), 5)
    for g, m in zip(D.elements(), M, strict=True):
        assert torch.allclose(x @ m.T, D.rep(g, x))


# ---- the one aggregation and the one MLP --------------------------------------------------------
@given(seeds, st.sampled_from(AGGREGATIONS))
def test_aggregate_is_invariant_to_permuting_the_axis(seed, aggr):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(3, 6, 4, generator=gen)
    S = SymmetricGroup(6)
    err = check_equivariance(lambda z: aggregate(z, aggr, dim=1), x,
                             lambda g, z: S.rep(g, z, dim=1), lambda g, y: y, S.sample(5, gen))
    assert err < 1e-6
    ref = {"sum": x.sum(1), "mean": x.mean(1), "max": x.amax(1)}[aggr]
    assert torch.allclose(aggregate(x, aggr, dim=1), ref)
    assert aggregate(x, aggr, dim=1, keepdim=True).shape == (3, 1, 4)


def test_aggregate_errors():
    with pytest.raises(ValueError, match="aggr must be one of"):
        aggregate(torch.randn(3), "median")
    with pytest.raises(ValueError, match="floating-point"):
        aggregate(torch.arange(4), "mean")


def test_mlp_layers_and_initialisation_order():
    torch.manual_seed(0)
    net = mlp(3, 8, 8, 2)
    torch.manual_seed(0)
    ref = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
    assert [type(m) for m in net] == [type(m) for m in ref]
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), ref.parameters(), strict=True))
    silu = mlp(4, 5, activation=nn.SiLU, final_activation=True, norm=nn.BatchNorm1d)
    assert [type(m) for m in silu] == [nn.Linear, nn.BatchNorm1d, nn.SiLU]
    with pytest.raises(ValueError, match="widths"):
        mlp(3)
    with pytest.raises(ValueError, match="widths"):
        mlp(3, 0)


def test_every_group_of_the_book_is_a_group():
    """The point groups, C_N, SO(3), E(n), the gauge group and Chapter 1's groups share one base class."""
    from gdl.egnn import EuclideanGroup
    from gdl.gauges import GaugeGroup
    from gdl.gcnn import DiscreteRotations, PointGroup
    from gdl.spheres import SO3
    from gdl.symmetry import SO2, TranslationGroup

    groups = [PointGroup("D4"), DiscreteRotations(8), SO3(), EuclideanGroup(3), GaugeGroup(5),
              CyclicGroup(3), DihedralGroup(3), SymmetricGroup(3), TranslationGroup(2, 2), SO2(),
              OrthogonalGroup(3), ProductGroup(SO2(), SymmetricGroup(2))]
    gen = torch.Generator().manual_seed(0)
    for G in groups:
        assert isinstance(G, Group), G
        sample = list(G.sample(3, generator=gen))
        assert all(G.contains(g) for g in sample), G
        assert all(check_group_axioms(G, sample).values()), G
