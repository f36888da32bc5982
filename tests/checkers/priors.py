"""Cases for the checkers of "Learning in high dimensions" (gdl.exercises.priors)."""
import math

import torch

from gdl.exercises.priors import (
    check_haar_1d,
    check_samples_for_radius,
    check_smallest_invariant_shift,
    check_white_noise_shares,
)

R2 = math.sqrt(2)


def samples_for_radius(r, d):
    log_vd = d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1)
    return math.exp(-log_vd - d * math.log(r))


def naive_gamma(r, d):  # ignores "use math.lgamma": overflows for large d
    return 1 / (math.pi ** (d / 2) / math.gamma(d / 2 + 1) * r ** d)


def gamma_off_by_one(r, d):  # Γ(d/2) in place of Γ(d/2 + 1)
    return math.exp(-(d / 2 * math.log(math.pi) - math.lgamma(d / 2)) - d * math.log(r))


def haar_step_1d(x):
    even, odd = x[0::2], x[1::2]
    return (even + odd) / R2, (even - odd) / R2


def haar_unstep_1d(approx, detail):
    x = approx.new_empty(2 * len(approx))
    x[0::2], x[1::2] = (approx + detail) / R2, (approx - detail) / R2
    return x


def unstep_concatenated(approx, detail):  # the right values in the wrong places
    return torch.cat([(approx + detail) / R2, (approx - detail) / R2])


_seen = {}


def step_remembering(x):
    _seen["x"] = x.clone()
    return haar_step_1d(x)


def unstep_remembered(approx, detail):  # ignores its arguments: returns the last signal seen
    return _seen["x"]


def step_in_place(x):  # overwrites its input
    a, d = haar_step_1d(x.clone())
    x.zero_()
    return a, d


def white_noise_shares(levels):
    return [3 * 4.0 ** -j for j in range(1, levels + 1)] + [4.0 ** -levels]


def measured_shares(levels):  # a measurement on one noise image, rounded: a range, not the law
    from gdl.priors import energy_per_scale, haar_pyramid
    noise = torch.randn(256, 256, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    return [round(v, 3) for v in energy_per_scale(*haar_pyramid(noise, levels)).tolist()]


CASES = {
    "check_samples_for_radius": {
        "solution": lambda: check_samples_for_radius(samples_for_radius),
        "wrong": {
            "constant": lambda: check_samples_for_radius(lambda r, d: 31.8),
            "the starter (None)": lambda: check_samples_for_radius(lambda r, d: None),
            "V_d r^d, not its inverse": lambda: check_samples_for_radius(
                lambda r, d: 1 / samples_for_radius(r, d)),
            "math.gamma, overflows": lambda: check_samples_for_radius(naive_gamma),
            "Γ(d/2)": lambda: check_samples_for_radius(gamma_off_by_one),
            "rounded to an int": lambda: check_samples_for_radius(
                lambda r, d: round(samples_for_radius(r, d))),
        },
    },
    "check_haar_1d": {
        "solution": lambda: check_haar_1d(haar_step_1d, haar_unstep_1d),
        "wrong": {
            "zeros of the right shape": lambda: check_haar_1d(
                lambda x: (torch.zeros(len(x) // 2, dtype=x.dtype),) * 2,
                lambda a, d: torch.zeros(2 * len(a))),
            "the starter (None)": lambda: check_haar_1d(lambda x: (None, None), lambda a, d: None),
            "approx and detail swapped": lambda: check_haar_1d(
                lambda x: haar_step_1d(x)[::-1], lambda a, d: haar_unstep_1d(d, a)),
            "divides by 2": lambda: check_haar_1d(
                lambda x: ((x[0::2] + x[1::2]) / 2, (x[0::2] - x[1::2]) / 2),
                lambda a, d: haar_unstep_1d(a * R2, d * R2)),
            "unstep concatenates": lambda: check_haar_1d(haar_step_1d, unstep_concatenated),
            "unstep ignores its arguments": lambda: check_haar_1d(step_remembering, unstep_remembered),
            "step overwrites its input": lambda: check_haar_1d(step_in_place, haar_unstep_1d),
        },
    },
    "check_smallest_invariant_shift": {
        "solution": lambda: check_smallest_invariant_shift(lambda n_pools: 2 ** n_pools),
        "wrong": {
            "constant (the starter)": lambda: check_smallest_invariant_shift(lambda n_pools: 1),
            "2k": lambda: check_smallest_invariant_shift(lambda n_pools: 2 * n_pools),
            "k + 1": lambda: check_smallest_invariant_shift(lambda n_pools: n_pools + 1),
            "a table for 0..4 poolings": lambda: check_smallest_invariant_shift(
                lambda n_pools: {0: 1, 1: 2, 2: 4, 3: 8, 4: 16}.get(n_pools, 8)),
            "one pooling too many": lambda: check_smallest_invariant_shift(
                lambda n_pools: 2 ** (n_pools + 1)),
            "a table for 0..3 poolings": lambda: check_smallest_invariant_shift(
                lambda n_pools: {0: 1, 1: 2, 2: 4, 3: 8}[n_pools]),
        },
    },
    "check_white_noise_shares": {
        "solution": lambda: check_white_noise_shares(white_noise_shares),
        "wrong": {
            "constant (the starter)": lambda: check_white_noise_shares(lambda levels: [0.0] * (levels + 1)),
            "uniform": lambda: check_white_noise_shares(lambda levels: [1 / (levels + 1)] * (levels + 1)),
            "finest last": lambda: check_white_noise_shares(lambda levels: white_noise_shares(levels)[::-1]),
            "1D counts (halving)": lambda: check_white_noise_shares(
                lambda levels: [2.0 ** -j for j in range(1, levels + 1)] + [2.0 ** -levels]),
            "no approximation": lambda: check_white_noise_shares(
                lambda levels: white_noise_shares(levels)[:-1]),
            "a measurement, rounded": lambda: check_white_noise_shares(measured_shares),
        },
    },
}
