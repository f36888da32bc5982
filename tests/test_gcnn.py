"""Tests for gdl.gcnn (the group convolutions chapter): the point groups are `gdl.symmetry.Group`s,
exact p4/p4m equivariance, approximate C_N equivariance, the steerable kernel constraint solved two
ways, clear errors, and a side-by-side with e2cnn's R2Conv on regular representations of C4."""
import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from gdl.gcnn import (
    C4,
    D4,
    GCNN,
    DiscreteRotations,
    GroupConv,
    LiftingConv,
    PointGroup,
    SteerableGCNN,
    SteerableGroupConv,
    SteerableLiftingConv,
    angular_features,
    circular_harmonics,
    disc_mask,
    group_pool,
    harmonic_kernel_basis,
    kernel_constraint_basis,
    rotate_image,
)
from gdl.symmetry import DihedralGroup, Group, check_equivariance, check_group_axioms, square_rep

GROUPS = list(PointGroup.names)
NONTRIVIAL = [name for name in GROUPS if name != "C1"]
TOL64 = 1e-10


def _element(data, G):
    """A random group element other than the identity (the identity proves nothing)."""
    return data.draw(st.integers(1, G.order - 1), label="g")


def _rand(*shape, seed):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


# --------------------------------------------------------------------------------------------
# The point groups
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", GROUPS)
def test_group_axioms(name):
    G = PointGroup(name)
    e = G.elements()
    assert G.order == len(e) == {"C1": 1, "C2": 2, "C4": 4, "D1": 2, "D2": 4, "D4": 8}[name]
    t = G.table
    assert all(sorted(row.tolist()) == e for row in t)  # Latin square
    for a in e:
        assert t[a, 0] == a and t[0, a] == a and t[a, G.inverses[a]] == 0
        for b in e:
            for c in e:
                assert t[t[a, b], c] == t[a, t[b, c]]  # associativity


@pytest.mark.parametrize("group", [PointGroup(name) for name in GROUPS]
                         + [DiscreteRotations(n) for n in (1, 4, 8, 12)], ids=repr)
def test_point_groups_and_rotations_are_symmetry_groups(group):
    """Both are `gdl.symmetry.Group`s: the axioms hold on the whole group, and `sample` draws elements."""
    assert isinstance(group, Group)
    assert all(check_group_axioms(group).values())
    assert len(group) == len(group.elements()) and group.identity() == 0
    drawn = group.sample(20, torch.Generator().manual_seed(0))
    assert len(drawn) == 20 and all(group.contains(g) for g in drawn)
    assert not group.contains(len(group)) and not group.contains(-1)
    for g in group.elements():
        assert group.compose(g, group.inverse(g)) == group.identity()


@pytest.mark.parametrize("name", GROUPS)
def test_point_group_is_square_rep_with_the_dihedral_law(name):
    """rep(i) is square_rep of the pair (r * 4 // n, m), and the Cayley table read off the images
    is the group law of DihedralGroup(4) on those pairs."""
    G, D = PointGroup(name), DihedralGroup(4)
    pair = [(r * 4 // G.n_rotations, m) for r, m in G.pairs]
    x = _rand(2, 5, 5, seed=3)
    for a in G.elements():
        assert torch.equal(G.rep(a, x), square_rep(pair[a], x))
        for b in G.elements():
            assert pair[G.compose(a, b)] == D.compose(pair[a], pair[b])


@given(name=st.sampled_from(GROUPS), seed=st.integers(0, 10_000), data=st.data())
def test_actions_are_representations(name, seed, data):
    G = PointGroup(name)
    a, b = data.draw(st.sampled_from(G.elements())), data.draw(st.sampled_from(G.elements()))
    ab = int(G.table[a, b])
    x = _rand(2, 7, 7, seed=seed)
    f = _rand(2, 3, G.order, 6, 6, seed=seed + 1)
    assert torch.equal(G.rep(a, G.rep(b, x)), G.rep(ab, x))
    assert torch.equal(G.regular_rep(a, G.regular_rep(b, f)), G.regular_rep(ab, f))


# --------------------------------------------------------------------------------------------
# Exact equivariance of every layer, random inputs and random group elements
# --------------------------------------------------------------------------------------------
shapes = dict(name=st.sampled_from(NONTRIVIAL), seed=st.integers(0, 10_000),
              c_in=st.integers(1, 3), c_out=st.integers(1, 3), k=st.sampled_from([3, 5, 1]),
              size=st.integers(5, 11), data=st.data())


@given(**shapes)
def test_lifting_conv_equivariant(name, seed, c_in, c_out, k, size, data):
    G = PointGroup(name)
    torch.manual_seed(seed)
    layer = LiftingConv(c_in, c_out, k, G).double()
    g = _element(data, G)
    x = _rand(2, c_in, size, size, seed=seed)
    err = check_equivariance(layer, x, G.rep, G.regular_rep, [g])
    assert err < TOL64


@given(**shapes)
def test_group_conv_equivariant(name, seed, c_in, c_out, k, size, data):
    G = PointGroup(name)
    torch.manual_seed(seed)
    layer = GroupConv(c_in, c_out, k, G).double()
    g = _element(data, G)
    f = _rand(2, c_in, G.order, size, size, seed=seed)
    err = check_equivariance(layer, f, G.regular_rep, G.regular_rep, [g])
    assert err < TOL64


@given(name=st.sampled_from(NONTRIVIAL), seed=st.integers(0, 10_000),
       aggr=st.sampled_from(["max", "mean", "sum"]), data=st.data())
def test_group_pool_equivariant(name, seed, aggr, data):
    G = PointGroup(name)
    g = _element(data, G)
    f = _rand(2, 3, G.order, 6, 6, seed=seed)
    err = check_equivariance(lambda z: group_pool(z, aggr), f, G.regular_rep, G.rep, [g])
    assert err < TOL64


@given(name=st.sampled_from(["C4", "D4", "C2", "D2"]), seed=st.integers(0, 10_000), half=st.integers(2, 5),
       data=st.data())
def test_gcnn_invariant(name, seed, half, data):
    G = PointGroup(name)
    torch.manual_seed(seed)
    model = GCNN(2, 5, (3, 4, 5), 3, G).double().eval()
    g = _element(data, G)
    x = _rand(3, 2, 2 * half, 2 * half, seed=seed)   # even size: the 2x2 pooling is exact
    assert check_equivariance(model, x, G.rep, lambda h, y: y, [g]) < TOL64


def test_float32_tolerance_and_training_mode():
    torch.manual_seed(0)
    model = GCNN(1, 10, (4, 8, 8), 3, D4)            # training mode: batch statistics
    x = torch.randn(8, 1, 8, 8)
    assert check_equivariance(model, x, D4.rep, lambda g, y: y, D4.elements()) < 1e-5


def test_checks_can_fail():
    """A plain conv and a wrong output action are caught."""
    torch.manual_seed(0)
    x = torch.randn(2, 2, 9, 9)
    plain = torch.nn.Conv2d(2, 3, 3, padding=1)
    assert check_equivariance(plain, x, C4.rep, C4.rep, C4.elements()) > 0.1
    lift = LiftingConv(2, 3, 3, D4)
    wrong = lambda g, y: D4.regular_rep(D4.inverse(g), y)  # noqa: E731
    assert check_equivariance(lift, x, D4.rep, wrong, D4.elements()) > 0.1
    # an even kernel cannot be rotated about a centre pixel: equivariance would break
    with pytest.raises(ValueError):
        LiftingConv(2, 3, 4, C4)


def test_filter_bank_is_one_conv():
    """The layer is literally one conv2d over filter_bank()."""
    torch.manual_seed(0)
    layer = GroupConv(2, 3, 3, D4, bias=False)
    f = torch.randn(2, 2, 8, 6, 6)
    direct = F.conv2d(f.flatten(1, 2), layer.filter_bank(), padding=1).view(2, 3, 8, 6, 6)
    assert torch.allclose(layer(f), direct)
    assert layer.filter_bank().shape == (3 * 8, 2 * 8, 3, 3)


# --------------------------------------------------------------------------------------------
# C_N with steerable filters
# --------------------------------------------------------------------------------------------
def test_circular_harmonics_rotate_exactly_by_quarter_turns():
    for k in (3, 5, 7):
        b = circular_harmonics(k, 8)
        assert torch.allclose(b[2], torch.rot90(b[0], 1, dims=(-2, -1)), atol=1e-6)
        assert torch.allclose(b[0].flatten(1).norm(dim=1), torch.ones(b.shape[1]))


def test_discrete_rotations_match_c4():
    f = _rand(2, 3, 4, 9, 9, seed=0)
    R4 = DiscreteRotations(4)
    for g in range(4):
        assert torch.allclose(R4.regular_rep(g, f), C4.regular_rep(g, f), atol=1e-12)
        assert torch.allclose(rotate_image(f, R4.angle(g)), C4.rep(g, f), atol=1e-12)


@given(n_quarter=st.sampled_from([1, 2, 3, 4]), seed=st.integers(0, 10_000), data=st.data())
def test_steerable_layers_exact_on_quarter_turns(n_quarter, seed, data):
    N = 4 * n_quarter
    G = DiscreteRotations(N)
    g = n_quarter * data.draw(st.integers(1, 3))       # a quarter turn in C_N, not the identity
    torch.manual_seed(seed)
    lift, gconv = SteerableLiftingConv(2, 3, 5, N).double(), SteerableGroupConv(3, 2, 3, N).double()
    x = _rand(2, 2, 9, 9, seed=seed)
    f = _rand(2, 3, N, 9, 9, seed=seed + 1)
    assert check_equivariance(lift, x, G.rep, G.regular_rep, [g]) < 1e-10
    assert check_equivariance(gconv, f, G.regular_rep, G.regular_rep, [g]) < 1e-10


def _smooth_images(seed, n=2, size=64):
    """Random smooth images, zero near the border, so that rotations lose nothing."""
    z = torch.randn(n, 1, 5, 5, generator=torch.Generator().manual_seed(seed))
    z = F.interpolate(z, size=size // 2, mode="bicubic", align_corners=True)
    z = F.pad(z, (size // 4,) * 4)
    return z * disc_mask(size, margin=size / 4)


@given(seed=st.integers(0, 10_000), N=st.sampled_from([8, 12, 16]), data=st.data())
def test_steerable_layers_approximately_equivariant(seed, N, data):
    G = DiscreteRotations(N)
    g = data.draw(st.integers(1, N - 1))
    torch.manual_seed(seed)
    lift, gconv = SteerableLiftingConv(1, 4, 5, N), SteerableGroupConv(4, 4, 5, N)
    x = _smooth_images(seed)
    inside = disc_mask(x.shape[-1], margin=5)
    net = lambda z: inside * gconv(lift(z))  # noqa: E731
    err = check_equivariance(net, x, G.rep, lambda h, y: inside * G.regular_rep(h, y), [g])
    assert err < 0.08


def test_band_limit_matters():
    """Without the band limit (m = 4 on a 5x5 grid) the 45-degree error is much larger."""
    x = _smooth_images(0)
    inside = disc_mask(x.shape[-1], margin=5)
    G = DiscreteRotations(8)
    errs = []
    for m in (2, 4):
        torch.manual_seed(0)
        lift = SteerableLiftingConv(1, 8, 5, 8, max_frequency=m)
        errs.append(check_equivariance(lambda z, lift=lift: inside * lift(z), x, G.rep,
                                       lambda h, y: inside * G.regular_rep(h, y), [1]))
    assert errs[1] > 3 * errs[0]


@given(seed=st.integers(0, 10_000), half=st.integers(1, 3), N=st.sampled_from([4, 8, 16]), data=st.data())
def test_steerable_gcnn_invariant_to_quarter_turns(seed, half, N, data):
    G = DiscreteRotations(N)
    g = (N // 4) * data.draw(st.integers(1, 3), label="quarter turns")
    torch.manual_seed(seed)
    model = SteerableGCNN(2, 5, (3, 4, 2), N).double().eval()
    x = _rand(2, 2, 4 * half, 4 * half, seed=seed)       # size divisible by 4: both poolings exact
    assert model(x).shape == (2, 5)
    assert check_equivariance(model, x, G.rep, lambda h, y: y, [g]) < TOL64


def test_steerable_gcnn_approximately_invariant():
    """At 45 degrees (in C_8, not a quarter turn) the logits change a little: resampling, not exactness."""
    x = _smooth_images(3, size=32).double()
    torch.manual_seed(0)
    model = SteerableGCNN(1, 4, (4, 6, 6), 8).double().eval()
    err = check_equivariance(model, x, lambda g, z: rotate_image(z, g * math.pi / 4), lambda h, y: y, [1])
    assert 1e-8 < err < 0.1


def test_rotate_image_one_angle_per_image():
    x = _rand(3, 2, 9, 9, seed=0)
    angles = torch.tensor([0.3, -1.0, 2.5], dtype=torch.float64)
    each = rotate_image(x, angles)
    for b in range(3):
        assert torch.allclose(each[b], rotate_image(x[b], float(angles[b])), atol=1e-12)
    assert torch.allclose(rotate_image(x, torch.full((3,), math.pi / 2, dtype=torch.float64)),
                          torch.rot90(x, 1, dims=(-2, -1)), atol=1e-12)
    with pytest.raises(ValueError, match="angle"):
        rotate_image(x, torch.zeros(2))


def _projector(basis):
    q = torch.linalg.qr(basis.flatten(1).T).Q
    return q @ q.T


@pytest.mark.parametrize("N", [None, 3, 4, 8])
def test_kernel_bases_agree(N):
    """The numerical (equivariant_basis) and analytic (circular harmonics) solutions span the same space."""
    for m in range(4):
        for n in range(4):
            for J in (m + n, 5):
                a, b = kernel_constraint_basis(m, n, J, N), harmonic_kernel_basis(m, n, J, N)
                assert a.shape[1:] == b.shape[1:] == (2 * J + 1, 1 if n == 0 else 2, 1 if m == 0 else 2)
                assert len(a) == len(b) == torch.linalg.matrix_rank(b.flatten(1)).item()
                if len(a):
                    assert (_projector(a) - _projector(b)).abs().max() < 1e-9


def test_kernel_basis_counts_and_frequencies():
    """SO(2): 1, 2, 2 and 4 kernels; frequencies |n - m| and n + m only; C_N adds n +- m + tN."""
    J = 8
    counts = [[len(harmonic_kernel_basis(m, n, J)) for n in range(4)] for m in range(4)]
    assert counts == [[1, 2, 2, 2], [2, 4, 4, 4], [2, 4, 4, 4], [2, 4, 4, 4]]
    power = harmonic_kernel_basis(1, 3, J).pow(2).sum(dim=(0, 2, 3))        # energy per Fourier feature
    freq_of = torch.tensor([0] + [k for k in range(1, J + 1) for _ in (0, 1)])
    assert set(freq_of[power > 1e-20].tolist()) == {2, 4}
    power8 = harmonic_kernel_basis(1, 3, J, 8).pow(2).sum(dim=(0, 2, 3))
    assert set(freq_of[power8 > 1e-20].tolist()) == {2, 4, 6}                # -2 + 8 = 6, 4 - 8 = -4
    assert len(harmonic_kernel_basis(0, 0, 3, 8)) == 1 and len(harmonic_kernel_basis(0, 0, 8, 8)) == 3


@given(m=st.integers(0, 3), n=st.integers(0, 3), seed=st.integers(0, 10_000))
def test_harmonic_kernels_satisfy_the_constraint(m, n, seed):
    """κ(φ + α) = ρ_n(α) κ(φ) ρ_m(α)⁻¹ at random angles, for every analytic basis kernel."""
    from gdl.gcnn import _irrep

    gen = torch.Generator().manual_seed(seed)
    alpha, phi = (torch.rand(6, generator=gen, dtype=torch.float64) * 2 * math.pi for _ in range(2))
    C = harmonic_kernel_basis(m, n, m + n + 1)
    kappa = lambda t: torch.einsum("pj,bjoi->bpoi", angular_features(t, m + n + 1), C)  # noqa: E731
    rhs = _irrep(n, alpha) @ kappa(phi) @ _irrep(m, alpha).transpose(-1, -2)
    assert (kappa(phi + alpha) - rhs).abs().max() < 1e-12
    # and a kernel that breaks it is caught: a constant kernel rho_0 -> rho_1 is not steerable
    if n == 1 and m == 0:
        bad = torch.zeros(1, 2 * (m + n + 1) + 1, 2, 1, dtype=torch.float64)
        bad[0, 0, 0, 0] = 1.0
        kb = lambda t: torch.einsum("pj,bjoi->bpoi", angular_features(t, m + n + 1), bad)  # noqa: E731
        assert (kb(phi + alpha) - _irrep(n, alpha) @ kb(phi)).abs().max() > 1e-3


# --------------------------------------------------------------------------------------------
# Clear errors on bad input
# --------------------------------------------------------------------------------------------
def test_errors():
    with pytest.raises(ValueError, match="C1, C2|C4"):
        PointGroup("C3")
    with pytest.raises(TypeError, match="PointGroup"):
        LiftingConv(1, 2, 3, group=4)
    with pytest.raises(ValueError, match="odd"):
        GroupConv(1, 2, 2, C4)
    with pytest.raises(ValueError, match=r"x must have shape \(B, C, H, W\) with C = 1"):
        LiftingConv(1, 2, 3, C4)(torch.randn(2, 3, 8, 8))
    with pytest.raises(ValueError, match=r"x must have shape \(B, C, G, H, W\) with G = 4"):
        GroupConv(2, 2, 3, C4)(torch.randn(2, 2, 8, 8, 8))
    with pytest.raises(ValueError, match=r"f must have shape \(B, C, G, H, W\)"):
        group_pool(torch.randn(2, 3, 8, 8))
    with pytest.raises(ValueError, match="aggr"):
        group_pool(torch.randn(2, 3, 4, 8, 8), aggr="min")
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., H, H\)"):
        rotate_image(torch.randn(1, 1, 5, 6), 0.3)
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., H, H\)"):
        C4.rep(0, torch.randn(1, 5, 6))
    with pytest.raises(ValueError, match="f must have shape .* with G = 8"):
        D4.regular_rep(1, torch.randn(1, 2, 4, 6, 6))
    with pytest.raises(ValueError, match="x must have shape .* with N = 8"):
        SteerableGroupConv(2, 2, 3, 8)(torch.randn(1, 2, 4, 6, 6))
    with pytest.raises(ValueError, match="max_frequency"):
        circular_harmonics(5, 8, max_frequency=-1)
    with pytest.raises(ValueError, match="channels"):
        SteerableGCNN(1, 10, ())
    with pytest.raises(ValueError, match="n_rotations"):
        harmonic_kernel_basis(1, 1, 2, n_rotations=0)
    with pytest.raises(ValueError, match="max_frequency"):
        kernel_constraint_basis(1, 1, -1)
    with pytest.raises(ValueError, match="m must"):
        harmonic_kernel_basis(1.5, 1, 2)



def _gcnn_models():
    """Every layer and model of the chapter, each with a matching float32 input."""
    torch.manual_seed(0)
    img, p4, c8 = torch.randn(2, 1, 8, 8), torch.randn(2, 2, 4, 8, 8), torch.randn(2, 2, 8, 8, 8)
    return [(LiftingConv(1, 3), img), (GroupConv(2, 3), p4), (GCNN(1, 5, (4, 4)), img),
            (GCNN(1, 5, (4, 4), group="D4"), img), (SteerableLiftingConv(1, 3), img),
            (SteerableGroupConv(2, 3, 3, 8), c8), (SteerableGCNN(1, 5, (4, 4)), img)]


@pytest.mark.parametrize("index", range(7))
def test_every_model_follows_module_double(index):
    """A model converted with .double() runs on float64 input end to end and agrees with float32;
    float64 input to a float32 model gets a clear error that names the fix."""
    model, x = _gcnn_models()[index]
    model.eval()
    with pytest.raises(TypeError, match=r"model\.double\(\)"):
        model(x.double())
    out32 = model(x)
    out64 = model.double()(x.double())
    assert out64.dtype == torch.float64 and out64.shape == out32.shape
    torch.testing.assert_close(out64.float(), out32, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("index", range(7))
def test_every_model_maps_an_empty_batch_to_an_empty_result(index):
    model, x = _gcnn_models()[index]
    for training in (True, False):
        out = model.train(training)(x[:0])
        assert out.shape == (0, *model.eval()(x).shape[1:])
    for norm in getattr(model, "norms", []):  # the empty training batch left the statistics finite
        assert norm.running_mean.isfinite().all() and norm.running_var.isfinite().all()


def test_group_elements_out_of_range_are_refused():
    x = torch.randn(1, 6, 6)
    for G, bad in ((C4, 5), (C4, -1), (D4, 8), (DiscreteRotations(8), 9)):
        with pytest.raises(ValueError, match=rf"g must be an element of {G.name}.*got {bad}"):
            G.rep(bad, x)
        with pytest.raises(ValueError, match="g must be an element"):
            G.inverse(bad)
        with pytest.raises(ValueError, match="h must be an element"):
            G.compose(0, bad)
    with pytest.raises(TypeError, match="g must be an element"):
        DiscreteRotations(8).angle(1.5)
    with pytest.raises(ValueError, match="g must be an element"):
        D4.regular_rep(8, torch.randn(1, 8, 6, 6))
    # numpy and 0-dim integer tensor elements are elements too
    torch.testing.assert_close(C4.rep(torch.tensor(1), x), C4.rep(1, x))


def test_rotate_image_promotes_integer_images_and_handles_empty_input():
    ints = torch.arange(36).view(1, 6, 6)
    out = rotate_image(ints, 0.3)  # the angle used to be cast to the image's integer dtype: 0
    assert out.is_floating_point()
    torch.testing.assert_close(out, rotate_image(ints.float(), 0.3))
    assert not torch.equal(out, ints.float())
    for empty in (torch.zeros(0, 1, 8, 8), torch.zeros(2, 0, 0)):
        assert rotate_image(empty, 0.3).shape == empty.shape
    assert rotate_image(torch.randn(3, 8, 8, dtype=torch.float64), torch.zeros(3)).dtype == torch.float64


def test_angular_features_keeps_its_dtype_rule():
    """Integer angles give float64 features, floating ones keep their dtype (gdl.gauges relies on it)."""
    assert angular_features(torch.tensor([0, 1]), 2).dtype == torch.float64
    assert angular_features(torch.tensor([0.0, 1.0]), 2).dtype == torch.float32
    assert angular_features(0.5, 0).shape == (1,)
    with pytest.raises(ValueError, match="max_frequency"):
        angular_features(torch.tensor([0.0]), -1)  # used to return (1, 1) features silently

# --------------------------------------------------------------------------------------------
# Side by side with e2cnn's R2Conv on regular representations of C4
# --------------------------------------------------------------------------------------------
def _e2cnn_regular_conv(c_in, c_out, k, seed):
    e2cnn = pytest.importorskip("e2cnn", reason="e2cnn is the peer for planar steerable CNNs")
    from e2cnn import gspaces
    from e2cnn import nn as enn

    torch.manual_seed(seed)
    with warnings.catch_warnings():  # e2cnn indexes with uint8 masks, deprecated in recent torch
        warnings.filterwarnings("ignore", message=".*uint8.*", category=UserWarning)
        space = gspaces.Rot2dOnR2(N=4)
        conv = enn.R2Conv(enn.FieldType(space, [space.regular_repr] * c_in),
                          enn.FieldType(space, [space.regular_repr] * c_out),
                          kernel_size=k, padding=k // 2, bias=False)
        bank = conv.expand_parameters()[0].detach()
    assert e2cnn is not None
    return conv, bank


@pytest.mark.parametrize("seed", [0, 1])
def test_same_equivariance_as_e2cnn(seed):
    conv, bank = _e2cnn_regular_conv(2, 3, 5, seed)
    from e2cnn import nn as enn

    torch.manual_seed(seed)
    ours = GroupConv(2, 3, 5, C4, bias=False)
    f = torch.randn(2, 2, 4, 11, 11)

    def peer(z):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*uint8.*", category=UserWarning)
            out = conv(enn.GeometricTensor(z.flatten(1, 2), conv.in_type)).tensor
        return out.view(len(z), 3, 4, *z.shape[-2:])

    # e2cnn's own action on regular fields is rot90 plus a cyclic shift: the same as ours
    x_e2 = enn.GeometricTensor(f.flatten(1, 2), conv.in_type)
    for g in range(4):
        assert torch.allclose(x_e2.transform(g).tensor.view_as(f), C4.regular_rep(g, f), atol=1e-6)
    err_ours = check_equivariance(ours, f, C4.regular_rep, C4.regular_rep, C4.elements())
    err_peer = check_equivariance(peer, f, C4.regular_rep, C4.regular_rep, C4.elements())
    assert err_ours < 1e-5 and err_peer < 1e-5
    assert abs(math.log10(err_ours + 1e-12) - math.log10(err_peer + 1e-12)) < 2  # same precision


def test_function_space_contains_e2cnn():
    """Least squares fits our GroupConv to e2cnn's filters exactly; e2cnn's space is smaller."""
    conv, bank = _e2cnn_regular_conv(2, 3, 5, 0)
    ours = GroupConv(2, 3, 5, C4, bias=False)
    with torch.no_grad():
        ours.weight.copy_(torch.arange(ours.weight.numel(), dtype=torch.float32).view_as(ours.weight))
        index = ours.filter_bank().long().flatten()
    design = F.one_hot(index, ours.weight.numel()).double()
    theta = torch.linalg.lstsq(design, bank.flatten().double()[:, None]).solution
    residual = (design @ theta).flatten() - bank.flatten().double()
    assert residual.norm() / bank.norm() < 1e-6
    with torch.no_grad():
        ours.weight.copy_(theta.view_as(ours.weight))
    f = torch.randn(2, 2, 4, 9, 9)
    peer_out = F.conv2d(f.flatten(1, 2), bank, padding=2).view(2, 3, 4, 9, 9)
    assert torch.allclose(ours(f), peer_out, atol=1e-5)
    # the converse: a random GroupConv is not in e2cnn's band-limited span
    dim_peer = conv.basisexpansion.dimension()
    assert dim_peer < torch.linalg.matrix_rank(design).item() == ours.weight.numel()
