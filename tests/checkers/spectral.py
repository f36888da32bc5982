"""Cases for the checkers of chapters/12_spectral.md: the solutions, and wrong answers each must reject."""
import math

import numpy as np
import torch

from gdl.exercises.spectral import check_chebyshev_basis, check_cycle_fourier_basis, check_heat_filter
from gdl.spectral import ChebConv

# --- the Chebyshev recursion ---------------------------------------------------------------------------


def chebyshev_basis(x, lap, K):
    out = [x]
    if K > 1:
        out.append(lap @ x)
    for _ in range(2, K):
        out.append(2 * lap @ out[-1] - out[-2])
    return torch.stack(out)


def monomials(x, lap, K):  # L~^k x instead of T_k(L~) x
    out = [x]
    for _ in range(1, K):
        out.append(lap @ out[-1])
    return torch.stack(out)


def no_factor_two(x, lap, K):  # T_k = L~ T_{k-1} - T_{k-2}
    out = [x]
    if K > 1:
        out.append(lap @ x)
    for _ in range(2, K):
        out.append(lap @ out[-1] - out[-2])
    return torch.stack(out)


def one_term_too_many(x, lap, K):
    return chebyshev_basis(x, lap, K + 1)


def starts_at_t1(x, lap, K):  # T_1 ... T_K
    return chebyshev_basis(x, lap, K + 1)[1:]


# --- the Fourier basis of the cycle ------------------------------------------------------------------------


def cycle_fourier_basis(n, scale_cos=None, sines=True, lam_fn=None):
    u = torch.arange(n, dtype=torch.float64)
    evals, vecs = [0.0], [torch.full((n,), n ** -0.5, dtype=torch.float64)]
    for k in range(1, n // 2 + 1):
        angle = 2 * math.pi * k * u / n
        lam = 2 - 2 * math.cos(2 * math.pi * k / n) if lam_fn is None else lam_fn(k, n)
        norm = (2 / n) ** 0.5 if scale_cos is None else scale_cos
        if 2 * k == n:
            evals.append(lam)
            vecs.append(torch.cos(angle) / n ** 0.5)
        else:
            evals += [lam, lam]
            vecs += [torch.cos(angle) * norm, (torch.sin(angle) if sines else torch.cos(angle)) * norm]
    return torch.tensor(evals, dtype=torch.float64), torch.stack(vecs, dim=1)


def with_eigensolver(n):
    lap = 2 * torch.eye(n, dtype=torch.float64) - torch.roll(torch.eye(n, dtype=torch.float64), 1, 0) \
        - torch.roll(torch.eye(n, dtype=torch.float64), -1, 0)
    return torch.linalg.eigh(lap)


def unsorted(n):
    evals, evecs = cycle_fourier_basis(n)
    return evals.flip(0), evecs.flip(1)


# --- the heat filter as a polynomial ---------------------------------------------------------------------


def heat_filter(x, edge_index, t, K):
    coeffs = np.polynomial.chebyshev.chebinterpolate(lambda s: np.exp(-t * (s + 1)), K - 1)
    conv = ChebConv(x.shape[1], x.shape[1], K=K, bias=False).to(x.dtype)
    with torch.no_grad():
        for lin, c in zip(conv.lins, coeffs, strict=True):
            lin.weight.copy_(float(c) * torch.eye(x.shape[1]))
        return conv(x, edge_index, lambda_max=2.0)


def taylor(x, edge_index, t, K):  # sum_k (-t L~ - t)^k / k!: too few terms for large t
    conv = ChebConv(x.shape[1], x.shape[1], K=2, bias=False).to(x.dtype)
    with torch.no_grad():
        conv.lins[0].weight.copy_(-t * torch.eye(x.shape[1]))
        conv.lins[1].weight.copy_(-t * torch.eye(x.shape[1]))
        term, out = x, x.clone()
        for k in range(1, K):
            term = conv(term, edge_index, lambda_max=2.0) / k  # (-t L) term / k
            out = out + term
    return out


def no_shift(x, edge_index, t, K):  # exp(-t L~) instead of exp(-t (L~ + I))
    return heat_filter(x, edge_index, t, K) * math.exp(t)


def growing(x, edge_index, t, K):  # exp(+t L)
    return heat_filter(x, edge_index, -t, K)


CASES = {
    "check_chebyshev_basis": {
        "solution": lambda: check_chebyshev_basis(chebyshev_basis),
        "wrong": {
            "constant (the starter)": lambda: check_chebyshev_basis(lambda x, lap, K: None),
            "x repeated": lambda: check_chebyshev_basis(lambda x, lap, K: x.expand(K, *x.shape)),
            "monomials": lambda: check_chebyshev_basis(monomials),
            "no factor 2": lambda: check_chebyshev_basis(no_factor_two),
            "K + 1 terms": lambda: check_chebyshev_basis(one_term_too_many),
            "T_1 ... T_K": lambda: check_chebyshev_basis(starts_at_t1),
        },
    },
    "check_cycle_fourier_basis": {
        "solution": lambda: check_cycle_fourier_basis(cycle_fourier_basis),
        "wrong": {
            "constant (the starter)": lambda: check_cycle_fourier_basis(lambda n: (None, None)),
            "an eigensolver": lambda: check_cycle_fourier_basis(with_eigensolver),
            "unnormalised": lambda: check_cycle_fourier_basis(
                lambda n: cycle_fourier_basis(n, scale_cos=1.0)),
            "cosines twice": lambda: check_cycle_fourier_basis(lambda n: cycle_fourier_basis(n, sines=False)),
            "eigenvalues 2 cos": lambda: check_cycle_fourier_basis(
                lambda n: cycle_fourier_basis(n, lam_fn=lambda k, n: 2 * math.cos(2 * math.pi * k / n))),
            "descending": lambda: check_cycle_fourier_basis(unsorted),
            "identity": lambda: check_cycle_fourier_basis(
                lambda n: (torch.zeros(n), torch.eye(n, dtype=torch.float64))),
        },
    },
    "check_heat_filter": {
        "solution": lambda: check_heat_filter(heat_filter),
        "wrong": {
            "constant (the starter)": lambda: check_heat_filter(lambda x, e, t, K: None),
            "the input": lambda: check_heat_filter(lambda x, e, t, K: x),
            "Taylor series": lambda: check_heat_filter(taylor),
            "forgot the shift": lambda: check_heat_filter(no_shift),
            "exp(+t L)": lambda: check_heat_filter(growing),
            "too few terms": lambda: check_heat_filter(lambda x, e, t, K: heat_filter(x, e, t, 5)),
        },
    },
}
