"""Tests for gdl.priors and gdl.datasets.priors (the high-dimensions chapter): Haar pyramid,
coarse-graining, scattering summary, k-NN, the grid-bump target, the blueprint model and figure."""
import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.datasets.priors import GridBumpTarget
from gdl.priors import (
    blueprint_model,
    coarse_grain,
    draw_blueprint,
    energy_per_scale,
    haar_mosaic,
    haar_pyramid,
    haar_reconstruct,
    haar_scattering_1d,
    haar_step,
    haar_unstep,
    knn_classify,
    knn_regress,
)
from gdl.symmetry import check_equivariance

seeds = st.integers(0, 2**31 - 1)


def _images(seed, lead, levels, hw_mult, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    h, w = (2**levels * m for m in hw_mult)
    return torch.randn(*lead, h, w, dtype=dtype, generator=g)


def _flat(pyramid):
    approx, details = pyramid
    return torch.cat([approx.flatten()] + [d.flatten() for d in details])


# ---------------------------------------------------------------- Haar pyramid


@given(seed=seeds, levels=st.integers(1, 4), lead=st.lists(st.integers(1, 3), max_size=2),
       hw=st.tuples(st.integers(1, 3), st.integers(1, 3)))
def test_haar_perfect_reconstruction_and_energy(seed, levels, lead, hw):
    x = _images(seed, lead, levels, hw)
    approx, details = haar_pyramid(x, levels)
    assert approx.shape == (*lead, x.shape[-2] // 2**levels, x.shape[-1] // 2**levels)
    assert len(details) == levels
    for j, d in enumerate(details):
        assert d.shape == (*lead, 3, x.shape[-2] // 2 ** (j + 1), x.shape[-1] // 2 ** (j + 1))
    assert torch.allclose(haar_reconstruct(approx, details), x, atol=1e-12)
    energy = float(_flat((approx, details)).norm() ** 2)
    assert math.isclose(energy, float(x.norm() ** 2), rel_tol=1e-12)


@given(seed=seeds, levels=st.integers(1, 3))
def test_haar_is_orthogonal(seed, levels):
    # a linear map that preserves all inner products is orthogonal
    x, y = _images(seed, [2], levels, (2, 1))
    wx, wy = _flat(haar_pyramid(x, levels)), _flat(haar_pyramid(y, levels))
    assert abs(float(wx @ wy - (x * y).sum())) < 1e-10 * float(x.norm() * y.norm())
    # and linear
    a, b = 0.7, -1.3
    assert torch.allclose(_flat(haar_pyramid(a * x + b * y, levels)), a * wx + b * wy, atol=1e-12)


def test_haar_step_matrix_is_orthogonal_and_symmetric():
    # the 4x4 matrix H of one step, read off from the images of the 4 basis blocks
    basis = torch.eye(4, dtype=torch.float64).reshape(4, 2, 2)
    ll, det = haar_step(basis)
    H = torch.cat([ll.reshape(4, 1), det.reshape(4, 3)], dim=1).T      # rows: LL, LH, HL, HH
    assert torch.allclose(H @ H.T, torch.eye(4, dtype=torch.float64), atol=1e-15)
    assert torch.allclose(H, H.T)


@given(seed=seeds)
def test_haar_unstep_inverts_step(seed):
    x = _images(seed, [3], 1, (3, 2))
    assert torch.allclose(haar_unstep(*haar_step(x)), x, atol=1e-12)


@given(seed=seeds, levels=st.integers(1, 3))
def test_haar_approximation_is_scaled_coarse_graining(seed, levels):
    x = _images(seed, [2], levels, (2, 2))
    approx, _ = haar_pyramid(x, levels)
    assert torch.allclose(approx, 2**levels * coarse_grain(x, 2**levels), atol=1e-12)


def test_haar_float32():
    x = _images(0, [2, 1], 3, (2, 2), dtype=torch.float32)
    p = haar_pyramid(x, 3)
    assert p[0].dtype == torch.float32
    assert (haar_reconstruct(*p) - x).abs().max() < 1e-5


@given(seed=seeds, levels=st.integers(1, 3))
def test_energy_per_scale_sums_to_one(seed, levels):
    x = _images(seed, [2], levels, (2, 2))
    shares = energy_per_scale(*haar_pyramid(x, levels))
    assert shares.shape == (levels + 1,)
    assert bool((shares >= 0).all()) and math.isclose(float(shares.sum()), 1.0, rel_tol=1e-12)


def test_energy_per_scale_white_noise_and_constant():
    noise = _images(0, [4], 6, (2, 2))
    shares = energy_per_scale(*haar_pyramid(noise, 2))
    assert torch.allclose(shares, torch.tensor([0.75, 0.1875, 0.0625], dtype=torch.float64), atol=0.01)
    const = torch.ones(16, 16, dtype=torch.float64)
    shares = energy_per_scale(*haar_pyramid(const, 3))
    assert float(shares[-1]) == pytest.approx(1.0) and float(shares[:-1].sum()) == pytest.approx(0.0)


def test_haar_mosaic_layout():
    x = _images(0, [], 2, (1, 1))
    approx, details = haar_pyramid(x, 2)
    m = haar_mosaic(approx, details, normalize=False)
    assert m.shape == x.shape
    assert torch.equal(m[:1, :1], approx)                     # approximation in the corner
    assert torch.equal(m[2:, 2:], details[0][2])              # finest HH bottom-right


@pytest.mark.parametrize("bad, levels", [(torch.zeros(8), 1), (torch.zeros(6, 8), 2),
                                         (torch.zeros(8, 8), 0), (torch.zeros(8, 8), 1.5)])
def test_haar_bad_input(bad, levels):
    with pytest.raises(ValueError):
        haar_pyramid(bad, levels)


def test_haar_unstep_bad_shapes():
    with pytest.raises(ValueError, match="details"):
        haar_unstep(torch.zeros(2, 4, 4), torch.zeros(2, 2, 4, 4))


# ---------------------------------------------------------------- coarse-graining


@given(seed=seeds, factor=st.sampled_from([1, 2, 4]),
       shifts=st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=1, max_size=4))
def test_coarse_grain_commutes_with_shifts_by_multiples_of_factor(seed, factor, shifts):
    x = _images(seed, [2, 3], 3, (1, 1))                         # (2, 3, 8, 8)
    def roll(t, z):
        return torch.roll(z, (t[0], t[1]), dims=(-2, -1))

    err = check_equivariance(lambda z: coarse_grain(z, factor), x,
                             lambda t, z: roll((factor * t[0], factor * t[1]), z), roll, shifts)
    assert err < 1e-12


@given(seed=seeds)
def test_coarse_grain_not_equivariant_to_unit_shift(seed):
    # the test above can fail: a shift by one pixel does not commute with pooling by 2
    x = _images(seed, [1], 3, (1, 1))
    def roll(t, z):
        return torch.roll(z, t, dims=-1)

    err = check_equivariance(lambda z: coarse_grain(z, 2), x, roll,
                             lambda t, y: torch.roll(y, t, dims=-1), [1])
    assert err > 1e-3


@given(seed=seeds)
def test_coarse_grain_composes_and_preserves_mean(seed):
    x = _images(seed, [2], 2, (2, 2))
    assert torch.allclose(coarse_grain(coarse_grain(x, 2), 2), coarse_grain(x, 4), atol=1e-12)
    assert torch.allclose(coarse_grain(x, 2).mean(dim=(-2, -1)), x.mean(dim=(-2, -1)), atol=1e-12)


@pytest.mark.parametrize("bad, factor", [(torch.zeros(8), 2), (torch.zeros(6, 9), 2),
                                         (torch.zeros(8, 8), 0), (torch.zeros(8, 8), 2.0)])
def test_coarse_grain_bad_input(bad, factor):
    with pytest.raises(ValueError):
        coarse_grain(bad, factor)


# ---------------------------------------------------------------- deformation-stable summary


@given(seed=seeds, shifts=st.lists(st.integers(-200, 200), min_size=1, max_size=4))
def test_haar_scattering_is_shift_invariant(seed, shifts):
    x = torch.randn(2, 256, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    err = check_equivariance(lambda z: haar_scattering_1d(z, 6), x,
                             lambda t, z: torch.roll(z, t, dims=-1), lambda t, y: y, shifts)
    assert err < 1e-12


def test_haar_scattering_matches_direct_convolution():
    n, levels = 32, 3
    x = torch.randn(n, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    out = haar_scattering_1d(x, levels)
    for j in range(levels):
        s = 2**j
        psi = torch.zeros(n, dtype=torch.float64)
        psi[:s], psi[s:2 * s] = 1, -1
        psi = psi / math.sqrt(2 * s)
        conv = torch.stack([(x * torch.roll(psi.flip(0), u + 1)).sum() for u in range(n)])
        assert float(out[j]) == pytest.approx(float(conv.abs().mean()), rel=1e-10)


def test_haar_scattering_bad_input():
    with pytest.raises(ValueError):
        haar_scattering_1d(torch.zeros(8), 4)
    with pytest.raises(ValueError):
        haar_scattering_1d(torch.zeros(8), 0)


# ---------------------------------------------------------------- curse of dimensionality


@given(seed=seeds, d=st.integers(1, 12), m=st.integers(1, 6))
def test_grid_bump_target_is_lipschitz_and_bounded(seed, d, m):
    g = torch.Generator().manual_seed(seed)
    f = GridBumpTarget(d, m, seed=seed % 1000)
    x = torch.rand(256, d, generator=g, dtype=torch.float64)
    y = (x + 0.1 / m * (torch.rand(256, d, generator=g, dtype=torch.float64) - 0.5)).clamp(0, 1)
    ratio = (f(x) - f(y)).abs() / (x - y).norm(dim=1).clamp_min(1e-300)
    assert float(ratio.max()) <= f.lipschitz * (1 + 1e-9)
    assert float(f(x).abs().max()) <= 1.0


@given(seed=seeds, d=st.integers(1, 6))
def test_grid_bump_target_values(seed, d):
    m = 3
    f = GridBumpTarget(d, m, seed=seed % 1000)
    cells = torch.randint(0, m, (20, d), generator=torch.Generator().manual_seed(seed))
    centres = (cells.double() + 0.5) / m
    assert torch.allclose(f(centres), f.signs(cells), atol=1e-12)  # ±1 at the centre of each cell
    assert set(f.signs(cells).tolist()) <= {-1.0, 1.0}
    faces = centres.clone()
    faces[:, 0] = cells[:, 0].double() / m                          # a point on a face of its cell
    assert float(f(faces).abs().max()) < 1e-12                      # continuous: zero on the faces
    assert torch.equal(f(torch.ones(1, d, dtype=torch.float64)).abs(), torch.zeros(1, dtype=torch.float64))


def test_grid_bump_target_signs_are_balanced_and_seeded():
    f = GridBumpTarget(6, 4, seed=0)
    cells = torch.cartesian_prod(*[torch.arange(4)] * 6)            # all 4096 cells
    s = f.signs(cells)
    assert abs(float(s.mean())) < 0.05
    neighbours = cells.clone()
    neighbours[:, 0] = (neighbours[:, 0] + 1) % 4
    assert abs(float((s == f.signs(neighbours)).double().mean()) - 0.5) < 0.05   # no long-range order
    assert not torch.equal(s, GridBumpTarget(6, 4, seed=1).signs(cells))
    assert torch.equal(s, GridBumpTarget(6, 4, seed=0).signs(cells))


def test_grid_bump_target_mean_square():
    for d in (1, 2, 5):
        f = GridBumpTarget(d, 4, seed=0)
        x = torch.rand(200_000, d, generator=torch.Generator().manual_seed(d), dtype=torch.float64)
        assert float(f(x).square().mean()) == pytest.approx(f.mean_square, rel=0.03)
        assert f.lipschitz == 8.0


def test_grid_bump_target_bad_input():
    f = GridBumpTarget(3)
    with pytest.raises(ValueError, match=r"x must have shape \(N, d\) with d = 3"):
        f(torch.zeros(5, 4))
    with pytest.raises(ValueError, match="cube"):
        f(torch.full((2, 3), 1.5))
    with pytest.raises(ValueError, match="d must"):
        GridBumpTarget(0)
    with pytest.raises(ValueError, match="cells_per_side"):
        GridBumpTarget(2, 2.5)
    with pytest.raises(TypeError, match="seed"):
        GridBumpTarget(2, 4, seed="a")
    with pytest.raises(ValueError, match="cells"):
        f.signs(torch.zeros(4, 2, dtype=torch.long))


@given(seed=seeds)
def test_knn_recovers_training_points(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(50, 3, generator=g)
    y = torch.randn(50, generator=g)
    labels = torch.randint(0, 4, (50,), generator=g)
    assert torch.allclose(knn_regress(x, y, x, k=1), y)
    assert torch.equal(knn_classify(x, labels, x, k=1), labels)
    assert torch.allclose(knn_regress(x, y, x[:5], k=50), y.mean().expand(5), atol=1e-6)


@given(seed=seeds)
def test_knn_regress_with_several_k_equals_separate_calls(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(40, 3, generator=g, dtype=torch.float64)
    q = torch.rand(7, 3, generator=g, dtype=torch.float64)
    y = torch.randn(40, 2, generator=g, dtype=torch.float64)
    ks = [1, 3, 8, 40]
    stacked = knn_regress(x, y, q, k=ks)
    assert stacked.shape == (4, 7, 2)
    for out, k in zip(stacked, ks, strict=True):
        assert torch.allclose(out, knn_regress(x, y, q, k=k), atol=1e-12)


def test_knn_majority_vote():
    x = torch.tensor([[0.0], [0.1], [0.2], [5.0]])
    labels = torch.tensor([1, 1, 0, 0])
    assert knn_classify(x, labels, torch.tensor([[0.05]]), k=3).item() == 1


def test_knn_bad_input():
    with pytest.raises(ValueError, match=r"x_query must have shape \(Q, d\) with d = 2"):
        knn_regress(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 3))
    with pytest.raises(ValueError, match="k must"):
        knn_classify(torch.zeros(5, 2), torch.zeros(5, dtype=torch.long), torch.zeros(3, 2), k=6)
    with pytest.raises(TypeError, match="y_train must be an integer tensor"):
        knn_classify(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 2))
    with pytest.raises(ValueError, match="x_train's rows"):
        knn_regress(torch.zeros(5, 2), torch.zeros(4), torch.zeros(3, 2))
    with pytest.raises(ValueError, match="k must"):
        knn_regress(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 2), k=[])
    with pytest.raises(ValueError, match="at least 1"):
        knn_regress(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 2), k=[0, 2])
    with pytest.raises(ValueError, match="k must"):
        knn_regress(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 2), k=2.0)


# ---------------------------------------------------------------- blueprint model


@given(seed=seeds, n_pools=st.integers(0, 3))
def test_blueprint_model_is_invariant_to_shifts_by_the_pooling_factor_only(seed, n_pools):
    x = torch.randn(3, 1, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    model = blueprint_model(n_pools, seed=seed % 100)
    assert model(x).shape == (3, 4) and model(x).dtype == torch.float64
    def shift(s, z):
        return torch.roll(z, s, dims=-1)
    def same(s, y):
        return y
    assert check_equivariance(model, x, shift, same, [2**n_pools, 3 * 2**n_pools]) < 1e-12
    if n_pools:
        assert check_equivariance(model, x, shift, same, [1]) > 1e-8


def test_blueprint_model_keeps_the_random_state_and_checks_its_arguments():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    blueprint_model(2, seed=5)
    assert torch.equal(torch.rand(3), expected)
    x = torch.randn(2, 1, 16, dtype=torch.float64)
    assert torch.equal(blueprint_model(2, seed=5)(x), blueprint_model(2, seed=5)(x))
    with pytest.raises(ValueError, match="n_pools"):
        blueprint_model(-1)
    with pytest.raises(ValueError, match="channels"):
        blueprint_model(1, channels=0)


# ---------------------------------------------------------------- blueprint figure


def test_draw_blueprint():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = draw_blueprint(n_blocks=3, labels={"equivariant": "graph conv"})
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("graph conv") == 4                        # 3 blocks + the last layer
    assert any("global pooling" in t for t in texts)
    plt.close("all")
    with pytest.raises(ValueError, match="unknown label"):
        draw_blueprint(labels={"nonsense": "x"})
    with pytest.raises(ValueError):
        draw_blueprint(n_blocks=0)
