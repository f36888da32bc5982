"""gdl.symmetry: group axioms, representations as homomorphisms, check_equivariance, the Reynolds operator,
irreducible representations, characters and decompositions, stabilisers and orbits."""
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from gdl.symmetry import (
    SO2,
    Augmented,
    CyclicGroup,
    DihedralGroup,
    GroupAveraged,
    OrthogonalGroup,
    ProductGroup,
    SymmetricGroup,
    TranslationGroup,
    aggregate,
    character,
    character_inner,
    check_equivariance,
    check_group_axioms,
    check_homomorphism,
    decompose,
    equivariant_basis,
    irreps,
    orbit,
    point_orbit,
    random_rotation,
    regular_rep,
    rep_matrices,
    reynolds,
    square_rep,
    stabiliser,
    trivial_rep,
)

seeds = st.integers(0, 2**31 - 1)


@st.composite
def finite_groups(draw):
    """A random finite group from the chapter, small enough to enumerate."""
    kind = draw(st.sampled_from(["cyclic", "dihedral", "symmetric", "translation"]))
    if kind == "cyclic":
        return CyclicGroup(draw(st.integers(1, 12)))
    if kind == "dihedral":
        return DihedralGroup(draw(st.integers(1, 7)))
    if kind == "symmetric":
        return SymmetricGroup(draw(st.integers(1, 4)))
    return TranslationGroup(draw(st.integers(1, 4)), draw(st.integers(1, 4)))


def _signal(group, seed, batch=(3,), dtype=torch.float64):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(*batch, *group.domain_shape, dtype=dtype, generator=gen)


# ------------------------------------------------------------------------------------------
# groups
# ------------------------------------------------------------------------------------------
@given(finite_groups())
def test_group_axioms_hold_for_every_finite_group(G):
    result = check_group_axioms(G, G.elements() if len(G) <= 14 else None)
    assert result == {"closure": True, "identity": True, "inverse": True, "associativity": True}
    assert G.elements()[0] == G.identity()
    assert len(set(G.elements())) == len(G)


@given(seeds)
def test_group_axioms_hold_for_sampled_rotations(seed):
    so2 = SO2()
    angles = so2.sample(8, torch.Generator().manual_seed(seed))
    assert angles.shape == (8,) and bool(((angles >= 0) & (angles < 2 * math.pi)).all())
    assert all(check_group_axioms(so2, angles).values())


def test_group_axioms_catch_a_wrong_product():
    class Broken(DihedralGroup):
        def compose(self, g, h):
            return ((g[0] + h[0]) % self.n, g[1] ^ h[1])  # forgets the sign of the reflection

    assert not all(check_group_axioms(Broken(4)).values())


@given(st.integers(3, 8))
def test_dihedral_group_is_not_commutative(n):
    D = DihedralGroup(n)
    assert D.compose((1, 0), (0, 1)) != D.compose((0, 1), (1, 0))


@given(st.integers(5, 9), seeds)
def test_symmetric_group_samples_are_permutations(n, seed):
    S = SymmetricGroup(n)
    for g in S.sample(5, torch.Generator().manual_seed(seed)):
        assert S.contains(g)
        assert S.equal(S.compose(g, S.inverse(g)), S.identity())
    assert len(S) == math.factorial(n)


def test_orders_and_errors_of_constructors():
    groups = (CyclicGroup(5), DihedralGroup(5), SymmetricGroup(4), TranslationGroup(2, 3))
    assert [len(G) for G in groups] == \
        [5, 10, 24, 6]
    for bad in (lambda: CyclicGroup(0), lambda: DihedralGroup(-1), lambda: SymmetricGroup(2.0),
                lambda: TranslationGroup(0, 3)):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ValueError, match="sample"):
        SymmetricGroup(9).elements()
    with pytest.raises(ValueError, match="empty"):
        check_group_axioms(CyclicGroup(3), [])


# ------------------------------------------------------------------------------------------
# representations
# ------------------------------------------------------------------------------------------
@given(finite_groups(), seeds)
def test_representations_are_homomorphisms(G, seed):
    x = _signal(G, seed)
    gen = torch.Generator().manual_seed(seed)
    pairs = list(zip(G.sample(10, gen), G.sample(10, gen), strict=True))
    assert check_homomorphism(G, x, pairs=pairs) == 0.0
    assert torch.equal(G.rep(G.identity(), x), x)


@given(finite_groups(), seeds)
def test_rep_moves_values_with_their_points(G, seed):
    """(ρ(g)x)(g·u) = x(u): the value at u travels to g·u."""
    x = _signal(G, seed, batch=())
    g = G.sample(1, torch.Generator().manual_seed(seed))[0]
    y = G.rep(g, x)
    u = G.points()
    gu = G.act(g, u)
    if len(G.domain_shape) == 1:
        assert torch.equal(y[gu], x[u])
    else:
        assert torch.equal(y[gu[:, 0], gu[:, 1]], x[u[:, 0], u[:, 1]])


@given(finite_groups(), seeds)
def test_orbit_is_one_gather_equal_to_stacked_reps(G, seed):
    x = _signal(G, seed, batch=(2, 3))
    elements = G.elements()[:12]
    stacked = torch.stack([G.rep(g, x) for g in elements])
    assert torch.equal(G.orbit(x, elements), stacked)
    assert torch.equal(orbit(x, G, elements=elements), stacked)


@given(st.integers(1, 12), seeds)
def test_cyclic_and_translation_reps_are_rolls(n, seed):
    C = CyclicGroup(n)
    x = torch.randn(2, n, generator=torch.Generator().manual_seed(seed))
    assert all(torch.equal(C.rep(k, x), x.roll(k, -1)) for k in C.elements())
    T = TranslationGroup(n % 4 + 1, 3)
    z = torch.randn(2, n % 4 + 1, 3, generator=torch.Generator().manual_seed(seed))
    assert all(torch.equal(T.rep(g, z), z.roll(g, (-2, -1))) for g in T.elements())


@given(seeds)
def test_symmetric_rep_along_a_chosen_axis_permutes_nodes(seed):
    S = SymmetricGroup(6)
    g = S.sample(1, torch.Generator().manual_seed(seed))[0]
    x = torch.randn(6, 4, generator=torch.Generator().manual_seed(seed))  # node features (N, C)
    y = S.rep(g, x, dim=0)
    assert torch.equal(y[g], x)  # the value at node u moves to node g(u)


@given(st.integers(2, 9), seeds)
def test_square_rep_is_a_representation_of_d4_and_c4(size, seed):
    x = torch.randn(2, 3, size, size, generator=torch.Generator().manual_seed(seed))
    assert check_homomorphism(DihedralGroup(4), x, rep=square_rep) == 0.0
    assert check_homomorphism(CyclicGroup(4), x, rep=square_rep) == 0.0


@given(seeds)
def test_so2_rep_is_a_homomorphism_in_float64(seed):
    so2 = SO2()
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(4, 5, 2, dtype=torch.float64, generator=gen)
    assert check_homomorphism(so2, x, pairs=zip(so2.sample(6, gen), so2.sample(6, gen), strict=True)) < 1e-12
    # rotations preserve lengths
    y = so2.rep(so2.sample(1, gen)[0], x)
    assert torch.allclose(y.norm(dim=-1), x.norm(dim=-1), atol=1e-12)


def _as_function(G, x):
    """The stored signal x (..., *Ω) as a function of the points u of Ω."""
    if len(G.domain_shape) == 1:
        return lambda u: x[..., u]
    return lambda u: x[..., u[..., 0], u[..., 1]]


@given(finite_groups(), seeds)
def test_signal_rep_is_the_gather_of_rep(G, seed):
    """signal_rep(g, x)(u) = x(g⁻¹·u): the same signal as rep(g, x), evaluated point by point."""
    x = _signal(G, seed, batch=(2,))
    u = G.points()
    for g in G.sample(4, torch.Generator().manual_seed(seed)):
        assert torch.equal(G.signal_rep(g, _as_function(G, x))(u), _as_function(G, G.rep(g, x))(u))


@given(seeds)
def test_signal_rep_on_the_plane_moves_features_with_act_and_is_a_homomorphism(seed):
    gen = torch.Generator().manual_seed(seed)
    so2, o2 = SO2(), OrthogonalGroup(2)
    p = torch.randn(2, dtype=torch.float64, generator=gen)
    def bump(u):
        return torch.exp(-((u - p) ** 2).sum(-1))
    theta = float(so2.sample(1, gen)[0])
    # the peak of the rotated signal sits where act moves the peak: (ρ(θ)x)(R(θ)p) = x(p)
    assert float(so2.signal_rep(theta, bump)(so2.act(theta, p))) == pytest.approx(1.0, abs=1e-12)
    # the induced representation is a homomorphism of the non-commutative O(2)
    g, h = o2.sample(2, gen)
    u = torch.randn(50, 2, dtype=torch.float64, generator=gen)
    lhs = o2.signal_rep(o2.compose(g, h), bump)(u)
    assert torch.allclose(lhs, o2.signal_rep(g, o2.signal_rep(h, bump))(u), atol=1e-12)


def test_signal_rep_needs_the_inverse():
    """Evaluating at g·u instead of g⁻¹·u composes in the reverse order: not a representation of O(2)."""
    o2 = OrthogonalGroup(2)
    r = torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64)     # a quarter turn
    m = torch.tensor([[1.0, 0.0], [0.0, -1.0]], dtype=torch.float64)     # a mirror image
    q = torch.tensor([0.8, 0.4], dtype=torch.float64)
    def blob(v):
        return torch.exp(-((v - q) ** 2).sum(-1) / 0.05)
    def wrong(a, x):
        return lambda v: x(o2.act(a, v))
    side = torch.linspace(-1.5, 1.5, 61, dtype=torch.float64)
    u = torch.stack(torch.meshgrid(side, side, indexing="xy"), -1).reshape(-1, 2)
    right_gap = (o2.signal_rep(o2.compose(r, m), blob)(u) - o2.signal_rep(r, o2.signal_rep(m, blob))(u))
    wrong_gap = wrong(o2.compose(r, m), blob)(u) - wrong(r, wrong(m, blob))(u)
    assert right_gap.abs().max() < 1e-12 and wrong_gap.abs().max() > 0.5


def test_signal_rep_rejects_a_signal_that_is_not_a_function():
    with pytest.raises(TypeError, match="x must be a function"):
        CyclicGroup(4).signal_rep(1, torch.zeros(4))


def test_reps_reject_signals_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"C5 acts on signals.*\(3, 4\)"):
        CyclicGroup(5).rep(1, torch.zeros(3, 4))
    with pytest.raises(ValueError, match="shape"):
        TranslationGroup(3, 3).rep((1, 1), torch.zeros(3, 4))
    with pytest.raises(ValueError, match="shape"):
        TranslationGroup(3, 3).orbit(torch.zeros(3, 4))
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        SO2().act(0.3, torch.zeros(4, 3))
    with pytest.raises(ValueError, match="square grid"):
        square_rep((1, 0), torch.zeros(2, 3, 4))
    with pytest.raises(TypeError, match="x must be a tensor"):
        CyclicGroup(5).rep(1, [1, 2, 3, 4, 5])


# ------------------------------------------------------------------------------------------
# check_equivariance
# ------------------------------------------------------------------------------------------
@given(st.integers(3, 10), seeds)
def test_check_equivariance_passes_equivariant_and_flags_non_equivariant_maps(n, seed):
    C, D = CyclicGroup(n), DihedralGroup(n)
    x = torch.randn(8, n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    def laplacian(z):
        return z - 0.5 * (z.roll(1, -1) + z.roll(-1, -1))
    def difference(z):
        return z.roll(-1, -1) - z
    assert check_equivariance(laplacian, x, D.rep, D.rep, D.elements()) < 1e-12
    assert check_equivariance(difference, x, C.rep, C.rep, C.elements()) < 1e-12
    assert check_equivariance(difference, x, D.rep, D.rep, D.elements()) > 0.1   # reflections flip it
    torch.manual_seed(seed)
    dense = nn.Linear(n, n).double()
    assert check_equivariance(dense, x, C.rep, C.rep, C.elements()) > 1e-2
    assert check_equivariance(dense, x, C.rep, trivial_rep, C.elements()) > 1e-2


@given(seeds)
def test_check_equivariance_returns_a_float_and_accepts_a_group(seed):
    C = CyclicGroup(6)
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(seed))
    err = check_equivariance(lambda z: z.sum(-1), x, C.rep, trivial_rep, C)
    assert isinstance(err, float) and err < 1e-5
    # f(x) = 0: the absolute error is returned
    assert check_equivariance(lambda z: z * 0, x, C.rep, C.rep, C.elements()) == 0.0


@given(seeds)
def test_check_equivariance_handles_tuple_and_complex_outputs(seed):
    """Outputs may be (features, coordinates) tuples, as in E(n)-equivariant layers, or complex."""
    so2 = SO2()
    gen = torch.Generator().manual_seed(seed)
    pts = torch.randn(6, 2, dtype=torch.float64, generator=gen)
    def f(p):
        return (p.norm(dim=-1), 2.0 * p)                        # invariant feature, equivariant coordinates
    def rot(g, out):
        return (out[0], so2.rep(g, out[1]))
    angles = so2.sample(5, gen)
    assert check_equivariance(f, pts, so2.rep, rot, angles) < 1e-12
    def wrong(p):
        return (p.norm(dim=-1), p + 1.0)                     # translation breaks rotation equivariance
    assert check_equivariance(wrong, pts, so2.rep, rot, angles) > 1e-3
    C = CyclicGroup(8)
    x = torch.randn(3, 8, dtype=torch.float64, generator=gen)
    def spectrum(z):
        return torch.fft.fft(z, dim=-1)                  # complex, and not invariant (phases move)
    assert check_equivariance(lambda z: spectrum(z).abs(), x, C.rep, trivial_rep, C.elements()) < 1e-12
    assert check_equivariance(spectrum, x, C.rep, trivial_rep, C.elements()) > 1e-3


def test_check_equivariance_errors():
    C = CyclicGroup(4)
    x = torch.randn(2, 4)
    with pytest.raises(ValueError, match="empty"):
        check_equivariance(lambda z: z, x, C.rep, C.rep, [])
    with pytest.raises(ValueError, match="shape"):
        check_equivariance(lambda z: z, x, C.rep, lambda g, y: y.sum(-1), C.elements())


# ------------------------------------------------------------------------------------------
# the Reynolds operator
# ------------------------------------------------------------------------------------------
@given(finite_groups(), seeds)
def test_group_averaged_model_is_invariant_in_float32(G, seed):
    torch.manual_seed(seed)
    d = math.prod(G.domain_shape)
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(d, 16), nn.Tanh(), nn.Linear(16, 3))
    model = GroupAveraged(mlp, G)
    x = _signal(G, seed, batch=(5,), dtype=torch.float32)
    elements = G.sample(8, torch.Generator().manual_seed(seed))
    assert check_equivariance(model, x, G.rep, trivial_rep, elements) < 1e-5
    if len(G) > 1 and G.domain_shape[-1] > 1 and not (isinstance(G, DihedralGroup) and G.n <= 2):
        assert check_equivariance(mlp, x, G.rep, trivial_rep, G.elements()) > 1e-4


@given(seeds)
def test_reynolds_is_a_projection(seed):
    """Averaging an invariant function changes nothing: R R f = R f."""
    torch.manual_seed(seed)
    D = DihedralGroup(5)
    f = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 2)).double()
    x = torch.randn(7, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    def rf(z):
        return reynolds(f, z, D)
    assert torch.allclose(reynolds(rf, x, D), rf(x), atol=1e-12)


@given(seeds)
def test_group_averaging_with_a_custom_action_on_images(seed):
    torch.manual_seed(seed)
    D4 = DihedralGroup(4)
    model = GroupAveraged(nn.Sequential(nn.Flatten(), nn.Linear(25, 4)), D4, square_rep)
    x = torch.randn(3, 5, 5, generator=torch.Generator().manual_seed(seed))
    assert check_equivariance(model, x, square_rep, trivial_rep, D4.elements()) < 1e-5


@given(seeds)
def test_averaging_over_a_finite_subgroup_of_so2_is_exact_on_it(seed):
    torch.manual_seed(seed)
    so2, N = SO2(), 6
    sub = torch.arange(N, dtype=torch.float64) * 2 * math.pi / N
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1)).double()
    model = GroupAveraged(mlp, so2, elements=sub)
    x = torch.randn(4, 4, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    assert check_equivariance(model, x, so2.rep, trivial_rep, sub) < 1e-12


def test_averaging_over_so2_needs_elements():
    with pytest.raises(ValueError, match="continuous"):
        GroupAveraged(nn.Identity(), SO2())
    with pytest.raises(ValueError, match="continuous"):
        orbit(torch.zeros(2, 2), SO2())
    with pytest.raises(ValueError, match="empty"):
        GroupAveraged(nn.Identity(), CyclicGroup(3), elements=[])


@given(seeds)
def test_augmented_transforms_each_input_in_training_only(seed):
    torch.manual_seed(seed)
    C = CyclicGroup(5)
    model = Augmented(nn.Identity(), C)
    x = torch.randn(6, 5, generator=torch.Generator().manual_seed(seed))
    assert torch.equal(model.eval()(x), x)
    y = model.train()(x)
    orbits = C.orbit(x)                                   # (5, 6, 5)
    assert all(any(torch.equal(y[i], orbits[k, i]) for k in range(5)) for i in range(6))


def test_check_equivariance_reports_non_finite_outputs_as_failures():
    C = CyclicGroup(4)
    x = torch.randn(3, 4)
    assert check_equivariance(lambda z: z * float("nan"), x, C.rep, C.rep, C.elements()) == math.inf
    assert check_equivariance(lambda z: z / 0.0, x, C.rep, C.rep, C.elements()) == math.inf

    def nan_after_a_shift(z):  # finite on x, NaN on a transformed input
        return z if torch.equal(z, x) else z * float("nan")

    assert check_equivariance(nan_after_a_shift, x, C.rep, C.rep, C.elements()) == math.inf


def test_check_equivariance_reports_the_worst_sample_of_a_batch():
    """One broken sample in a batch of 400 is not diluted by the other 399."""
    C = CyclicGroup(8)
    x = torch.randn(400, 8, generator=torch.Generator().manual_seed(0), dtype=torch.float64)

    def broken_on_sample_0(z):
        out = z.clone()
        out[0] = z[0].roll(1) if not torch.equal(z, x) else z[0]  # sample 0 is not equivariant
        return out

    err = check_equivariance(broken_on_sample_0, x, C.rep, C.rep, [1])
    whole_batch = float((broken_on_sample_0(C.rep(1, x)) - C.rep(1, x)).norm() / x.norm())
    assert err > 0.5 and whole_batch < 0.1  # the old whole-batch normalisation hid it


def test_check_equivariance_leaves_batch_norm_statistics_unchanged():
    C = CyclicGroup(6)
    model = nn.Sequential(nn.Linear(6, 6), nn.BatchNorm1d(6)).double().train()
    x = torch.randn(32, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    before = [b.clone() for b in model.buffers()]
    for f in (model, lambda z: model(z)):
        check_equivariance(f, x, C.rep, C.rep, C.elements())
        assert all(torch.equal(a, b) for a, b in zip(before, model.buffers(), strict=True))


# ------------------------------------------------------------------------------------------
# irreducible representations, characters, decomposition
# ------------------------------------------------------------------------------------------
@st.composite
def groups_with_irreps(draw):
    kind = draw(st.sampled_from(["cyclic", "dihedral", "translation"]))
    if kind == "cyclic":
        return CyclicGroup(draw(st.integers(1, 12)))
    if kind == "dihedral":
        return DihedralGroup(draw(st.integers(1, 8)))
    return TranslationGroup(draw(st.integers(1, 4)), draw(st.integers(1, 4)))


def _index(G):
    return {g: i for i, g in enumerate(G.elements())}


@given(groups_with_irreps())
def test_irreps_are_homomorphisms_orthonormal_and_complete(G):
    irr, idx, els = irreps(G), _index(G), G.elements()
    for name, mats in irr.items():
        assert mats.shape[0] == len(G) and mats.shape[1] == mats.shape[2], name
        assert torch.allclose(mats[idx[G.identity()]], torch.eye(mats.shape[-1], dtype=mats.dtype))
        for i, g in enumerate(els):
            for j, h in enumerate(els):
                assert torch.allclose(mats[idx[G.compose(g, h)]], mats[i] @ mats[j], atol=1e-12), name
    chis = [character(m) for m in irr.values()]
    gram = torch.tensor([[complex(character_inner(a, b)) for b in chis] for a in chis])
    assert torch.allclose(gram, torch.eye(len(chis), dtype=gram.dtype), atol=1e-12)
    assert sum(m.shape[-1] ** 2 for m in irr.values()) == len(G)


def _random_sum(G, mult, gen):
    """Matrices of ⊕ m_i ρ_i conjugated by a random real change of basis."""
    blocks = [m for name, m in irreps(G).items() for _ in range(mult[name])]
    rho = torch.stack([torch.block_diag(*[b[i].to(torch.complex128) for b in blocks]) for i in range(len(G))])
    basis = torch.randn(rho.shape[-1], rho.shape[-1], dtype=torch.float64, generator=gen).to(torch.complex128)
    return basis @ rho @ torch.linalg.inv(basis)


@given(groups_with_irreps(), seeds, st.data())
def test_decompose_recovers_the_multiplicities_of_random_direct_sums(G, seed, data):
    names = list(irreps(G))
    mult = {n: data.draw(st.integers(0, 2), label=n) for n in names}
    if sum(mult.values()) == 0:
        mult[names[-1]] = 1
    rho = _random_sum(G, mult, torch.Generator().manual_seed(seed))
    assert decompose(rho, G) == mult
    assert decompose(character(rho), G) == mult
    chi = character(rho)
    assert abs(complex(character_inner(chi, chi)) - sum(m * m for m in mult.values())) < 1e-8


@given(groups_with_irreps(), seeds)
def test_characters_are_class_functions(G, seed):
    mult = {n: 1 for n in irreps(G)}
    for rho in (_random_sum(G, mult, torch.Generator().manual_seed(seed)),
                rep_matrices(G.rep, G.elements(), math.prod(G.domain_shape)) if len(G.domain_shape) == 1
                else regular_rep(G)):
        chi, idx = character(rho), _index(G)
        for g in G.elements():
            for h in G.elements():
                conj = G.compose(G.compose(h, g), G.inverse(h))
                assert abs(complex(chi[idx[conj]] - chi[idx[g]])) < 1e-9


@given(groups_with_irreps())
def test_regular_rep_holds_every_irrep_as_often_as_its_dimension(G):
    R = regular_rep(G)
    assert R.shape == (len(G),) * 3
    assert check_homomorphism(G, torch.eye(len(G), dtype=torch.float64),
                              rep=lambda g, x: R[_index(G)[g]] @ x) == 0.0
    assert decompose(R, G) == {n: m.shape[-1] for n, m in irreps(G).items()}


@given(st.integers(1, 16))
def test_the_dft_diagonalises_the_regular_rep_of_cyclic_groups(n):
    k = torch.arange(n, dtype=torch.float64)
    F = torch.polar(torch.ones(n, n, dtype=torch.float64), -2 * math.pi * k[:, None] * k / n) / n**0.5
    R = regular_rep(CyclicGroup(n)).to(torch.complex128)
    phases = torch.polar(torch.ones(n, n, dtype=torch.float64), -2 * math.pi * k[:, None] * k / n)
    assert torch.allclose(F @ R @ F.conj().T, torch.diag_embed(phases), atol=1e-12)


def test_known_decompositions():
    D4, D8 = DihedralGroup(4), DihedralGroup(8)
    square = rep_matrices(D4.rep, D4.elements(), 4)
    assert decompose(square, D4) == {"A1": 1, "A2": 0, "B1": 1, "B2": 0, "E1": 1}
    assert decompose(rep_matrices(D8.rep, D8.elements(), 8), D8) == {
        "A1": 1, "A2": 0, "B1": 1, "B2": 0, "E1": 1, "E2": 1, "E3": 1}
    E1 = irreps(D8)["E1"]
    prod = torch.einsum("gij,gkl->gikjl", E1, E1).reshape(16, 4, 4)
    assert {n: m for n, m in decompose(prod, D8).items() if m} == {"A1": 1, "A2": 1, "E2": 1}


def test_representation_theory_rejects_bad_input():
    D4 = DihedralGroup(4)
    with pytest.raises(ValueError, match="rho"):
        character(torch.ones(8, 2, 3))
    with pytest.raises(TypeError, match="rho"):
        character([[1.0]])
    with pytest.raises(ValueError, match="chi"):
        character_inner(torch.ones(8, 1), torch.ones(8))
    with pytest.raises(ValueError, match="chi and psi"):
        character_inner(torch.ones(8), torch.ones(4))
    with pytest.raises(ValueError, match="group"):
        irreps(SymmetricGroup(3))
    with pytest.raises(TypeError, match="group"):
        irreps("D4")
    with pytest.raises(ValueError, match="continuous"):
        regular_rep(SO2())
    square = rep_matrices(D4.rep, D4.elements(), 4)
    with pytest.raises(ValueError, match="rho"):                    # matrices listed in the wrong order
        decompose(square[torch.tensor([0, 1, 2, 3, 5, 4, 6, 7])], D4)
    with pytest.raises(ValueError, match="rho"):
        decompose(square[:4], D4)
    with pytest.raises(ValueError, match="rho"):
        decompose(torch.ones(8, 2, 2), D4)                           # not a representation


# ------------------------------------------------------------------------------------------
# stabilisers, orbits, homogeneous spaces
# ------------------------------------------------------------------------------------------
@given(finite_groups(), st.data())
def test_stabiliser_is_a_subgroup_and_orbit_stabiliser_holds(G, data):
    points = G.points()
    u = points[data.draw(st.integers(0, len(points) - 1), label="point")]
    H = stabiliser(G, u)
    assert any(G.equal(h, G.identity()) for h in H)
    for h in H:
        assert torch.equal(G.act(h, u), u)
        assert any(G.equal(G.inverse(h), k) for k in H)
        for k in H:
            assert any(G.equal(G.compose(h, k), j) for j in H)
    orb = point_orbit(G, u)
    assert len(orb) * len(H) == len(G)
    assert len({tuple(v.reshape(-1).tolist()) for v in orb}) == len(orb)      # no repeats


@given(st.integers(2, 9))
def test_orbit_stabiliser_for_d4_on_the_pixels_of_an_image(size):
    D4 = DihedralGroup(4)
    pixels = torch.eye(size * size).reshape(-1, size, size)            # one-hot images
    sizes, orbits = [], set()
    for pixel in pixels:
        n_orbit, n_stab = len(point_orbit(D4, pixel, square_rep)), len(stabiliser(D4, pixel, square_rep))
        assert n_orbit * n_stab == 8
        sizes.append(n_orbit)
        orbits.add(frozenset(int(square_rep(g, pixel).argmax()) for g in D4.elements()))
    assert sum(1 / s for s in sizes) == pytest.approx(len(orbits))   # Σ 1/|orbit| = number of orbits


@given(seeds)
def test_rotations_about_the_pole_stabilise_it(seed):
    gen = torch.Generator().manual_seed(seed)
    so3 = OrthogonalGroup(3, special=True)
    theta = SO2().sample(4, gen)
    about_z = torch.zeros(4, 3, 3, dtype=torch.float64)
    about_z[:, :2, :2], about_z[:, 2, 2] = SO2().matrix(theta, torch.float64), 1.0
    north = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)
    found = stabiliser(so3, north, elements=[*about_z, *so3.sample(4, gen)], atol=1e-12)
    assert len(found) == 4 and all(torch.equal(a, b) for a, b in zip(found, about_z, strict=True))
    assert len(point_orbit(so3, north, elements=so3.sample(6, gen), atol=1e-12)) == 6


def test_stabiliser_and_point_orbit_reject_bad_input():
    D4 = DihedralGroup(4)
    with pytest.raises(TypeError, match="u must be a tensor"):
        stabiliser(D4, 0)
    with pytest.raises(ValueError, match="elements is empty"):
        point_orbit(D4, torch.tensor(0), elements=[])
    with pytest.raises(TypeError, match="group"):
        stabiliser("D4", torch.tensor(0))
    with pytest.raises(ValueError, match="continuous"):
        stabiliser(SO2(), torch.zeros(2))


# ------------------------------------------------------------------------------------------
# bad input: a clear error or the right number, never a silent wrong one
# ------------------------------------------------------------------------------------------
FINITE = {  # a group, an element it does not contain, and a valid element
    "C5": (CyclicGroup(5), 7, 2),
    "D4": (DihedralGroup(4), (1, 2), (1, 1)),
    "S4": (SymmetricGroup(4), (0, 0, 1, 2), (1, 0, 3, 2)),
    "Z3xZ2": (TranslationGroup(3, 2), (3, 0), (2, 1)),
}


@pytest.mark.parametrize("name", FINITE)
def test_finite_groups_refuse_elements_they_do_not_contain(name):
    G, outside, inside = FINITE[name]
    x = torch.randn(2, *G.domain_shape)
    u = G.points()
    assert not G.contains(outside) and G.contains(inside)
    for call in (lambda: G.rep(outside, x), lambda: G.permutation(outside), lambda: G.act(outside, u),
                 lambda: G.compose(outside, inside), lambda: G.inverse(outside),
                 lambda: G.orbit(x, [outside])):
        with pytest.raises(ValueError, match=rf"(g|elements) must .*{G.name}"):
            call()
    with pytest.raises(ValueError, match=rf"h must be an element of {G.name}"):
        G.compose(inside, outside)
    G.rep(inside, x), G.compose(inside, inside), G.inverse(inside)  # valid elements still work


def test_cyclic_group_refuses_seven_in_c5_and_accepts_integer_forms():
    C5 = CyclicGroup(5)
    with pytest.raises(ValueError, match=r"g must be an element of C5, an int k in 0\.\.4; got 7"):
        C5.rep(7, torch.zeros(5))
    with pytest.raises(ValueError, match="g must be an element"):
        C5.rep(2.0, torch.zeros(5))  # a float is not an element, even a whole one
    x = torch.randn(3, 5)
    assert torch.equal(C5.rep(torch.tensor(2), x), C5.rep(2, x))  # a 0-d integer tensor is an int
    with pytest.raises(ValueError, match="u refers to point 5"):
        C5.act(1, torch.tensor([0, 5]))


def test_product_group_checks_the_tuple_and_each_factor():
    G = ProductGroup(CyclicGroup(3), DihedralGroup(2))
    with pytest.raises(ValueError, match="g must be an element of C3 x D2: a tuple of 2"):
        G.compose((1,), (0, (0, 0)))
    with pytest.raises(ValueError, match="g must be an element of D2"):
        G.inverse((1, (2, 0)))


@pytest.mark.parametrize("name", FINITE)
def test_edits_to_a_returned_permutation_do_not_corrupt_the_group(name):
    G, _, g = FINITE[name]
    x = torch.randn(3, *G.domain_shape, dtype=torch.float64)
    before, orbit_before = G.rep(g, x), G.orbit(x)
    p = G.permutation(g)
    p.zero_()                                         # the caller edits what they were given
    assert torch.equal(G.rep(g, x), before) and torch.equal(G.orbit(x), orbit_before)
    assert not torch.equal(G.permutation(g), p)


def test_cyclic_group_permutation_is_a_fresh_copy():
    C7 = CyclicGroup(7)
    x = torch.arange(7.0)
    p = C7.permutation(1)
    p[:] = 0
    assert torch.equal(C7.rep(1, x), torch.roll(x, 1))


def test_integer_points_are_rotated_not_truncated():
    pts = torch.tensor([[1, 0], [0, 2], [3, 4]])
    so2 = SO2()
    out = so2.act(0.3, pts)
    assert out.is_floating_point() and out.abs().max() > 1
    torch.testing.assert_close(out, so2.act(0.3, pts.float()))
    torch.testing.assert_close(so2.rep(0.3, pts), so2.act(0.3, pts.float()))
    torch.testing.assert_close(so2.orbit(pts, [0.3]), so2.orbit(pts.float(), [0.3]))
    q = OrthogonalGroup(2).sample(1, generator=torch.Generator().manual_seed(0))[0]
    torch.testing.assert_close(OrthogonalGroup(2).act(q, pts), pts.float() @ q.float().T)
    with pytest.raises(TypeError, match="dtype"):
        random_rotation(2, dtype=torch.long)               # an integer rotation matrix would be zeros
    with pytest.raises(TypeError, match="dtype"):
        so2.matrix(0.3, torch.int32)


def test_orthogonal_group_refuses_a_matrix_that_is_not_an_element():
    with pytest.raises(ValueError, match="g must be an element of SO\\(3\\)"):
        OrthogonalGroup(3, special=True).act(torch.diag(torch.tensor([-1.0, 1.0, 1.0])), torch.zeros(2, 3))
    with pytest.raises(ValueError, match="orthogonal"):
        OrthogonalGroup(2).rep(torch.tensor([[1.0, 1.0], [0.0, 1.0]]), torch.zeros(4, 2))


@given(seeds)
def test_float64_end_to_end(seed):
    gen = torch.Generator().manual_seed(seed)
    for G, _, g in FINITE.values():
        x = torch.randn(2, *G.domain_shape, dtype=torch.float64, generator=gen)
        assert G.rep(g, x).dtype == G.orbit(x).dtype == torch.float64
    so2, o3 = SO2(), OrthogonalGroup(3)
    cloud = torch.randn(4, 5, 2, dtype=torch.float64, generator=gen)
    assert so2.rep(0.7, cloud).dtype == so2.orbit(cloud, [0.1, 0.2]).dtype == torch.float64
    q = o3.sample(1, generator=gen)[0]
    assert o3.rep(q, torch.randn(5, 3, dtype=torch.float64, generator=gen)).dtype == torch.float64
    assert o3.rep(q, torch.randn(5, 3, generator=gen)).dtype == torch.float32
    # the solver follows its input's dtype: float32 in, float32 out; float64 in, float64 out
    C4 = CyclicGroup(4)
    rho = rep_matrices(C4.rep, C4.elements(), 4)
    assert equivariant_basis(rho, rho).dtype == torch.float64
    assert equivariant_basis(rho.float(), rho.float()).dtype == torch.float32
    assert equivariant_basis(rho.long(), rho.long()).dtype == torch.get_default_dtype()  # promoted
    basis32 = equivariant_basis(rho.float(), rho.float())
    torch.testing.assert_close(basis32, equivariant_basis(rho, rho).float())
    # models follow model.double()
    x = torch.randn(3, 4, dtype=torch.float64, generator=gen)
    for wrapper in (GroupAveraged, Augmented):
        mlp = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
        with pytest.raises(TypeError, match=r"\.double\(\)"):
            wrapper(mlp, C4)(x)
        model = wrapper(mlp, C4).double()
        assert model(x).dtype == torch.float64
        model.eval()
        assert model(x).dtype == torch.float64
    flat = nn.Sequential(nn.Flatten(), nn.Linear(8, 1))
    avg = GroupAveraged(flat, so2, elements=so2.sample(4, gen)).double()
    assert avg(cloud[:, :4]).dtype == torch.float64


def test_equivariant_basis_handles_complex_irreps():
    irr = irreps(CyclicGroup(4))
    same = equivariant_basis(irr["k=1"], irr["k=1"])
    assert same.shape == (1, 1, 1) and same.dtype == torch.complex128
    assert equivariant_basis(irr["k=1"], irr["k=2"]).shape[0] == 0  # inequivalent irreps: no map
    # a real rep against its complex irreps: the regular rep holds each irrep once
    reg = regular_rep(CyclicGroup(4)).to(torch.complex128)
    for k in range(4):
        W = equivariant_basis(reg, irr[f"k={k}"])
        assert W.shape == (1, 1, 4)
        err = (irr[f"k={k}"] @ W[0] - W[0] @ reg).abs().max()
        assert err < 1e-12


def test_empty_batches_give_empty_results():
    C4, so2 = CyclicGroup(4), SO2()
    mlp = nn.Sequential(nn.Linear(4, 3))
    for wrapper in (GroupAveraged, Augmented):
        for train in (True, False):
            model = wrapper(mlp, C4).train(train)
            out = model(torch.zeros(0, 4))
            assert out.shape == (0, 3)
    flat = nn.Sequential(nn.Flatten(), nn.Linear(6, 2))
    out = GroupAveraged(flat, so2, elements=[0.0, 1.0])(torch.zeros(0, 3, 2))
    assert out.shape == (0, 2)
    assert TranslationGroup(2, 3).orbit(torch.zeros(0, 2, 3)).shape == (6, 0, 2, 3)
    assert TranslationGroup(2, 3).rep((1, 1), torch.zeros(0, 2, 3)).shape == (0, 2, 3)
    torch.testing.assert_close(reynolds(lambda z: z, torch.zeros(0, 4), C4), torch.zeros(0, 4))


def test_aggregate_over_an_empty_axis():
    x = torch.zeros(2, 0, 3)
    assert torch.equal(aggregate(x, "sum", dim=1), torch.zeros(2, 3))      # a sum over nothing is 0
    for aggr in ("mean", "max"):                                           # a mean over nothing would be NaN
        with pytest.raises(ValueError, match="x has no entries along dim 1"):
            aggregate(x, aggr, dim=1)
    with pytest.raises(ValueError, match="dim must be an int"):
        aggregate(torch.zeros(3, 4), dim=2)


def test_averaging_wrappers_copy_their_elements():
    so2 = SO2()
    angles = torch.tensor([0.0, math.pi / 2], dtype=torch.float64)
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(4, 1)).double()
    model = GroupAveraged(mlp, so2, elements=angles)
    x = torch.randn(3, 2, 2, dtype=torch.float64)
    before = model(x)
    angles += 1.0                                       # the caller's later edit
    assert torch.equal(model(x), before)


def test_checks_name_arguments_passed_in_the_wrong_order():
    C4 = CyclicGroup(4)
    x = torch.randn(2, 4)
    with pytest.raises(TypeError, match="act_in must be"):
        check_equivariance(lambda z: z, C4.rep, x, C4.rep, C4.elements())   # x and act_in swapped
    with pytest.raises(TypeError, match="f must be"):
        check_equivariance(x, lambda z: z, C4.rep, C4.rep, C4.elements())
    # the arguments in the right order still work, and an element outside the group is refused
    assert check_equivariance(lambda z: z, x, C4.rep, C4.rep, C4.elements()) == 0.0
    with pytest.raises(ValueError, match="g must be an element of C4"):
        check_equivariance(lambda z: z, x, C4.rep, C4.rep, [4])
    with pytest.raises(ValueError, match="elements must be elements of C4"):
        check_group_axioms(C4, [0, 4])
    with pytest.raises(ValueError, match="x holds 1 non-finite"):
        check_homomorphism(C4, torch.tensor([0.0, 1.0, float("nan"), 2.0]))
