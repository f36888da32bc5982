"""Tests for gdl.sets and gdl.datasets.sets (the Sets chapter): permutation symmetry of every layer and
model, the equivariant linear maps, the point-cloud generator, and clear errors on bad input."""
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.datasets.sets import SHAPES, _cone, _cube, _cylinder, _sphere, _torus, make_point_clouds
from gdl.sets import DeepSets, FlatMLP, PermEquivariantLinear, PointNet
from gdl.symmetry import (
    AGGREGATIONS,
    SymmetricGroup,
    aggregate,
    check_equivariance,
    equivariant_basis,
    random_rotation,
)


def act(p, t):
    """A permutation acting on the element axis of sets (..., n, C)."""
    return SymmetricGroup(len(p)).rep(p, t, dim=-2)


def same(p, t):
    return t


def permutation_matrices(n: int) -> torch.Tensor:
    """The (n!, n, n) matrices of every element of S_n."""
    group = SymmetricGroup(n)
    return torch.stack([group.matrix(p) for p in group.elements()])


def perms_for(n: int, seed: int, k: int = 5) -> torch.Tensor:
    """k random permutations plus, when n >= 2, a transposition (so at least one is not the identity)."""
    perms = SymmetricGroup(n).sample(k, generator=torch.Generator().manual_seed(seed))
    if n >= 2:
        swap = torch.arange(n)
        swap[[0, 1]] = swap[[1, 0]]
        perms = torch.cat([perms, swap[None]])
    return perms


def random_sets(b, n, c, seed, dtype=torch.float64):
    return torch.randn(b, n, c, dtype=dtype, generator=torch.Generator().manual_seed(seed))


sizes = st.integers(1, 12)
seeds = st.integers(0, 2**16)


# --------------------------------------------------------------------------- the group
@given(n=sizes, seed=seeds)
def test_permutations_are_permutations_and_matrices_agree(n, seed):
    group = SymmetricGroup(n)
    perms = group.sample(4, generator=torch.Generator().manual_seed(seed))
    assert perms.shape == (4, n) and perms.dtype == torch.long
    assert torch.equal(perms.sort(dim=1).values, torch.arange(n).expand(4, n))
    x = random_sets(1, n, 2, seed)[0]
    for p in perms:
        mat = group.matrix(p)
        assert torch.equal(mat @ x, group.rep(p, x, dim=0))
        assert torch.equal(mat.T @ mat, torch.eye(n, dtype=torch.float64))


@given(n=sizes, seed=seeds)
def test_sampled_permutations_act_like_the_removed_permute_up_to_the_inverse(n, seed):
    """`sets.permute(p, x)` was x[..., p, :] (row u <- row p[u]); rep(p) is x_{p^-1(u)}, its inverse."""
    group = SymmetricGroup(n)
    gen = torch.Generator().manual_seed(seed)
    perms = group.sample(4, generator=gen)
    # the sampler is the removed random_permutations: the argsort of uniform numbers, same stream
    again = torch.argsort(torch.rand(4, n, generator=torch.Generator().manual_seed(seed)), dim=1)
    assert torch.equal(perms, again)
    x = random_sets(2, n, 3, seed)
    for p in perms:
        permuted = x[..., p, :]  # the removed permute(p, x)
        assert torch.equal(group.rep(group.inverse(p), x, dim=-2), permuted)
        assert torch.equal(group.rep(p, permuted, dim=-2), x)
        assert torch.equal(group.rep(p, x, dim=-2)[..., p, :], x)  # row p[u] of rep(p)x is row u of x
        assert torch.equal(group.matrix(group.inverse(p)) @ x, permuted)  # P @ x == x[p] as before


def test_sampler_is_uniform_on_the_group():
    perms = SymmetricGroup(3).sample(6000, generator=torch.Generator().manual_seed(0))
    counts = torch.unique(perms, dim=0, return_counts=True)[1]
    assert len(counts) == 6 and (counts - 1000).abs().max() < 120  # about 4 standard deviations


def test_all_permutations_enumerates_the_group():
    perms = SymmetricGroup(4).elements()
    assert len(perms) == 24
    assert len(set(perms)) == 24


# --------------------------------------------------------------------------- equivariant linear maps
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_equivariant_linear_maps_on_sets_have_dimension_two(n):
    reps = permutation_matrices(n)
    basis = equivariant_basis(reps, reps)
    assert len(basis) == 2
    flat = basis.reshape(2, -1)
    for m in (torch.eye(n, dtype=torch.float64), torch.ones(n, n, dtype=torch.float64)):
        v = m.reshape(-1)
        assert (v - flat.T @ (flat @ v)).norm() < 1e-12  # span{I, 11^T}
    for w in basis:
        assert (reps @ w - w @ reps).abs().max() < 1e-12


def test_equivariant_basis_single_element_set_and_invariant_functionals():
    reps = permutation_matrices(1)
    assert len(equivariant_basis(reps, reps)) == 1
    reps = permutation_matrices(4)
    trivial = torch.ones(len(reps), 1, 1, dtype=torch.float64)
    functionals = equivariant_basis(reps, trivial)  # invariant linear maps R^n -> R
    assert len(functionals) == 1
    row = functionals[0, 0]
    assert torch.allclose(row / row[0], torch.ones(4, dtype=torch.float64))  # a multiple of 1^T


def test_equivariant_basis_of_cyclic_shifts_is_the_circulant_matrices():
    n = 6
    group = SymmetricGroup(n)
    shifts = torch.stack([group.matrix(torch.roll(torch.arange(n), k)) for k in range(n)])
    assert len(equivariant_basis(shifts, shifts)) == n  # circulant matrices: convolutions


@given(c_in=st.integers(1, 3), c_out=st.integers(1, 3))
def test_multichannel_equivariant_maps_have_dimension_2_cin_cout(c_in, c_out):
    perms = permutation_matrices(3)
    rho_in = torch.stack([torch.kron(p, torch.eye(c_in, dtype=torch.float64)) for p in perms])
    rho_out = torch.stack([torch.kron(p, torch.eye(c_out, dtype=torch.float64)) for p in perms])
    assert len(equivariant_basis(rho_in, rho_out)) == 2 * c_in * c_out


# --------------------------------------------------------------------------- layers and models
@given(n=sizes, b=st.integers(1, 3), c_in=st.integers(1, 4), c_out=st.integers(1, 4),
       aggr=st.sampled_from(AGGREGATIONS), seed=seeds)
def test_perm_equivariant_linear_is_equivariant(n, b, c_in, c_out, aggr, seed):
    torch.manual_seed(seed)
    layer = PermEquivariantLinear(c_in, c_out, aggr).double()
    x = random_sets(b, n, c_in, seed)
    assert check_equivariance(layer, x, act, act, perms_for(n, seed)) < 1e-12


@given(n=sizes, aggr=st.sampled_from(AGGREGATIONS), seed=seeds)
def test_aggregation_is_invariant(n, aggr, seed):
    x = random_sets(2, n, 3, seed)

    def pool(t):
        return aggregate(t, aggr, dim=1)

    assert check_equivariance(pool, x, act, same, perms_for(n, seed)) < 1e-12


@given(n=sizes, aggr=st.sampled_from(AGGREGATIONS), seed=seeds)
def test_deep_sets_invariant_and_phi_equivariant(n, aggr, seed):
    torch.manual_seed(seed)
    model = DeepSets(3, 5, hidden=16, aggr=aggr)
    x = random_sets(4, n, 3, seed, dtype=torch.float32)
    perms = perms_for(n, seed)
    assert check_equivariance(model, x, act, same, perms) < 1e-5
    assert check_equivariance(model.phi, x, act, act, perms) < 1e-5
    assert check_equivariance(model.double(), x.double(), act, same, perms) < 1e-12


@given(n=sizes, tnet=st.booleans(), seed=seeds)
def test_pointnet_invariant_and_point_features_equivariant(n, tnet, seed):
    torch.manual_seed(seed)
    model = PointNet(3, 5, widths=(16, 16, 32), input_transform=tnet)
    if tnet:  # move the T-Net away from its identity initialisation so that it matters
        torch.nn.init.normal_(model.tnet.out.weight, std=0.1)
    x = random_sets(3, n, 3, seed, dtype=torch.float32)
    perms = perms_for(n, seed)
    assert check_equivariance(model, x, act, same, perms) < 1e-5
    assert check_equivariance(model.point_features, x, act, act, perms) < 1e-5


@given(n=st.integers(2, 12), seed=seeds)
def test_flat_mlp_is_not_invariant(n, seed):
    """The control: the same check must flag a model without the set prior."""
    torch.manual_seed(seed)
    model = FlatMLP(n, 3, 5, hidden=32).double()
    x = random_sets(4, n, 3, seed)
    assert check_equivariance(model, x, act, same, perms_for(n, seed)) > 1e-4


def test_set_models_accept_any_set_size():
    torch.manual_seed(0)
    for model in (DeepSets(3, 5), PointNet(3, 5)):
        for n in (1, 7, 100):
            assert model(torch.randn(2, n, 3)).shape == (2, 5)


def test_mean_and_max_ignore_duplication_but_sum_does_not():
    x = random_sets(2, 5, 3, 0)
    doubled = torch.cat([x, x], dim=1)
    assert torch.allclose(aggregate(doubled, "mean", dim=1), aggregate(x, "mean", dim=1))
    assert torch.equal(aggregate(doubled, "max", dim=1), aggregate(x, "max", dim=1))
    assert torch.allclose(aggregate(doubled, "sum", dim=1), 2 * aggregate(x, "sum", dim=1))


# --------------------------------------------------------------------------- data
def test_make_point_clouds_shapes_labels_and_determinism():
    x, y = make_point_clouds(50, 40, generator=torch.Generator().manual_seed(0))
    assert x.shape == (50, 40, 3) and x.dtype == torch.float32 and y.dtype == torch.long
    assert torch.equal(y.bincount(minlength=len(SHAPES)), torch.full((len(SHAPES),), 10))
    x2, y2 = make_point_clouds(50, 40, generator=torch.Generator().manual_seed(0))
    assert torch.equal(x, x2) and torch.equal(y, y2)


def test_random_order_is_a_reordering_of_scan_order():
    xs, ys = make_point_clouds(20, 30, order="scan", generator=torch.Generator().manual_seed(3))
    xr, yr = make_point_clouds(20, 30, order="random", generator=torch.Generator().manual_seed(3))
    assert torch.equal(ys, yr)
    assert torch.equal(xs[..., 0].sort(dim=1).values, xr[..., 0].sort(dim=1).values)
    assert not torch.equal(xs, xr)


def test_sphere_clouds_lie_on_spheres_of_the_requested_sizes():
    x, y = make_point_clouds(25, 50, noise=0.0, sizes=(0.5, 1.5), generator=torch.Generator().manual_seed(1))
    radii = x[y == SHAPES.index("sphere")].norm(dim=-1)  # rotations keep the radius
    assert torch.allclose(radii, radii[:, :1].expand_as(radii), atol=1e-5)
    assert radii.min() >= 0.5 - 1e-5 and radii.max() <= 1.5 + 1e-5


def test_the_rotations_of_the_clouds_are_rotations():
    """make_point_clouds rotates with gdl.symmetry.random_rotation in float32."""
    r = random_rotation(100, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float32)
    assert r.dtype == torch.float32
    r = r.double()
    eye = torch.eye(3, dtype=torch.float64).expand(100, 3, 3)
    assert torch.allclose(r @ r.transpose(1, 2), eye, atol=1e-6)
    assert torch.allclose(torch.linalg.det(r), torch.ones(100, dtype=torch.float64), atol=1e-6)


def test_samplers_put_points_on_their_surfaces():
    g = torch.Generator().manual_seed(0)
    s = torch.tensor([0.6, 1.0, 1.4])
    n = 400
    p = _sphere(s, n, g)
    assert torch.allclose(p.norm(dim=-1), s[:, None].expand(3, n), atol=1e-5)
    p = _cube(s, n, g)
    assert torch.allclose(p.abs().amax(dim=-1), (s / math.sqrt(3))[:, None].expand(3, n), atol=1e-5)
    p = _torus(s, n, g)  # (rho - R)^2 + z^2 = r^2 with R = 0.7 s
    tube = (p[..., :2].norm(dim=-1) - 0.7 * s[:, None]) ** 2 + p[..., 2] ** 2
    assert (tube - tube[:, :1]).abs().max() < 1e-5
    p = _cylinder(s, n, g)  # each point on the side (rho = r) or on a cap (|z| = h/2)
    rho, z = p[..., :2].norm(dim=-1), p[..., 2].abs()
    on_side = (rho - rho.amax(1, keepdim=True)).abs() < 1e-4
    on_cap = (z - z.amax(1, keepdim=True)).abs() < 1e-4
    assert (on_side | on_cap).all() and on_side.float().mean() > 0.3 and on_cap.float().mean() > 0.1
    p = _cone(s, n, g)  # on the base (z = -h/2) or on the side, where rho / (h/2 - z) = r / h
    rho, z = p[..., :2].norm(dim=-1), p[..., 2]
    base = z.amin(1, keepdim=True)
    on_base = (z - base).abs() < 1e-5
    slope = rho / (-base - z).clamp_min(1e-9)  # the apex is at z = +h/2 = -base
    for k in range(len(s)):
        side = slope[k][~on_base[k]]
        assert side.max() - side.min() < 1e-3
    assert on_base.float().mean() > 0.1 and on_base.float().mean() < 0.6


# --------------------------------------------------------------------------- bad input
def test_clear_errors_on_bad_input():
    with pytest.raises(ValueError, match="int64"):
        SymmetricGroup(2).rep(torch.tensor([0.0, 1.0]), torch.randn(2, 3), dim=-2)
    with pytest.raises(ValueError, match="size 3 along dim -2"):
        SymmetricGroup(3).rep(torch.tensor([0, 1, 2]), torch.randn(1, 4, 3), dim=-2)
    with pytest.raises(ValueError, match="one of"):
        aggregate(torch.randn(1, 3, 2), "median", dim=1)
    with pytest.raises(ValueError, match="floating-point"):
        aggregate(torch.ones(1, 3, 2, dtype=torch.long), "sum", dim=1)
    with pytest.raises(TypeError, match="floating-point"):
        DeepSets(3, 5)(torch.ones(1, 3, 3, dtype=torch.long))
    with pytest.raises(ValueError, match=r"x must have shape \(B, n, C\) with C = 4"):
        PermEquivariantLinear(4, 2)(torch.randn(1, 3, 2))
    with pytest.raises(ValueError, match="aggr must be one of"):
        PermEquivariantLinear(4, 2, aggr="prod")
    with pytest.raises(ValueError, match="aggr must be one of"):
        DeepSets(3, 5, aggr="min")
    with pytest.raises(ValueError, match=r"x must have shape \(B, n, C\) with C = 3"):
        DeepSets(3, 5)(torch.randn(10, 3))
    with pytest.raises(ValueError, match=r"x must have shape \(B, n, C\) with C = 3"):
        PointNet(3, 5)(torch.randn(2, 10, 2))
    with pytest.raises(ValueError, match="with n = 10"):
        FlatMLP(10, 3, 5)(torch.randn(2, 12, 3))
    with pytest.raises(ValueError, match="num_clouds"):
        make_point_clouds(0, 10)
    with pytest.raises(ValueError, match="num_points"):
        make_point_clouds(10, 2.5)
    with pytest.raises(ValueError, match="order"):
        make_point_clouds(10, 10, order="sorted")
    with pytest.raises(ValueError, match="sizes"):
        make_point_clouds(10, 10, sizes=(1.0, 0.5))
    with pytest.raises(ValueError, match="same G"):
        equivariant_basis(torch.eye(2)[None].repeat(3, 1, 1), torch.eye(2)[None].repeat(2, 1, 1))
    with pytest.raises(ValueError, match="positive int"):
        SymmetricGroup(0)
    with pytest.raises(ValueError, match="use sample"):
        SymmetricGroup(9).elements()


def _set_models():
    torch.manual_seed(0)
    return [PermEquivariantLinear(3, 4), PermEquivariantLinear(3, 4, aggr="max"), DeepSets(3, 5, hidden=8),
            PointNet(3, 5, widths=(8, 8)), PointNet(3, 5, widths=(8, 8), input_transform=True),
            FlatMLP(6, 3, 5, hidden=8)]


@pytest.mark.parametrize("index", range(6))
def test_every_model_follows_module_double(index):
    """.double() models run on float64 sets end to end (they used to fail on mat1 and mat2 dtypes),
    agree with float32, and a float32 model given float64 names the fix."""
    model = _set_models()[index]
    x = torch.randn(2, 6, 3)
    with pytest.raises(TypeError, match=r"model\.double\(\)"):
        model(x.double())
    out32 = model(x)
    out64 = model.double()(x.double())
    assert out64.dtype == torch.float64 and out64.shape == out32.shape
    torch.testing.assert_close(out64.float(), out32, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("index", range(6))
def test_empty_batches_and_empty_sets(index):
    """A batch of no sets gives an empty result; a set of no elements is refused by name."""
    model = _set_models()[index]
    out = model(torch.zeros(0, 6, 3))
    assert out.shape == (0, *model(torch.randn(1, 6, 3)).shape[1:])
    with pytest.raises(ValueError, match="x must"):
        model(torch.zeros(2, 0, 3))


def test_model_hyperparameters_are_checked():
    for build, name in [(lambda: PermEquivariantLinear(3, 0), "out_channels"),
                        (lambda: DeepSets(3, 0), "num_classes"),
                        (lambda: PointNet(3, 5, widths=()), "widths"),
                        (lambda: PointNet(3, 5, widths=(8, 1)), "widths"),
                        (lambda: FlatMLP(6, 3, 5, hidden=2.5), "hidden")]:
        with pytest.raises(ValueError, match=name):
            build()


def test_make_point_clouds_refuses_non_finite_settings():
    for kwargs, name in [({"noise": float("nan")}, "noise"), ({"noise": -0.1}, "noise"),
                         ({"sizes": (0.5, float("inf"))}, "sizes"), ({"sizes": (0.0, 1.0)}, "sizes")]:
        with pytest.raises(ValueError, match=name):
            make_point_clouds(5, 4, **kwargs)
    x, y = make_point_clouds(5, 4, noise=0.0, generator=torch.Generator().manual_seed(0))
    assert x.shape == (5, 4, 3) and x.isfinite().all() and y.shape == (5,)
