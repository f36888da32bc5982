"""gdl.grids and gdl.datasets.grids: shift-equivariance of every layer (property-based), the
circulant/Fourier facts and the one solver, data, errors."""
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.datasets.grids import load_digits, permute_pixels, random_circular_shifts
from gdl.grids import (
    ConvBlock,
    GlobalAvgPool,
    GridCNN,
    GridConv,
    LocalPool,
    circulant,
    circular_conv,
    circular_shift,
    commutant,
    dft_matrix,
    fft_conv,
    random_displacement,
    shift_matrix,
    smooth_warp,
    warp,
)
from gdl.symmetry import CyclicGroup, TranslationGroup, check_equivariance, equivariant_basis

TOL32 = 1e-5
seeds = st.integers(0, 2**16)
invariant = lambda g, y: y  # noqa: E731


def _x(seed, *shape):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _shifts(seed, grid, n=4, multiple=1):
    """`n` random translations of a grid `grid` (int for 1D), restricted to multiples of `multiple`."""
    gen = torch.Generator().manual_seed(seed)
    if isinstance(grid, int):
        return [multiple * g for g in CyclicGroup(grid // multiple).sample(n, gen)]
    coarse = TranslationGroup(grid[0] // multiple, grid[1] // multiple)
    return [(multiple * a, multiple * b) for a, b in coarse.sample(n, gen)]


# ---------------------------------------------------------------- equivariance of every layer

@given(seed=seeds, k=st.sampled_from([1, 3, 5]), size=st.integers(6, 12))
def test_gridconv_2d_circular_is_shift_equivariant(seed, k, size):
    torch.manual_seed(seed)
    layer = GridConv(2, 3, k, dim=2)
    x = _x(seed, 2, 2, size, size + 1)
    err = check_equivariance(layer, x, circular_shift, circular_shift, _shifts(seed, (size, size + 1)))
    assert err < TOL32


@given(seed=seeds, k=st.sampled_from([3, 5]), n=st.integers(6, 30))
def test_gridconv_1d_circular_is_shift_equivariant(seed, k, n):
    torch.manual_seed(seed)
    layer = GridConv(3, 2, k, dim=1)
    err = check_equivariance(layer, _x(seed, 2, 3, n), circular_shift, circular_shift, _shifts(seed, n))
    assert err < TOL32


@given(seed=seeds, dim=st.sampled_from([1, 2]))
def test_convblock_without_pool_is_shift_equivariant(seed, dim):
    torch.manual_seed(seed)
    block = ConvBlock(2, 4, 3, dim=dim)
    grid = 10 if dim == 1 else (10, 10)
    x = _x(seed, 2, 2, *([10] * dim))
    assert check_equivariance(block, x, circular_shift, circular_shift, _shifts(seed, grid)) < TOL32


@given(seed=seeds, dim=st.sampled_from([1, 2]), mode=st.sampled_from(["max", "avg"]))
def test_pooling_block_is_equivariant_to_even_shifts(seed, dim, mode):
    # P ρ(2g) = ρ(g) P: the coarse output moves by half the shift
    torch.manual_seed(seed)
    block = ConvBlock(2, 4, 3, dim=dim, pool=True, pool_mode=mode)
    grid = 12 if dim == 1 else (12, 12)
    x = _x(seed, 2, 2, *([12] * dim))

    def half(g, y):
        return circular_shift(g // 2 if dim == 1 else (g[0] // 2, g[1] // 2), y)

    assert check_equivariance(block, x, circular_shift, half, _shifts(seed, grid, multiple=2)) < TOL32


@given(seed=seeds, size=st.sampled_from([2, 3]), mode=st.sampled_from(["max", "avg"]))
def test_localpool_is_equivariant_to_multiples_of_its_size(seed, size, mode):
    pool = LocalPool(size, dim=2, mode=mode)
    x = _x(seed, 2, 3, 12, 12)
    coarse = lambda g, y: circular_shift((g[0] // size, g[1] // size), y)  # noqa: E731
    assert check_equivariance(pool, x, circular_shift, coarse, _shifts(seed, (12, 12), multiple=size)) < TOL32


@given(seed=seeds, dim=st.sampled_from([1, 2]))
def test_global_average_pool_is_shift_invariant(seed, dim):
    x = _x(seed, 3, 4, *([9] * dim))
    grid = 9 if dim == 1 else (9, 9)
    assert check_equivariance(GlobalAvgPool(dim), x, circular_shift, invariant, _shifts(seed, grid)) < TOL32


@given(seed=seeds, dim=st.sampled_from([1, 2]))
def test_gridcnn_is_invariant_to_shifts_by_multiples_of_its_total_stride(seed, dim):
    torch.manual_seed(seed)
    net = GridCNN(1, 5, channels=(4, 4, 4), pool=(True, False, True), dim=dim)  # two poolings: stride 4
    x = _x(seed, 2, 1, *([16] * dim))
    grid = 16 if dim == 1 else (16, 16)
    assert check_equivariance(net, x, circular_shift, invariant, _shifts(seed, grid, multiple=4)) < TOL32
    def quarter(g, y):
        return circular_shift(g // 4 if dim == 1 else (g[0] // 4, g[1] // 4), y)

    shifts = _shifts(seed, grid, multiple=4)
    assert check_equivariance(net.feature_maps, x, circular_shift, quarter, shifts) < TOL32


def test_equivariance_check_can_fail():
    # zero padding is not equivariant to circular shifts, and pooling not to odd shifts
    torch.manual_seed(0)
    x = _x(0, 2, 2, 12, 12)
    zero = GridConv(2, 3, 3, padding="zeros")
    assert check_equivariance(zero, x, circular_shift, circular_shift, [(3, 5)]) > 1e-2
    pooled = ConvBlock(2, 3, pool=True)
    assert check_equivariance(pooled, x, circular_shift, lambda g, y: circular_shift(g, y), [(1, 0)]) > 1e-2


def test_zero_padding_agrees_with_circular_padding_away_from_the_border():
    torch.manual_seed(0)
    zero, circ = GridConv(1, 2, 5, padding="zeros"), GridConv(1, 2, 5, padding="circular")
    circ.load_state_dict(zero.state_dict())
    x = _x(1, 2, 1, 16, 16)
    diff = (zero(x) - circ(x)).abs()
    assert diff[..., 2:-2, 2:-2].max() < 1e-6 and diff[..., :2, :].max() > 1e-3


@given(seed=seeds, n=st.integers(4, 24), k=st.integers(1, 4))
def test_circular_and_fft_convolution_agree_and_are_equivariant(seed, n, k):
    x = _x(seed, 3, n).double()
    w = _x(seed + 1, k).double()
    assert (circular_conv(x, w) - fft_conv(x, w)).abs().max() < 1e-10
    conv = lambda s: circular_conv(s, w)  # noqa: E731
    assert check_equivariance(conv, x, circular_shift, circular_shift, CyclicGroup(n).elements()) < 1e-12
    w_full = torch.cat([w, w.new_zeros(n - k)])
    assert (x @ circulant(w_full).T - circular_conv(x, w)).abs().max() < 1e-10


@given(seed=seeds)
def test_warp_by_an_integer_constant_is_a_circular_shift_and_warp_is_equivariant(seed):
    x = _x(seed, 2, 3, 8, 10)
    g = _shifts(seed, (8, 10), n=1)[0]
    const = torch.tensor(g, dtype=torch.float32).view(1, 2, 1, 1).expand(2, 2, 8, 10).contiguous()
    assert (warp(x, const) - circular_shift(g, x)).abs().max() < 1e-6
    tau = 0.7 * random_displacement(2, (8, 10), generator=torch.Generator().manual_seed(seed))
    lhs = warp(circular_shift(g, x), circular_shift(g, tau))  # the warp moved along with the signal
    assert (lhs - circular_shift(g, warp(x, tau))).abs().max() < 1e-5
    x1 = _x(seed, 2, 1, 20)
    assert (warp(x1, torch.full((2, 1, 20), 3.0)) - circular_shift(3, x1)).abs().max() < 1e-6


def test_smooth_warp_is_small_for_small_amplitude_and_random_shifts_match_circular_shift():
    x = load_digits(16)[0][:8]
    g = torch.Generator().manual_seed(0)
    tau = random_displacement(8, (16, 16), generator=g)
    assert torch.allclose(tau.pow(2).sum(1).sqrt().flatten(1).amax(1), torch.ones(8), atol=1e-5)
    assert tau.mean((2, 3)).abs().max() < 1e-5  # zero mean: no translation part
    small = (smooth_warp(x, 0.05, generator=g) - x).norm() / x.norm()
    big = (smooth_warp(x, 1.0, generator=g) - x).norm() / x.norm()
    assert small < big / 5
    shifted, shifts = random_circular_shifts(x, g)
    for i in range(len(x)):
        assert torch.equal(shifted[i], circular_shift(tuple(shifts[i].tolist()), x[i]))


# ---------------------------------------------------------------- circulants and Fourier

@pytest.mark.parametrize("n", [3, 6, 9])
def test_commutant_of_the_shift_is_the_circulants(n):
    basis = commutant([shift_matrix(n)])
    assert basis.shape == (n, n, n)
    assert (basis - circulant(basis[:, :, 0])).abs().max() < 1e-12


def test_commutant_is_the_one_solver_of_the_symmetry_module():
    """commutant(generators) is equivariant_basis(rho, rho) with the generators as rho, in any input form."""
    S, R = shift_matrix(6), torch.eye(6, dtype=torch.float64).flip(0).roll(1, dims=0)  # (Rx)(u) = x(-u)
    rho = torch.stack([S, R])
    basis = commutant([S, R])
    assert torch.equal(basis, equivariant_basis(rho, rho, 1e-10))
    assert torch.equal(commutant(rho), basis) and torch.equal(commutant(S), commutant([S]))
    assert basis.shape[0] == 6 // 2 + 1                       # symmetric filters w(u) = w(-u)
    assert (rho[:, None] @ basis - basis @ rho[:, None]).abs().max() < 1e-12


def test_commutant_of_the_torus_shifts_has_one_weight_per_displacement():
    n, eye = 4, torch.eye(4, dtype=torch.float64)
    two_d = commutant([torch.kron(shift_matrix(n), eye), torch.kron(eye, shift_matrix(n))])
    assert two_d.shape[0] == n * n


def test_dft_diagonalises_a_random_circulant():
    n = 16
    w = torch.randn(n, dtype=torch.float64)
    Phi = dft_matrix(n)
    D = Phi @ circulant(w).to(torch.complex128) @ Phi.conj().T
    assert (D - torch.diag(torch.fft.fft(w))).abs().max() < 1e-12


# ---------------------------------------------------------------- data

def test_load_digits_shapes_range_and_cache():
    X, y = load_digits()
    assert X.shape == (1797, 1, 8, 8) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert X.min() >= 0 and X.max() <= 1 and set(y.tolist()) == set(range(10))
    X16, _ = load_digits(16)
    assert X16.shape == (1797, 1, 16, 16) and X16.max() <= 1
    X[0] = 5.0  # a copy: the cache is not corrupted
    assert load_digits()[0].max() <= 1
    with pytest.raises(ValueError, match="positive int"):
        load_digits(0)


def test_load_mnist1d_is_procedural_and_cached():
    from gdl.datasets.grids import load_mnist1d

    Xtr, ytr, Xte, yte = load_mnist1d()
    assert Xtr.shape == (4000, 1, 40) and Xte.shape == (1000, 1, 40) and ytr.dtype == torch.int64
    assert torch.equal(load_mnist1d()[0], Xtr)


def test_permute_pixels_is_a_fixed_relabelling():
    x = _x(0, 2, 1, 4, 4)
    perm = torch.randperm(16, generator=torch.Generator().manual_seed(0))
    y = permute_pixels(x, perm)
    assert torch.equal(y.flatten(2), x.flatten(2)[..., perm])
    with pytest.raises(ValueError, match="perm must have shape"):
        permute_pixels(x, perm[:5])


# ---------------------------------------------------------------- clear errors

@pytest.mark.parametrize("layer, bad", [
    (GridConv(1, 2, dim=2), torch.randn(8, 8)),
    (GridConv(1, 2, dim=2), torch.randn(2, 1, 8)),
    (GridConv(1, 2, dim=1), torch.randn(2, 1, 8, 8)),
    (LocalPool(dim=2), torch.randn(2, 8, 8)),
    (GlobalAvgPool(dim=1), torch.randn(2, 3, 4, 4)),
    (GridCNN(1, 10, dim=2), torch.randn(1, 8, 8)),
])
def test_wrong_rank_gives_a_clear_error(layer, bad):
    with pytest.raises(ValueError, match=r"x must have shape \(B, C, (L|H, W)\)"):
        layer(bad)


def test_other_clear_errors():
    with pytest.raises(ValueError, match=r"x must have shape \(B, C, H, W\) with C = 3"):
        GridConv(3, 2)(torch.randn(1, 1, 8, 8))
    with pytest.raises(TypeError, match="torch.Tensor"):
        GridConv(1, 2)([[1.0]])
    with pytest.raises(ValueError, match="odd"):
        GridConv(1, 2, kernel_size=4)
    with pytest.raises(ValueError, match="dim must be"):
        GridConv(1, 2, dim=3)
    with pytest.raises(ValueError, match="padding"):
        GridConv(1, 2, padding="reflect")
    with pytest.raises(ValueError, match=r"w must have shape \(k,\) with k <= n = 5"):
        circular_conv(torch.randn(4, 5), torch.randn(6))
    with pytest.raises(ValueError, match="displacement must have shape"):
        warp(torch.randn(2, 1, 8, 8), torch.zeros(2, 1, 8, 8))
    with pytest.raises(ValueError, match="shape"):
        smooth_warp(torch.randn(8, 8), 1.0)
    with pytest.raises(TypeError, match="torch.Tensor"):
        circular_shift(1, [1, 2, 3])
    with pytest.raises(ValueError, match="square"):
        commutant([torch.randn(2, 3)])
