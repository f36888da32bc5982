"""Cases for the checkers of chapters/08_geometric_graphs.md: the solutions, and wrong answers each
must reject."""
import torch

from gdl.exercises.egnn import check_broken, check_momentum, check_pairwise
from gdl.graphs import scatter
from gdl.symmetry import check_equivariance

# --- pairwise invariants ------------------------------------------------------------------------------


def pairwise_invariants(x):
    rel = x[:, None, :] - x[None, :, :]
    return (rel * rel).sum(-1)


# --- the broken coordinate update -------------------------------------------------------------------------


def update_error(relative: bool = False, mean: bool = True, shifts_of_own: bool = False):
    """The solution (defaults), or a variant: relative positions (the real EGNN), a sum, its own shifts."""
    def broken_update_error(x, edge_index, shifts):
        src, dst = edge_index

        def update(y):
            moved = y[src] - y[dst] if relative else y[src]
            return y + scatter(moved, dst, len(y), aggr="mean" if mean else "sum")

        if shifts_of_own:
            shifts = list(torch.ones(3, x.shape[1], dtype=x.dtype))
        return check_equivariance(update, x, lambda t, y: y + t, lambda t, y: y + t, shifts)
    return broken_update_error


# --- momentum ----------------------------------------------------------------------------------------------


def verlet(charge_sign: float = 1.0, euler: bool = False, fixed_softening: float | None = None,
           dtype=torch.float64):
    """The solution (defaults), or a variant: attractive like charges, Euler steps, a fixed softening,
    or a lower precision."""
    def final_velocities(x0, v0, charges, steps, dt, softening):
        eps = softening if fixed_softening is None else fixed_softening
        x, v, c = x0.to(dtype), v0.to(dtype), charges.to(dtype)
        q = charge_sign * c[:, :, None, None] * c[:, None, :, None]

        def accel(x):
            diff = x.unsqueeze(2) - x.unsqueeze(1)
            return (q * diff * (diff.square().sum(-1, keepdim=True) + eps * eps) ** -1.5).sum(2)

        a = accel(x)
        for _ in range(steps):
            if euler:
                x, v = x + dt * v, v + dt * a
                a = accel(x)
                continue
            v = v + dt / 2 * a
            x = x + dt * v
            a = accel(x)
            v = v + dt / 2 * a
        return v.to(x0.dtype)
    return final_velocities


CASES = {
    "check_pairwise": {
        "solution": lambda: check_pairwise(pairwise_invariants),
        "wrong": {
            "constant (the starter)": lambda: check_pairwise(lambda x: torch.zeros(x.shape[0], x.shape[0])),
            "shape only": lambda: check_pairwise(lambda x: torch.randn(x.shape[0], x.shape[0])),
            "distances, not squared": lambda: check_pairwise(lambda x: torch.cdist(x, x)),
            "Gram matrix (not translation-invariant)": lambda: check_pairwise(lambda x: x @ x.T),
            "first three coordinates only": lambda: check_pairwise(lambda x: pairwise_invariants(x[:, :3])),
            "a list of lists": lambda: check_pairwise(lambda x: pairwise_invariants(x).tolist()),
        },
    },
    "check_broken": {
        "solution": lambda: check_broken(update_error()),
        "wrong": {
            "constant (the issue's example)": lambda: check_broken(lambda x, e, shifts: 0.5),
            "the starter's 0.0": lambda: check_broken(lambda x, e, shifts: 0.0),
            "type only": lambda: check_broken(lambda x, e, shifts: float(x.norm())),
            "relative positions (the real EGNN update)": lambda: check_broken(update_error(relative=True)),
            "sum instead of mean": lambda: check_broken(update_error(mean=False)),
            "ignores the given shifts": lambda: check_broken(update_error(shifts_of_own=True)),
        },
    },
    "check_momentum": {
        "solution": lambda: check_momentum(verlet()),
        "wrong": {
            "constant": lambda: check_momentum(lambda x0, v0, c, steps, dt, eps: torch.zeros_like(v0)),
            "shape only (the initial velocities, the starter)": lambda: check_momentum(
                lambda x0, v0, c, steps, dt, eps: v0),
            "a drift, not velocities (the issue's constant)": lambda: check_momentum(
                lambda x0, v0, c, steps, dt, eps: 1e-16),
            "ignores the charges' signs": lambda: check_momentum(verlet(charge_sign=-1.0)),
            "Euler steps": lambda: check_momentum(verlet(euler=True)),
            "ignores the softening argument": lambda: check_momentum(verlet(fixed_softening=0.2)),
            "float32": lambda: check_momentum(verlet(dtype=torch.float32)),
        },
    },
}
