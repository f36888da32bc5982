"""Cases for the checkers of chapters/14_steerable.md (gdl.exercises.steerable): the solutions, and
wrong answers each must reject."""
import math

import torch

from gdl.exercises.steerable import check_norm_nonlinearity, check_triple, check_wigner
from gdl.steerable import degree_slice, spherical_harmonics, tensor_product

# --- Wigner-D from the harmonics --------------------------------------------------------------------------


def wigner_from_harmonics(transpose: bool = False, inverse: bool = False, points: int | None = None):
    """The solution (defaults), or a variant: D^T, the inverse rotation, or too few points."""
    def fn(ell, R):
        n = points if points is not None else 10 * (2 * ell + 1)
        u = torch.randn(n, 3, dtype=torch.float64)
        q = R.double().T if inverse else R.double()
        A, B = spherical_harmonics(ell, u), spherical_harmonics(ell, u @ q.T)
        D = torch.linalg.lstsq(A, B).solution.T
        return D.T if transpose else D
    return fn


# --- the triple product -------------------------------------------------------------------------------


def triple(lengths: bool = True, path: int = 1):
    """The solution (defaults), or a variant: unit vectors only, or the invariant path 1 ⊗ 1 -> 0."""
    def fn(a, b, c):
        ya, yb, yc = (spherical_harmonics(1, v) for v in (a, b, c))
        t = tensor_product(tensor_product(ya, yb, path), yc, 0) if path == 1 else \
            tensor_product(ya, yb, 0) * yc.sum()
        t = t[0] / ((3 / (4 * math.pi)) ** 1.5 / math.sqrt(18))
        return t * a.norm() * b.norm() * c.norm() if lengths else t
    return fn


# --- the norm nonlinearity -----------------------------------------------------------------------------


def norm_nonlinearity(entrywise: bool = False, top: int | None = None, scalars: str = "silu"):
    """The solution (defaults), or a variant: sigmoid entry by entry, types up to `top`, other scalars."""
    def fn(f):
        L = math.isqrt(f.shape[-1]) - 1
        s = f[..., :1]
        out = [torch.nn.functional.silu(s) if scalars == "silu" else torch.relu(s)]
        for ell in range(1, L + 1):
            block = f[..., degree_slice(ell)]
            if top is not None and ell > top:
                out.append(block)
            elif entrywise:
                out.append(torch.sigmoid(block) * block)
            else:
                out.append(torch.sigmoid(block.norm(dim=-1, keepdim=True)) * block)
        return torch.cat(out, dim=-1)
    return fn


CASES = {
    "check_wigner": {
        "solution": lambda: check_wigner(wigner_from_harmonics()),
        "wrong": {
            "constant (the starter's identity)": lambda: check_wigner(
                lambda ell, R: torch.eye(2 * ell + 1, dtype=torch.float64)),
            "shape only (zeros)": lambda: check_wigner(lambda ell, R: torch.zeros(2 * ell + 1, 2 * ell + 1)),
            "transposed": lambda: check_wigner(wigner_from_harmonics(transpose=True)),
            "the inverse rotation": lambda: check_wigner(wigner_from_harmonics(inverse=True)),
            "too few points (underdetermined)": lambda: check_wigner(wigner_from_harmonics(points=2)),
            "R itself for every l (right for l = 1 only, in x, y, z)": lambda: check_wigner(
                lambda ell, R: R if ell == 1 else torch.eye(2 * ell + 1, dtype=torch.float64)),
        },
    },
    "check_triple": {
        "solution": lambda: check_triple(triple()),
        "wrong": {
            "constant (the starter's 0)": lambda: check_triple(lambda a, b, c: torch.tensor(0.0)),
            "shape only (a vector)": lambda: check_triple(lambda a, b, c: a),
            "unit vectors only (partial)": lambda: check_triple(triple(lengths=False)),
            "an invariant: (a · b) times a scalar of c": lambda: check_triple(triple(path=0)),
            "the forbidden cross product": lambda: check_triple(lambda a, b, c: torch.linalg.cross(a, b) @ c),
            "the absolute volume": lambda: check_triple(
                lambda a, b, c: triple()(a, b, c).abs()),
        },
    },
    "check_norm_nonlinearity": {
        "solution": lambda: check_norm_nonlinearity(norm_nonlinearity()),
        "wrong": {
            "identity (the starter)": lambda: check_norm_nonlinearity(lambda f: f),
            "shape only (zeros)": lambda: check_norm_nonlinearity(torch.zeros_like),
            "sigmoid entry by entry (not equivariant)": lambda: check_norm_nonlinearity(
                norm_nonlinearity(entrywise=True)),
            "types 1 only (partial)": lambda: check_norm_nonlinearity(norm_nonlinearity(top=1)),
            "ReLU on the scalars": lambda: check_norm_nonlinearity(norm_nonlinearity(scalars="relu")),
        },
    },
}
