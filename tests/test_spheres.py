"""Tests for gdl.spheres (the Spheres chapter): grid, SHT, Wigner-D rotations, zonal layers, peers."""
import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.datasets.spheres import project_to_sphere
from gdl.spheres import (
    SO3,
    SO3CNN,
    S2ToSO3Conv,
    SO3Conv,
    SphericalCNN,
    SphericalConv,
    axis_angle_to_matrix,
    block_mask,
    degree_mask,
    euler_to_matrix,
    gauss_legendre,
    grid_points,
    isht,
    legendre,
    matrix_to_euler,
    plot_sphere,
    real_sh,
    rotate_blocks,
    rotate_coeffs,
    rotate_signal,
    rotate_z,
    sht,
    so3_ft,
    so3_grid,
    so3_ift,
    so3_mean,
    sphere_grid,
    sphere_mean,
    wigner_D,
)
from gdl.symmetry import Group, check_equivariance, check_group_axioms, random_rotation

seeds = st.integers(0, 2**31 - 1)


def _coeffs(L, *batch, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*batch, L, 2 * L - 1, generator=g, dtype=torch.float64) * degree_mask(L)).to(dtype)


def _rot(g, x):
    return rotate_signal(x, g)


def _same(g, y):
    return y


def _angles(n, seed):
    """n Haar-random rotations as Euler angles: the elements SO3 samples."""
    return SO3().sample(n, torch.Generator().manual_seed(seed))


# ------------------------------------------------------------------ grid and quadrature
@given(st.integers(1, 40))
def test_gauss_legendre_matches_numpy(n):
    t, w = gauss_legendre(n)
    tn, wn = np.polynomial.legendre.leggauss(n)
    assert np.abs(t.numpy()[::-1] - tn).max() < 1e-13
    assert np.abs(w.numpy()[::-1] - wn).max() < 1e-13


@given(st.integers(1, 12), st.integers(0, 23))
def test_gauss_legendre_exact_degree(n, p):
    t, w = gauss_legendre(n)
    exact = (1 - (-1) ** (p + 1)) / (p + 1)
    err = abs(float((w * t**p).sum()) - exact)
    if p <= 2 * n - 1:
        assert err < 1e-13
    elif p == 2 * n:
        assert err > 1e-6  # and not beyond: the rule is sharp


def test_legendre_matches_scipy():
    sp = pytest.importorskip("scipy.special", reason="scipy gives an independent P_l^m")
    L, t = 12, torch.linspace(-0.99, 0.99, 7, dtype=torch.float64)
    P = legendre(L, t)
    for ell in range(L):
        for m in range(ell + 1):
            ratio = math.factorial(ell - m) / math.factorial(ell + m)
            norm = math.sqrt((2 * ell + 1) / (4 * math.pi) * ratio)
            ref = (-1) ** m * sp.lpmv(m, ell, t.numpy()) * norm  # scipy includes the Condon–Shortley phase
            assert np.allclose(P[ell, m].numpy(), ref, atol=1e-12)
        assert (P[ell, ell + 1:] == 0).all()


def test_grid_orthonormality():
    L = 9
    Y = real_sh(L, grid_points(L))[..., degree_mask(L)]
    w = sphere_grid(L)[2]
    gram = torch.einsum("kja,kjb,k->ab", Y, Y, w)
    assert (gram - torch.eye(L * L, dtype=torch.float64)).abs().max() < 1e-12


# ------------------------------------------------------------------ SHT
@given(st.integers(1, 14), st.integers(0, 3), st.integers(0, 5), seeds)
def test_sht_round_trip(L, extra_lat, extra_lon, seed):
    a = _coeffs(L, 2, seed=seed)
    x = isht(a, L + extra_lat, 2 * L - 1 + extra_lon)
    assert (sht(x, L) - a).abs().max() < 1e-11 * max(1.0, float(a.abs().max()))


def test_sht_round_trip_float32():
    a = _coeffs(24, 3, dtype=torch.float32)
    assert float((sht(isht(a)) - a).norm() / a.norm()) < 1e-5


def test_sht_matches_pointwise_synthesis():
    L = 8
    a = _coeffs(L, seed=1)
    direct = torch.einsum("kjlm,lm->kj", real_sh(L, grid_points(L)), a)
    assert (isht(a) - direct).abs().max() < 1e-12


@pytest.mark.parametrize("csphase", [False, True])
def test_side_by_side_torch_harmonics(csphase):
    th = pytest.importorskip("torch_harmonics",
                             reason="torch-harmonics is installed apart (pip install --no-deps)")
    L = 12
    nlat, nlon = L, 2 * L
    x = torch.randn(3, nlat, nlon, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    fwd = th.RealSHT(nlat, nlon, grid="legendre-gauss", csphase=csphase).double()
    inv = th.InverseRealSHT(nlat, nlon, grid="legendre-gauss", csphase=csphase).double()
    c = fwd(x)  # complex (3, L, L): coefficients of the complex harmonics, m >= 0
    assert c.shape == (3, L, L)
    # Conventions: for m > 0, ours = sqrt(2) (-1)^m Re c (cos part) and -sqrt(2) (-1)^m Im c (sin part);
    # the (-1)^m is the Condon–Shortley phase, absent when csphase=False.
    m = torch.arange(L, dtype=torch.float64)
    phase = (-1.0) ** m if csphase else torch.ones(L, dtype=torch.float64)
    scale = torch.full((L,), math.sqrt(2.0), dtype=torch.float64)
    scale[0] = 1.0
    scale = scale * phase
    ours = sht(x)
    cos_part = ours[..., L - 1:]
    sin_part = torch.cat([torch.zeros_like(ours[..., :1]), ours[..., : L - 1].flip(-1)], -1)
    assert (cos_part - scale * c.real).abs().max() < 1e-12
    assert (sin_part + scale * c.imag).abs().max() < 1e-12
    # inverse: synthesise the same band-limited signal from both coefficient sets
    assert (isht(ours) - inv(c)).abs().max() < 1e-12
    # the grids agree too
    from torch_harmonics.quadrature import precompute_latitudes

    lat, w = precompute_latitudes(nlat, grid="legendre-gauss")
    theta, _, wq = sphere_grid(nlat, nlon)
    assert (lat.double() - theta).abs().max() < 1e-13
    assert (w.double() * 2 * math.pi / nlon - wq).abs().max() < 1e-13


def _sht_plain(x, L):
    """The transform as first written: a padded table (L, 2L-1, nlat) and one einsum (which copies the
    table into matmul order on every call); the reference for the batched-matmul layout."""
    nlat, nlon = x.shape[-2:]
    t, _ = gauss_legendre(nlat)
    m = torch.arange(-(L - 1), L)
    P = legendre(L, t)[:, m.abs()] * degree_mask(L)[..., None] * sphere_grid(nlat, nlon)[2]
    X = torch.fft.rfft(x, dim=-1)[..., :L]
    c, s = X.real, -X.imag
    ring = torch.cat([math.sqrt(2) * s[..., 1:].flip(-1), c[..., :1], math.sqrt(2) * c[..., 1:]], -1)
    return torch.einsum("lmk,...km->...lm", P.to(x), ring)


def _isht_plain(a, nlat, nlon):
    L = a.shape[-2]
    t, _ = gauss_legendre(nlat)
    m = torch.arange(-(L - 1), L)
    P = legendre(L, t)[:, m.abs()] * degree_mask(L)[..., None]
    ring = torch.einsum("lmk,...lm->...km", P.to(a), a)
    c, s = ring[..., L - 1:], ring[..., : L - 1].flip(-1)
    X = torch.complex(c, torch.cat([torch.zeros_like(c[..., :1]), -s], -1))
    X = torch.cat([X[..., :1], X[..., 1:] / math.sqrt(2)], -1)
    return torch.fft.irfft(X, n=nlon, dim=-1, norm="forward")


@pytest.mark.parametrize("L, nlat, nlon", [(1, 1, 2), (4, 4, 8), (5, 9, 13), (16, 17, 40), (32, 32, 64)])
def test_sht_layout_matches_the_plain_einsum(L, nlat, nlon):
    # the tables laid out (m, l, k) for one batched matmul compute the same sums: 1e-13 in float64,
    # 1e-6 (relative to the largest coefficient) in float32
    g = torch.Generator().manual_seed(L)
    x = torch.randn(2, 3, nlat, nlon, dtype=torch.float64, generator=g)
    ref = _sht_plain(x, L)
    assert sht(x, L).shape == ref.shape == (2, 3, L, 2 * L - 1)
    assert (sht(x, L) - ref).abs().max() < 1e-13 * ref.abs().max()
    assert (sht(x.float(), L).double() - ref).abs().max() < 1e-6 * ref.abs().max()
    a = _coeffs(L, 2, seed=L)
    ref = _isht_plain(a, nlat, nlon)
    assert (isht(a, nlat, nlon) - ref).abs().max() < 1e-13 * ref.abs().max()
    assert (isht(a.float(), nlat, nlon).double() - ref).abs().max() < 1e-6 * ref.abs().max()


def test_sht_gradients_match_the_plain_einsum():
    L = 6
    x = torch.randn(2, L, 2 * L, dtype=torch.float64, generator=torch.Generator().manual_seed(3),
                    requires_grad=True)
    w = torch.randn(2, L, 2 * L - 1, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    (g,) = torch.autograd.grad((sht(x) * w).sum(), x)
    (g_ref,) = torch.autograd.grad((_sht_plain(x, L) * w).sum(), x)
    assert (g - g_ref).abs().max() < 1e-13
    a = _coeffs(L, 2, seed=5).requires_grad_(True)
    y = torch.randn(2, L, 2 * L, dtype=torch.float64, generator=torch.Generator().manual_seed(6))
    (g,) = torch.autograd.grad((isht(a) * y).sum(), a)
    (g_ref,) = torch.autograd.grad((_isht_plain(a, L, 2 * L) * y).sum(), a)
    assert (g - g_ref).abs().max() < 1e-13


# ------------------------------------------------------------------ rotations
@given(seeds)
def test_wigner_matches_pointwise_rotation(seed):
    L = 7
    a = _coeffs(L, seed=seed)
    g = _angles(1, seed)[0]
    R = euler_to_matrix(g)
    pointwise = torch.einsum("kjlm,lm->kj", real_sh(L, grid_points(L) @ R), a)  # x(R^{-1} u)
    assert (isht(rotate_coeffs(a, g)) - pointwise).abs().max() < 1e-11


@given(seeds)
def test_wigner_homomorphism_orthogonal_character(seed):
    L = 6
    g = _angles(2, seed)
    R = euler_to_matrix(g)
    D = wigner_D(L, g)
    D12 = wigner_D(L, matrix_to_euler(R[0] @ R[1]))
    assert (D12 - D[0] @ D[1]).abs().max() < 1e-11
    blocks = degree_mask(L)[:, :, None] & degree_mask(L)[:, None, :]
    assert (D @ D.transpose(-1, -2) - torch.eye(2 * L - 1, dtype=torch.float64) * blocks).abs().max() < 1e-11
    omega = torch.arccos(((R[0].trace() - 1) / 2).clamp(-1, 1))
    ell = torch.arange(L, dtype=torch.float64)
    chi = torch.sin((2 * ell + 1) * omega / 2) / torch.sin(omega / 2)
    assert (D[0].diagonal(dim1=-2, dim2=-1).sum(-1) - chi).abs().max() < 1e-9


def _wigner_q_full_grid(L):
    """D^l(Q), Q = R_x(-π/2), as first computed: the SHT of all L² functions Y_lm(Qu) at once, keeping the
    diagonal blocks (O(L⁴) memory); the reference for the degree-by-degree quadrature."""
    Q = torch.tensor([[1.0, 0, 0], [0, 0, 1], [0, -1, 0]], dtype=torch.float64)
    full = sht(real_sh(L, grid_points(L) @ Q.T).permute(2, 3, 0, 1))  # (L, 2L-1, L, 2L-1)
    ell = torch.arange(L)
    return full[ell, :, ell, :]


@pytest.mark.parametrize("L", [1, 2, 5, 16, 24])
def test_wigner_q_by_degree_matches_the_full_grid(L):
    from gdl.spheres import _wigner_q

    D = _wigner_q(L)
    assert (D - _wigner_q_full_grid(L)).abs().max() < 1e-10
    blocks = degree_mask(L)[:, :, None] & degree_mask(L)[:, None, :]
    assert (D @ D.transpose(-1, -2) - torch.eye(2 * L - 1, dtype=torch.float64) * blocks).abs().max() < 1e-12


def test_wigner_large_bandwidth_orthogonal_and_homomorphic():
    # L = 40: beyond what the character test above reaches, every block orthogonal and D(R1 R2) = D(R1) D(R2)
    L = 40
    g = _angles(2, 7)
    R = euler_to_matrix(g)
    D = wigner_D(L, g)
    blocks = degree_mask(L)[:, :, None] & degree_mask(L)[:, None, :]
    assert (D @ D.transpose(-1, -2) - torch.eye(2 * L - 1, dtype=torch.float64) * blocks).abs().max() < 1e-11
    assert (wigner_D(L, matrix_to_euler(R[0] @ R[1])) - D[0] @ D[1]).abs().max() < 1e-10


@given(st.integers(-20, 20), seeds)
def test_rotate_z_is_polar_rotation(k, seed):
    L = 10
    a = _coeffs(L, 2, seed=seed)
    g = torch.tensor([2 * math.pi * k / (2 * L), 0.0, 0.0], dtype=torch.float64)
    assert (rotate_z(isht(a), k) - isht(rotate_coeffs(a, g))).abs().max() < 1e-11


@pytest.mark.parametrize("beta", [0.0, 1e-13, 1e-9, 0.7, math.pi - 1e-9, math.pi - 1e-13, math.pi])
def test_matrix_to_euler_round_trip(beta):
    g = torch.tensor([0.4, beta, -1.1], dtype=torch.float64)
    R = euler_to_matrix(g)
    assert (euler_to_matrix(matrix_to_euler(R)) - R).abs().max() < 1e-12  # near the poles too


def test_identity_survives_the_angles():
    """g g^-1 is the identity to rounding: beta comes from atan2, not from arccos(1 - tiny)."""
    G = SO3()
    for g in G.sample(20, torch.Generator().manual_seed(0)):
        identity = euler_to_matrix(G.compose(g, G.inverse(g)))
        assert (identity - torch.eye(3, dtype=torch.float64)).abs().max() < 1e-12


def test_so3_samples_the_shared_haar_sampler():
    """SO3 is a Group, and its samples are the matrices of gdl.symmetry.random_rotation, as angles."""
    G = SO3()
    assert isinstance(G, Group)
    assert all(check_group_axioms(G, G.sample(6, torch.Generator().manual_seed(5))).values())
    g = G.sample(50, torch.Generator().manual_seed(3))
    assert g.shape == (50, 3) and g.dtype == torch.float64
    R = random_rotation(50, 3, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    assert (euler_to_matrix(g) - R).abs().max() < 1e-10
    assert bool(((g[:, 1] >= 0) & (g[:, 1] <= math.pi)).all())  # beta in [0, pi]
    # Haar: the rotation angle w has density (1 - cos w) / pi, so E[trace R] = E[1 + 2 cos w] = 0
    many = euler_to_matrix(G.sample(4000, torch.Generator().manual_seed(4)))
    assert abs(float(many.diagonal(dim1=-2, dim2=-1).sum(-1).mean())) < 0.1


def test_so3_group_axioms_and_axis_angle():
    G = SO3()
    g, h = G.sample(2, torch.Generator().manual_seed(0))
    assert G.equal(G.compose(g, G.inverse(g)), G.identity())
    assert G.contains(G.compose(g, h))
    R = axis_angle_to_matrix(torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64),
                             torch.tensor(0.3, dtype=torch.float64))
    assert (R - euler_to_matrix(torch.tensor([0.3, 0.0, 0.0], dtype=torch.float64))).abs().max() < 1e-14
    u = torch.randn(5, 3, dtype=torch.float64)
    assert torch.allclose(G.act(G.compose(g, h), u), G.act(g, G.act(h, u)))


# ------------------------------------------------------------------ layers
@given(st.integers(1, 3), st.integers(1, 3), st.integers(2, 10), seeds)
def test_spherical_conv_equivariant_float64(c_in, c_out, L, seed):
    torch.manual_seed(seed)
    conv = SphericalConv(c_in, c_out, L).double()
    x = isht(_coeffs(L, 2, c_in, seed=seed))
    err = check_equivariance(conv, x, _rot, _rot, _angles(3, seed))
    assert err < 1e-11


@given(seeds)
def test_spherical_conv_equivariant_float32_and_downsampling(seed):
    torch.manual_seed(seed)
    conv = SphericalConv(2, 3, 6, oversample=1.5)  # input bandwidth 12, output bandwidth 6 on a 9 x 18 grid
    x = isht(_coeffs(12, 2, 2, seed=seed, dtype=torch.float32))
    err = check_equivariance(conv, x, _rot, lambda g, y: rotate_signal(y, g, 6), _angles(3, seed))
    assert conv(x).shape == (2, 3, 9, 18)
    assert err < 1e-5


def test_non_zonal_weights_are_caught():
    """The equivariance test can fail: order-dependent weights are not SO(3)-equivariant."""
    L = 8
    w = torch.randn(L, 2 * L - 1, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    x = isht(_coeffs(L, 2))
    err = check_equivariance(lambda x: isht(sht(x) * w), x, _rot, _rot, _angles(3, 0))
    assert err > 1e-2


@given(seeds)
def test_sphere_mean_invariant(seed):
    L = 8
    x = isht(_coeffs(L, 3, seed=seed))
    err = check_equivariance(sphere_mean, x, _rot, _same, _angles(3, seed))
    assert err < 1e-12
    a = sht(x)
    assert torch.allclose(sphere_mean(x), a[..., 0, L - 1] / math.sqrt(4 * math.pi))


def test_nonlinearity_error_shrinks_with_grid():
    L = 6
    a = _coeffs(L, 2, seed=3)
    els = _angles(3, 1)

    def rot_c(g, a):
        return rotate_coeffs(a, g)

    def relu_on_grid(n):
        return lambda a: sht(torch.relu(isht(a, n)), L)

    errs = [check_equivariance(relu_on_grid(n), a, rot_c, rot_c, els) for n in (6, 12, 36)]
    assert errs[0] > errs[1] > errs[2] and errs[2] < errs[0] / 10


def test_model_invariance_and_oversampling():
    torch.manual_seed(0)
    model = SphericalCNN(1, 5, channels=(4, 8), bandwidths=(10, 5)).double()
    x = isht(_coeffs(10, 2, 1, seed=2))
    els = _angles(3, 0)
    e1 = check_equivariance(model.set_oversample(1), x, _rot, _same, els)
    e4 = check_equivariance(model.set_oversample(4), x, _rot, _same, els)
    assert e4 < e1 and e4 < 1e-2
    assert model(x).shape == (2, 5)


def test_project_to_sphere_rotation_consistent():
    img = torch.rand(2, 1, 8, 8)
    R = axis_angle_to_matrix(torch.tensor([[0.0, 0, 1], [0, 0, 1]], dtype=torch.float64),
                             torch.tensor([2 * math.pi * 3 / 32, 0.0], dtype=torch.float64))
    rotated = project_to_sphere(img, 16, R)
    # a polar rotation by 3 grid steps is a longitude shift by 3
    assert torch.allclose(rotated[0], rotate_z(project_to_sphere(img[:1], 16)[0], 3), atol=1e-5)
    assert torch.allclose(rotated[1], project_to_sphere(img[1:], 16)[0], atol=1e-6)


def test_plot_sphere_draws_one_closed_surface():
    import matplotlib.pyplot as plt

    x = isht(_coeffs(6, seed=4))  # (6, 12)
    ax = plot_sphere(x, cmap="RdBu_r", elev=10, azim=30)
    try:
        assert ax.name == "3d" and len(ax.collections) == 1  # one surface, axes hidden
        assert (ax.elev, ax.azim) == (10, 30) and not ax.axison
    finally:
        plt.close(ax.figure)
    with pytest.raises(ValueError, match=r"x must have shape \(nlat, nlon\)"):
        plot_sphere(x[None])


# ------------------------------------------------------------------ clear errors
def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., nlat, nlon\)"):
        sht(torch.zeros(5))
    with pytest.raises(ValueError, match="nlat >= L"):
        sht(torch.zeros(4, 8), L=6)
    with pytest.raises(ValueError, match=r"\(\.\.\., L, 2L-1\)"):
        isht(torch.zeros(4, 4))
    with pytest.raises(ValueError, match=r"nlon must be in \[7, ∞\), got 5"):
        isht(torch.zeros(4, 7), 4, 5)
    with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
        wigner_D(4, torch.zeros(2))
    with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
        real_sh(3, torch.zeros(4, 2))
    with pytest.raises(ValueError, match=r"n must be in \[1, ∞\)"):
        gauss_legendre(0)
    with pytest.raises(ValueError, match="C = 2"):
        SphericalConv(2, 3, 4)(torch.zeros(1, 3, 4, 8))
    with pytest.raises(ValueError, match="oversample"):
        SphericalConv(2, 3, 4, oversample=0.5)
    with pytest.raises(ValueError, match="images"):
        project_to_sphere(torch.zeros(8, 8), 8)
    with pytest.raises(ValueError, match="equal length"):
        SphericalCNN(channels=(4, 8), bandwidths=(8,))


# ------------------------------------------------------------------ SO(3) convolutions
def _blocks(L, *batch, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    F = torch.randn(*batch, L, 2 * L - 1, 2 * L - 1, generator=g, dtype=torch.float64) * block_mask(L)
    return F.to(dtype)


def _rot_blocks(g, F):
    return rotate_blocks(F, g)


def test_so3_grid_weights_and_shapes():
    angles, w = so3_grid(3)
    assert angles.shape == (3, 6, 6, 3) and w.shape == (3,)
    assert abs(float(w.sum()) * 36 - 1) < 1e-14  # the Haar measure has mass 1
    assert int(block_mask(4).sum()) == 4 * 7 * 9 // 3  # L(2L-1)(2L+1)/3 coefficients


@given(st.integers(1, 6), st.integers(0, 3), seeds)
def test_so3_transform_round_trip(L, extra, seed):
    F = _blocks(L, 2, seed=seed)
    assert (so3_ft(so3_ift(F, L + extra), L) - F).abs().max() < 1e-11


def test_so3_orthogonality_and_mean():
    """∫ D^l_mn D^l'_m'n' dR = δ/(2l+1) on the grid, and the mean is the l = 0 block."""
    L = 5
    F1, F2 = _blocks(L, seed=1), _blocks(L, seed=2)
    ell = torch.arange(L, dtype=torch.float64)[:, None, None]
    assert abs(float(so3_mean(so3_ift(F1) * so3_ift(F2)) - (F1 * F2 / (2 * ell + 1)).sum())) < 1e-12
    assert abs(float(so3_mean(so3_ift(F1, 7)) - F1[0, L - 1, L - 1])) < 1e-13


@given(seeds)
def test_rotate_blocks_is_the_left_regular_representation(seed):
    L = 4
    F = _blocks(L, seed=seed)
    Q = _angles(2, seed)
    S = euler_to_matrix(so3_grid(L)[0].reshape(-1, 3))
    R_inv_S = matrix_to_euler(euler_to_matrix(Q)[:, None].transpose(-1, -2) @ S)
    direct = torch.einsum("qpK,K->qp", wigner_D(L, R_inv_S)[..., block_mask(L)], F[block_mask(L)])
    assert (so3_ift(rotate_blocks(F, Q)).flatten(-3) - direct).abs().max() < 1e-12
    g12 = matrix_to_euler(euler_to_matrix(Q[0]) @ euler_to_matrix(Q[1]))
    assert (rotate_blocks(F, g12) - rotate_blocks(rotate_blocks(F, Q[1]), Q[0])).abs().max() < 1e-12


def test_lift_matches_its_integral():
    torch.manual_seed(0)
    L = 5
    lift = S2ToSO3Conv(2, 3, L).double()
    x = isht(_coeffs(L, 1, 2, seed=3))
    Q = _angles(3, 1)
    R = euler_to_matrix(Q)
    with torch.no_grad():
        psi = lift.weight * degree_mask(L)
        Y = real_sh(L, torch.einsum("qij,kpi->qkpj", R, grid_points(L)))  # Y(R^T u)
        quad = torch.einsum("bikp,qkplm,oilm,k->bqo", x, Y, psi, sphere_grid(L)[2])
        blocks = torch.einsum("qK,boK->bqo", wigner_D(L, Q)[:, block_mask(L)], lift(x)[..., block_mask(L)])
    assert (quad - blocks).abs().max() < 1e-12 * quad.abs().max()


def test_group_correlation_matches_its_integral():
    torch.manual_seed(1)
    L = 4
    conv = SO3Conv(2, 3, L).double()
    F = _blocks(L, 1, 2, seed=4)
    Q = _angles(3, 2)
    R = euler_to_matrix(Q)
    S = euler_to_matrix(so3_grid(L)[0].reshape(-1, 3))
    w = so3_grid(L)[1][:, None].expand(L, 4 * L * L).reshape(-1)
    with torch.no_grad():
        D = wigner_D(L, matrix_to_euler(R.transpose(-1, -2)[:, None] @ S))[..., block_mask(L)]  # (q, P, K)
        Psi = torch.einsum("qpK,oiK->qoip", D, (conv.weight * block_mask(L))[..., block_mask(L)])
        quad = torch.einsum("bip,qoip,p->bqo", so3_ift(F).flatten(-3), Psi, w)
        blocks = torch.einsum("qK,boK->bqo", wigner_D(L, Q)[:, block_mask(L)], conv(F)[..., block_mask(L)])
    assert (quad - blocks).abs().max() < 1e-12 * quad.abs().max()


@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 7), seeds)
def test_lift_equivariant_float64(c_in, c_out, L, seed):
    torch.manual_seed(seed)
    lift = S2ToSO3Conv(c_in, c_out, L).double()
    x = isht(_coeffs(L, 2, c_in, seed=seed))
    assert check_equivariance(lift, x, _rot, _rot_blocks, _angles(3, seed)) < 1e-12


@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 6), st.integers(0, 2), seeds)
def test_group_correlation_equivariant_float64(c_in, c_out, L, extra, seed):
    torch.manual_seed(seed)
    conv = SO3Conv(c_in, c_out, L).double()
    F = _blocks(L + extra, 2, c_in, seed=seed)  # higher input degrees are dropped
    assert conv(F).shape == (2, c_out, L, 2 * L - 1, 2 * L - 1)
    assert check_equivariance(conv, F, _rot_blocks, _rot_blocks, _angles(3, seed)) < 1e-12


@given(seeds)
def test_so3_layers_equivariant_float32(seed):
    torch.manual_seed(seed)
    L = 6
    lift, conv = S2ToSO3Conv(2, 3, L), SO3Conv(3, 2, L)
    x = isht(_coeffs(L, 2, 2, seed=seed, dtype=torch.float32))
    F = _blocks(L, 2, 3, seed=seed, dtype=torch.float32)
    assert check_equivariance(lift, x, _rot, _rot_blocks, _angles(3, seed)) < 1e-5
    assert check_equivariance(conv, F, _rot_blocks, _rot_blocks, _angles(3, seed)) < 1e-5


def test_so3_layers_are_not_trivially_equivariant():
    """The test has teeth: the transposed product F̂ᵀ Ψ̂ is not equivariant."""
    torch.manual_seed(0)
    conv = SO3Conv(1, 1, 5).double()
    F = _blocks(5, 2, 1, seed=1)
    err = check_equivariance(lambda F: conv(F.transpose(-1, -2)), F, _rot_blocks, _rot_blocks, _angles(3, 0))
    assert err > 1e-2


def test_so3cnn_invariance_improves_with_oversampling():
    torch.manual_seed(0)
    model = SO3CNN(1, 5, channels=(3, 4), bandwidths=(6, 4)).double()
    x = isht(_coeffs(6, 2, 1, seed=2))
    els = _angles(3, 0)
    e1 = check_equivariance(model.set_oversample(1), x, _rot, _same, els)
    e3 = check_equivariance(model.set_oversample(3), x, _rot, _same, els)
    assert e3 < e1 / 2 and e3 < 1e-2
    assert model(x).shape == (2, 5)
    single = SO3CNN(1, 3, channels=(2,), bandwidths=(4,)).double()  # a lifting layer alone
    assert single(x).shape == (2, 3)


def test_mirror_zonal_invariant_so3_not():
    """Zonal networks are O(3)-invariant; SO(3) convolutions need not be."""
    torch.manual_seed(0)
    x = torch.rand(3, 1, 12, 12, dtype=torch.float64)
    s, mirrored = project_to_sphere(x, 16, extent=1.0), project_to_sphere(x.flip(-2), 16, extent=1.0)
    assert (mirrored - torch.roll(s.flip(-1), 1, dims=-1)).abs().max() < 1e-12
    zonal = SphericalCNN(1, 4, channels=(3, 4), bandwidths=(16, 8)).double()
    so3_net = SO3CNN(1, 4, channels=(3, 4), bandwidths=(6, 4)).double()
    with torch.no_grad():
        dz = (zonal(s) - zonal(mirrored)).norm() / zonal(s).norm()
        ds = (so3_net(s) - so3_net(mirrored)).norm() / so3_net(s).norm()
    assert dz < 1e-12 and ds > 1e-6  # round-off is 1e-16: ten orders of magnitude apart


def test_so3_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match=r"n must be in \[1, ∞\)"):
        so3_grid(0)
    with pytest.raises(ValueError, match=r"blocks of shape \(\.\.\., L, 2L-1, 2L-1\)"):
        so3_ift(torch.zeros(3, 5, 4))
    with pytest.raises(ValueError, match=r"n must be in \[4, ∞\), got 3"):
        so3_ift(_blocks(4), 3)
    with pytest.raises(ValueError, match=r"L must be in \[1, 3\]"):
        so3_ft(torch.zeros(3, 6, 6), 4)
    with pytest.raises(ValueError, match=r"\(\.\.\., n, 2n, 2n\)"):
        so3_ft(torch.zeros(3, 6, 5), 2)
    with pytest.raises(ValueError, match="x must hold samples"):
        so3_mean(torch.zeros(3, 5, 6))
    with pytest.raises(ValueError, match="F must hold SO"):
        rotate_blocks(torch.zeros(3, 4, 4), torch.zeros(3))
    with pytest.raises(ValueError, match="C = 2"):
        S2ToSO3Conv(2, 3, 4)(torch.zeros(1, 3, 4, 8))
    with pytest.raises(ValueError, match=r"L must be in \[1, ∞\)"):
        S2ToSO3Conv(2, 3, 0)
    with pytest.raises(ValueError, match="L' >= L = 5"):
        SO3Conv(2, 3, 5)(_blocks(4, 1, 2))
    with pytest.raises(ValueError, match=r"in_channels must be in \[1, ∞\)"):
        SO3Conv(0, 3, 5)
    with pytest.raises(ValueError, match="equal length"):
        SO3CNN(channels=(4, 8), bandwidths=(8,))
    with pytest.raises(ValueError, match="must not increase"):
        SO3CNN(channels=(4, 8), bandwidths=(4, 8))
    with pytest.raises(ValueError, match="oversample"):
        SO3CNN(oversample=0.5)
    with pytest.raises(ValueError, match="extent"):
        project_to_sphere(torch.zeros(1, 1, 8, 8), 8, extent=0)


# ------------------------------------------------------------------ bad input: the examples
def test_integer_input_is_promoted_not_truncated():
    ints = torch.arange(32).view(4, 8) % 5  # an integer signal on the 4 x 8 grid
    mean = sphere_mean(ints)
    assert mean.is_floating_point() and mean > 1  # was 0: the weights were cast to integers
    torch.testing.assert_close(mean, sphere_mean(ints.float()))
    R = euler_to_matrix(torch.tensor([1, 2, 3]))  # was an integer zero matrix
    assert R.is_floating_point()
    torch.testing.assert_close(R, euler_to_matrix(torch.tensor([1.0, 2.0, 3.0])))
    g = torch.tensor([0.3, 0.2, 0.1], dtype=torch.float64)
    torch.testing.assert_close(SO3().act(g, torch.tensor([[1, 0, 0]])),
                               SO3().act(g, torch.tensor([[1.0, 0, 0]])))
    torch.testing.assert_close(sht(ints), sht(ints.float()))
    torch.testing.assert_close(wigner_D(3, torch.tensor([1, 0, 2])), wigner_D(3, torch.tensor([1.0, 0, 2])))
    torch.testing.assert_close(so3_mean(torch.ones(3, 2, 4, 4, dtype=torch.long)), torch.ones(3))
    images = torch.randint(0, 255, (2, 1, 8, 8), dtype=torch.uint8)  # integer pixels: interpolated
    torch.testing.assert_close(project_to_sphere(images, 6), project_to_sphere(images.float(), 6))


def test_empty_batches_give_empty_results():
    torch.manual_seed(0)
    empty = torch.zeros(0, 2, 4, 8)
    assert sht(empty).shape == (0, 2, 4, 7) and isht(torch.zeros(0, 4, 7), 5).shape == (0, 5, 10)
    assert so3_ift(torch.zeros(0, 3, 5, 5)).shape == (0, 3, 6, 6)
    assert so3_ft(torch.zeros(0, 3, 6, 6), 2).shape == (0, 2, 3, 3)
    assert SphericalConv(2, 3, 4, oversample=1.5)(empty).shape == (0, 3, 6, 12)
    assert SphericalCNN(2, 5, (3, 4), (4, 2))(empty).shape == (0, 5)
    assert S2ToSO3Conv(2, 3, 4)(empty).shape == (0, 3, 4, 7, 7)
    assert SO3Conv(3, 2, 3)(torch.zeros(0, 3, 4, 7, 7)).shape == (0, 2, 3, 5, 5)
    assert SO3CNN(2, 5, (3, 4), (4, 2))(empty).shape == (0, 5)
    # and a non-empty batch still gives the numbers of its members one by one
    x = torch.randn(3, 2, 4, 8)
    conv = SphericalConv(2, 3, 4)
    torch.testing.assert_close(conv(x)[1:2], conv(x[1:2]))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_functions_follow_the_input_dtype(dtype):
    L = 4
    a = _coeffs(L, 2, dtype=dtype)
    angles = _angles(2, 0).to(dtype)
    assert isht(a).dtype == sht(isht(a)).dtype == dtype
    assert wigner_D(L, angles).dtype == rotate_coeffs(a, angles).dtype == dtype
    assert rotate_signal(isht(a), angles).dtype == dtype
    assert rotate_blocks(_blocks(L, 2, dtype=dtype), angles).dtype == dtype
    assert real_sh(L, grid_points(L).to(dtype)).dtype == dtype
    assert so3_ft(so3_ift(_blocks(L, dtype=dtype)), L).dtype == dtype
    assert euler_to_matrix(angles).dtype == matrix_to_euler(euler_to_matrix(angles)).dtype == dtype


def test_models_follow_module_double():
    torch.manual_seed(0)
    x = isht(_coeffs(6, 2, 1))  # float64 signals (2, 1, 6, 12)
    for model in (SphericalCNN(1, 3, (2, 3), (6, 3)), SO3CNN(1, 3, (2, 3), (6, 3))):
        with pytest.raises(TypeError, match=r"\.double\(\)"):
            model(x)
        out = model.double()(x)
        assert out.dtype == torch.float64 and out.shape == (2, 3)
        torch.testing.assert_close(out.float(), model.float()(x.float()), atol=1e-5, rtol=1e-4)


def test_bad_arguments_are_refused_by_name():
    with pytest.raises(ValueError, match=r"x must lie on a .* L = 8, got shape \(2, 8, 8\)"):
        sht(torch.zeros(2, 8, 8), 8)  # 8 longitudes cannot hold the orders |m| < 8
    with pytest.raises(ValueError, match="angles holds 1 non-finite"):
        wigner_D(3, torch.tensor([0.0, float("inf"), 0.0]))
    with pytest.raises(ValueError, match="g holds 1 non-finite"):
        SO3().inverse(torch.tensor([float("nan"), 0.0, 0.0]))
    with pytest.raises(ValueError, match="R must hold rotation matrices"):
        matrix_to_euler(torch.diag(torch.tensor([1.0, 1.0, -1.0])))  # a reflection has no Euler angles
    with pytest.raises(ValueError, match="bandwidths: 8 after 4"):
        SphericalCNN(1, 3, (2, 2), (4, 8))
    SphericalCNN(1, 3, (2, 2), (4, 8), oversample=2)  # the finer grid holds the next bandwidth
    with pytest.raises(ValueError, match="t must hold cosines"):
        legendre(3, torch.tensor([2.0]))
    with pytest.raises(ValueError, match="angles must have a batch shape"):
        rotate_coeffs(_coeffs(3, 2), _angles(3, 0))


def test_returned_tensors_do_not_alias_the_caches():
    L = 3
    D = wigner_D(L, torch.zeros(3, dtype=torch.float64))
    D.zero_()
    torch.testing.assert_close(wigner_D(L, torch.zeros(3, dtype=torch.float64))[1, 1:4, 1:4],
                               torch.eye(3, dtype=torch.float64))
    a = _coeffs(L)
    x = isht(a)
    x.zero_()
    torch.testing.assert_close(sht(isht(a)), a)
    F = so3_ift(_blocks(L))
    F.zero_()
    torch.testing.assert_close(so3_ft(so3_ift(_blocks(L)), L), _blocks(L))
