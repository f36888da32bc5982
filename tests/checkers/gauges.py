"""Cases for the checkers of the chapter on gauges (gdl.exercises.gauges): the solution and wrong answers."""
import numpy as np
import torch

from gdl.exercises.gauges import check_invariant_features, check_kernel_count, check_to_ambient
from gdl.gauges import kernel_basis


def kernel_count(m, n):
    if m == 0 and n == 0:
        return 1
    if m == 0 or n == 0:
        return 2
    return 4


def to_ambient(v, frames):
    return np.einsum("vk,vkx->vx", v, np.asarray(frames)[:, :2])


def invariant_features(x, field_type):
    out = []
    for k, start, size in field_type.blocks:
        block = x[..., start:start + size]
        out.append(block[..., 0] if k == 0 else block.norm(dim=-1))
    return torch.stack(out, dim=-1)


_TABLE = {(m, n): kernel_count(m, n) for m in range(5) for n in range(5)}


def _block_norms(x, field_type, assume_pairs=False):
    """Per-block norms; with assume_pairs, every block read as two components (ignores the scalars)."""
    out = []
    for b, (_, start, size) in enumerate(field_type.blocks):
        part = x[..., 2 * b:2 * b + 2] if assume_pairs else x[..., start:start + size]
        out.append(part.norm(dim=-1))
    return torch.stack(out, dim=-1)


def _angles(x, field_type):
    """The angle of each rotating block: not invariant."""
    return torch.stack([x[..., s] if k == 0 else torch.atan2(x[..., s + 1], x[..., s])
                        for k, s, _ in field_type.blocks], -1)


def _rotated(v, frames):
    """A fixed 90° rotation in the tangent plane: v^1 e_2 - v^2 e_1."""
    f = np.asarray(frames)
    return v[:, :1] * f[:, 1] - v[:, 1:] * f[:, 0]


CASES = {
    "check_kernel_count": {
        "solution": lambda: check_kernel_count(kernel_count),
        "wrong": {
            "constant 4": lambda: check_kernel_count(lambda m, n: 4),
            "an int of the wrong kind: m + n": lambda: check_kernel_count(lambda m, n: m + n),
            "ignores the scalar case": lambda: check_kernel_count(lambda m, n: 2 if m == 0 or n == 0 else 4),
            "forgets the conjugate term": lambda: check_kernel_count(lambda m, n: 1 if m == n == 0 else 2),
            "calls the solver": lambda: check_kernel_count(lambda m, n: len(kernel_basis(m, n))),
            "memorised 0 <= m, n <= 4": lambda: check_kernel_count(lambda m, n: _TABLE.get((m, n), 0)),
            "a string": lambda: check_kernel_count(lambda m, n: str(kernel_count(m, n))),
        },
    },
    "check_to_ambient": {
        "solution": lambda: check_to_ambient(to_ambient),
        "wrong": {
            "constant zeros": lambda: check_to_ambient(lambda v, f: np.zeros((len(v), 3))),
            "shape only: (v1, v2, 0)": lambda: check_to_ambient(lambda v, f: np.c_[v, np.zeros(len(v))]),
            "the negated vector": lambda: check_to_ambient(lambda v, f: -to_ambient(v, f)),
            "a fixed 90° tangent rotation": lambda: check_to_ambient(_rotated),
            "ignores the second coordinate": lambda: check_to_ambient(lambda v, f: v[:, :1] * f[:, 0]),
            "e1 and e2 swapped": lambda: check_to_ambient(lambda v, f: to_ambient(v[:, ::-1], f)),
            "rows e1 and n": lambda: check_to_ambient(lambda v, f: np.einsum("vk,vkx->vx", v, f[:, ::2])),
        },
    },
    "check_invariant_features": {
        "solution": lambda: check_invariant_features(invariant_features),
        "wrong": {
            "constant zeros": lambda: check_invariant_features(
                lambda x, t: torch.zeros(*x.shape[:2], len(t.blocks), dtype=x.dtype)),
            "shape only: the first components": lambda: check_invariant_features(
                lambda x, t: x[..., :len(t.blocks)]),
            "the whole feature's norm for every block": lambda: check_invariant_features(
                lambda x, t: x.norm(dim=-1, keepdim=True).expand(*x.shape[:2], len(t.blocks))),
            "normalised over the vertices": lambda: check_invariant_features(
                lambda x, t: invariant_features(x, t) / invariant_features(x, t).abs().mean(0)),
            "ignores the block sizes": lambda: check_invariant_features(
                lambda x, t: _block_norms(x, t, assume_pairs=True)),
            "the angle of each block": lambda: check_invariant_features(_angles),
            "the channels summed": lambda: check_invariant_features(
                lambda x, t: invariant_features(x, t).sum(1, keepdim=True).expand(-1, x.shape[1], -1)),
        },
    },
}
