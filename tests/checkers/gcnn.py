"""Cases for the checkers of the chapter "Groups" (gdl.exercises.gcnn): solutions and wrong answers."""
import math

import torch

from gdl.exercises.gcnn import check_compose, check_interpolated_bank, check_symmetrize
from gdl.gcnn import rotate_image


def compose(a, b):
    (r1, m1), (r2, m2) = a, b
    return ((r1 + (-1) ** m1 * r2) % 4, (m1 + m2) % 2)


def interpolated_bank(weight, n):
    return torch.stack([rotate_image(weight, 2 * math.pi * i / n) for i in range(n)])


def symmetrize(W):
    N = W.shape[-1]
    P = torch.eye(N, dtype=W.dtype).roll(1, dims=0)
    Ps = [torch.linalg.matrix_power(P, g) for g in range(N)]
    return sum(Pg @ W @ Pg.T for Pg in Ps) / N


def bank_by_steps(weight, n):
    """Rotates copy i-1 by 2 pi / n: the interpolation blur compounds copy after copy."""
    copies = [weight]
    for _ in range(n - 1):
        copies.append(rotate_image(copies[-1], 2 * math.pi / n))
    return torch.stack(copies)


def bank_first_two(weight, n):
    """Copies 0 and 1 right, the rest a repeat of copy 1 (the old checker looked only at those)."""
    one = rotate_image(weight, 2 * math.pi / n)
    return torch.stack([weight] + [one] * (n - 1))


def symmetrize_c4_only(W):
    """Hard-codes the four shifts of C4."""
    P = torch.eye(4, dtype=W.dtype).roll(1, dims=0)
    return sum(torch.linalg.matrix_power(P, g) @ W @ torch.linalg.matrix_power(P, g).T for g in range(4)) / 4


def symmetrize_wrong_conjugation(W):
    """P_g W P_g instead of P_g W P_g^-1: commutes with the shifts only by luck."""
    N = W.shape[-1]
    P = torch.eye(N, dtype=W.dtype).roll(1, dims=0)
    return sum(torch.linalg.matrix_power(P, g) @ W @ torch.linalg.matrix_power(P, g) for g in range(N)) / N


CASES = {
    "check_compose": {
        "solution": lambda: check_compose(compose),
        "wrong": {
            "constant": lambda: check_compose(lambda a, b: (0, 0)),
            "shape only: returns a": lambda: check_compose(lambda a, b: a),
            "ignores M R M = R^-1 (direct product)": lambda: check_compose(
                lambda a, b: ((a[0] + b[0]) % 4, (a[1] + b[1]) % 2)),
            "the wrong order (first a, then b)": lambda: check_compose(lambda a, b: compose(b, a)),
            "the sign from b's mirror": lambda: check_compose(
                lambda a, b: ((a[0] + (-1) ** b[1] * b[0]) % 4, (a[1] + b[1]) % 2)),
            "not a pair": lambda: check_compose(lambda a, b: compose(a, b)[0]),
        },
    },
    "check_interpolated_bank": {
        "solution": lambda: check_interpolated_bank(interpolated_bank),
        "wrong": {
            "constant": lambda: check_interpolated_bank(lambda w, n: torch.zeros(n, *w.shape)),
            "shape only: n unrotated copies": lambda: check_interpolated_bank(
                lambda w, n: w.expand(n, *w.shape).clone()),
            "quarter turns only (rot90)": lambda: check_interpolated_bank(
                lambda w, n: torch.stack([torch.rot90(w, i, dims=(-2, -1)) for i in range(n)])),
            "only copies 0 and 1 right": lambda: check_interpolated_bank(bank_first_two),
            "clockwise": lambda: check_interpolated_bank(
                lambda w, n: torch.stack([rotate_image(w, -2 * math.pi * i / n) for i in range(n)])),
            "angles in degrees": lambda: check_interpolated_bank(
                lambda w, n: torch.stack([rotate_image(w, 360 * i / n) for i in range(n)])),
            "rotated step by step": lambda: check_interpolated_bank(bank_by_steps),
            "copies on the last axis": lambda: check_interpolated_bank(
                lambda w, n: interpolated_bank(w, n).movedim(0, -1)),
        },
    },
    "check_symmetrize": {
        "solution": lambda: check_symmetrize(symmetrize),
        "wrong": {
            "constant": lambda: check_symmetrize(lambda W: torch.zeros_like(W)),
            "shape only: W unchanged": lambda: check_symmetrize(lambda W: W),
            "the rolled first row (a circulant, not the average)": lambda: check_symmetrize(
                lambda W: torch.stack([W[0].roll(i) for i in range(W.shape[-1])])),
            "hard-coded C4": lambda: check_symmetrize(symmetrize_c4_only),
            "P W P instead of P W P^-1": lambda: check_symmetrize(symmetrize_wrong_conjugation),
            "a sum, not an average": lambda: check_symmetrize(lambda W: symmetrize(W) * W.shape[-1]),
            "the mean of the diagonal times ones": lambda: check_symmetrize(
                lambda W: torch.full_like(W, float(W.diagonal().mean()))),
        },
    },
}
