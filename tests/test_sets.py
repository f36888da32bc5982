"""Tests for gdl.sets (Chapter 6): permutation symmetry of every layer and model, the equivariant
linear maps, the point-cloud generator, and clear errors on bad input."""
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.sets import (AGGREGATIONS, SHAPES, DeepSets, FlatMLP, PermEquivariantLinear, PointNet,
                      _cone, _cube, _cylinder, _sphere, _torus, aggregate, all_permutations,
                      equivariant_basis, make_point_clouds, permutation_matrix, permute,
                      random_permutations, random_rotations)
from gdl.symmetry import check_equivariance


def act(p, t):
    return permute(p, t)


def same(p, t):
    return t


def perms_for(n: int, seed: int, k: int = 5) -> torch.Tensor:
    """k random permutations plus, when n >= 2, a transposition (so at least one is not the identity)."""
    perms = random_permutations(n, k, generator=torch.Generator().manual_seed(seed))
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
    perms = random_permutations(n, 4, generator=torch.Generator().manual_seed(seed))
    assert perms.shape == (4, n) and perms.dtype == torch.long
    assert torch.equal(perms.sort(dim=1).values, torch.arange(n).expand(4, n))
    x = random_sets(1, n, 2, seed)[0]
    for p in perms:
        mat = permutation_matrix(p)
        assert torch.equal(mat @ x, permute(p, x))
        assert torch.equal(mat.T @ mat, torch.eye(n, dtype=torch.float64))


def test_all_permutations_enumerates_the_group():
    perms = all_permutations(4)
    assert perms.shape == (24, 4)
    assert len({tuple(p.tolist()) for p in perms}) == 24


# --------------------------------------------------------------------------- equivariant linear maps
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_equivariant_linear_maps_on_sets_have_dimension_two(n):
    reps = torch.stack([permutation_matrix(p) for p in all_permutations(n)])
    basis = equivariant_basis(reps, reps)
    assert len(basis) == 2
    flat = basis.reshape(2, -1)
    for m in (torch.eye(n, dtype=torch.float64), torch.ones(n, n, dtype=torch.float64)):
        v = m.reshape(-1)
        assert (v - flat.T @ (flat @ v)).norm() < 1e-12  # span{I, 11^T}
    for w in basis:
        assert (reps @ w - w @ reps).abs().max() < 1e-12


def test_equivariant_basis_single_element_set_and_invariant_functionals():
    reps = torch.stack([permutation_matrix(p) for p in all_permutations(1)])
    assert len(equivariant_basis(reps, reps)) == 1
    reps = torch.stack([permutation_matrix(p) for p in all_permutations(4)])
    trivial = torch.ones(len(reps), 1, 1, dtype=torch.float64)
    functionals = equivariant_basis(reps, trivial)  # invariant linear maps R^n -> R
    assert len(functionals) == 1
    row = functionals[0, 0]
    assert torch.allclose(row / row[0], torch.ones(4, dtype=torch.float64))  # a multiple of 1^T


def test_equivariant_basis_of_cyclic_shifts_is_the_circulant_matrices():
    n = 6
    shifts = torch.stack([permutation_matrix(torch.roll(torch.arange(n), k)) for k in range(n)])
    assert len(equivariant_basis(shifts, shifts)) == n  # circulant matrices: convolutions


@given(c_in=st.integers(1, 3), c_out=st.integers(1, 3))
def test_multichannel_equivariant_maps_have_dimension_2_cin_cout(c_in, c_out):
    perms = torch.stack([permutation_matrix(p) for p in all_permutations(3)])
    rho_in = torch.stack([torch.kron(p, torch.eye(c_in, dtype=torch.float64)) for p in perms])
    rho_out = torch.stack([torch.kron(p, torch.eye(c_out, dtype=torch.float64)) for p in perms])
    assert len(equivariant_basis(rho_in, rho_out)) == 2 * c_in * c_out


# --------------------------------------------------------------------------- layers and models
@given(n=sizes, b=st.integers(1, 3), c_in=st.integers(1, 4), c_out=st.integers(1, 4),
       how=st.sampled_from(AGGREGATIONS), seed=seeds)
def test_perm_equivariant_linear_is_equivariant(n, b, c_in, c_out, how, seed):
    torch.manual_seed(seed)
    layer = PermEquivariantLinear(c_in, c_out, how).double()
    x = random_sets(b, n, c_in, seed)
    assert check_equivariance(layer, x, act, act, perms_for(n, seed)) < 1e-12


@given(n=sizes, how=st.sampled_from(AGGREGATIONS), seed=seeds)
def test_aggregation_is_invariant(n, how, seed):
    x = random_sets(2, n, 3, seed)
    assert check_equivariance(lambda t: aggregate(t, how), x, act, same, perms_for(n, seed)) < 1e-12


@given(n=sizes, how=st.sampled_from(AGGREGATIONS), seed=seeds)
def test_deep_sets_invariant_and_phi_equivariant(n, how, seed):
    torch.manual_seed(seed)
    model = DeepSets(3, 5, hidden=16, aggregation=how)
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
    assert torch.allclose(aggregate(doubled, "mean"), aggregate(x, "mean"))
    assert torch.equal(aggregate(doubled, "max"), aggregate(x, "max"))
    assert torch.allclose(aggregate(doubled, "sum"), 2 * aggregate(x, "sum"))


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


def test_random_rotations_are_rotations():
    r = random_rotations(100, torch.Generator().manual_seed(0)).double()
    assert torch.allclose(r @ r.transpose(1, 2), torch.eye(3, dtype=torch.float64).expand(100, 3, 3), atol=1e-6)
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
    with pytest.raises(TypeError, match="int64"):
        permute(torch.tensor([0.0, 1.0]), torch.randn(2, 3))
    with pytest.raises(ValueError, match="n=3"):
        permute(torch.tensor([0, 1, 2]), torch.randn(1, 4, 3))
    with pytest.raises(ValueError, match="one of"):
        aggregate(torch.randn(1, 3, 2), "median")
    with pytest.raises(ValueError, match=r"\(B, n, C\)"):
        aggregate(torch.randn(3, 2), "sum")
    with pytest.raises(TypeError, match="floating-point"):
        aggregate(torch.ones(1, 3, 2, dtype=torch.long), "sum")
    with pytest.raises(ValueError, match=r"\(B, n, 4\)"):
        PermEquivariantLinear(4, 2)(torch.randn(1, 3, 2))
    with pytest.raises(ValueError, match="one of"):
        PermEquivariantLinear(4, 2, aggregation="prod")
    with pytest.raises(ValueError, match="one of"):
        DeepSets(3, 5, aggregation="min")
    with pytest.raises(ValueError, match=r"\(B, n, 3\)"):
        DeepSets(3, 5)(torch.randn(10, 3))
    with pytest.raises(ValueError, match=r"\(B, n, 3\)"):
        PointNet(3, 5)(torch.randn(2, 10, 2))
    with pytest.raises(ValueError, match="n=10"):
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
        random_permutations(0, 3)
    with pytest.raises(ValueError, match="1..8"):
        all_permutations(9)
