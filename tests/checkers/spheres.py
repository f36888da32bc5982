"""Cases for the checkers of the chapter "Spheres" (gdl.exercises.spheres): solutions and wrong answers."""
import math

import torch

from gdl.exercises.spheres import check_funk_hecke, check_power_spectrum, check_rotate_z
from gdl.spheres import gauss_legendre, isht, legendre, rotate_coeffs, rotate_z, sht, wigner_D


def rotate_z_coeffs(a, alpha):
    L = a.shape[-2]
    m = torch.arange(-(L - 1), L, dtype=a.dtype)
    return torch.cos(m * alpha) * a - torch.sin(m * alpha) * a.flip(-1)


def power_spectrum(x):
    return (sht(x) ** 2).sum(-1)


def funk_hecke(theta, L):
    t, w = gauss_legendre(2 * L + 20)
    P_l = legendre(L, t)[:, 0] * torch.sqrt(4 * math.pi / (2 * torch.arange(L) + 1.0))[:, None]
    return 2 * math.pi * (P_l * theta(t) * w).sum(-1)


def rotate_z_on_the_grid(a, alpha):
    """Right on grid multiples only: rounds alpha to the nearest longitude step."""
    L = a.shape[-2]
    return sht(rotate_z(isht(a), round(alpha * L / math.pi)))


def with_wigner_D(a, alpha):
    """Right values, through the forbidden wigner_D."""
    D = wigner_D(a.shape[-2], torch.tensor([alpha, 0.0, 0.0], dtype=a.dtype))
    return torch.einsum("lmn,...ln->...lm", D, a)


def cos_part_only(a, alpha):
    """Ignores the sine term: each coefficient scaled by cos(m alpha)."""
    L = a.shape[-2]
    return torch.cos(torch.arange(-(L - 1), L, dtype=a.dtype) * alpha) * a


def funk_hecke_heat_only(theta, L):
    """Ignores theta: always the heat kernel of the chapter's example, kappa = 6."""
    return funk_hecke(lambda t: torch.exp(6 * (t - 1)), L)


def funk_hecke_normalised(theta, L):
    """Uses the normalised bar P_l^0 for P_l (forgets sqrt(4 pi / (2l + 1)))."""
    t, w = gauss_legendre(2 * L + 20)
    return 2 * math.pi * (legendre(L, t)[:, 0] * theta(t) * w).sum(-1)


def funk_hecke_few_nodes(theta, L):
    """A quadrature rule too coarse for theta(t) P_l(t)."""
    t, w = gauss_legendre(L // 2 + 1)
    P_l = legendre(L, t)[:, 0] * torch.sqrt(4 * math.pi / (2 * torch.arange(L) + 1.0))[:, None]
    return 2 * math.pi * (P_l * theta(t) * w).sum(-1)


CASES = {
    "check_rotate_z": {
        "solution": lambda: check_rotate_z(rotate_z_coeffs),
        "wrong": {
            "constant": lambda: check_rotate_z(lambda a, alpha: torch.zeros_like(a)),
            "shape only: unrotated": lambda: check_rotate_z(lambda a, alpha: a),
            "calls the forbidden rotate_coeffs": lambda: check_rotate_z(
                lambda a, alpha: rotate_coeffs(a, torch.tensor([alpha, 0.0, 0.0], dtype=a.dtype))),
            "calls the forbidden wigner_D": lambda: check_rotate_z(with_wigner_D),
            "the opposite sense": lambda: check_rotate_z(lambda a, alpha: rotate_z_coeffs(a, -alpha)),
            "grid multiples only": lambda: check_rotate_z(rotate_z_on_the_grid),
            "ignores the sine part": lambda: check_rotate_z(cos_part_only),
        },
    },
    "check_power_spectrum": {
        "solution": lambda: check_power_spectrum(power_spectrum),
        "wrong": {
            "constant": lambda: check_power_spectrum(lambda x: torch.zeros(x.shape[:-1], dtype=x.dtype)),
            "shape only: the ring means": lambda: check_power_spectrum(lambda x: x.mean(-1)),
            "not squared": lambda: check_power_spectrum(lambda x: sht(x).abs().sum(-1)),
            "only m = 0": lambda: check_power_spectrum(lambda x: sht(x)[..., x.shape[-2] - 1] ** 2),
            "per order, not per degree": lambda: check_power_spectrum(lambda x: (sht(x) ** 2).sum(-2)),
            "hard-coded L = 8": lambda: check_power_spectrum(lambda x: (sht(x, 8) ** 2).sum(-1)),
            "the energy per ring": lambda: check_power_spectrum(lambda x: (x ** 2).sum(-1)),
        },
    },
    "check_funk_hecke": {
        "solution": lambda: check_funk_hecke(funk_hecke),
        "wrong": {
            "constant": lambda: check_funk_hecke(lambda theta, L: torch.ones(L, dtype=torch.float64)),
            "shape only": lambda: check_funk_hecke(
                lambda theta, L: torch.linspace(1, 0, L, dtype=torch.float64)),
            "ignores theta": lambda: check_funk_hecke(funk_hecke_heat_only),
            "forgets 2 pi": lambda: check_funk_hecke(lambda theta, L: funk_hecke(theta, L) / (2 * math.pi)),
            "normalised Legendre": lambda: check_funk_hecke(funk_hecke_normalised),
            "hard-coded L = 10": lambda: check_funk_hecke(lambda theta, L: funk_hecke(theta, 10)),
            "too few quadrature nodes": lambda: check_funk_hecke(funk_hecke_few_nodes),
        },
    },
}
