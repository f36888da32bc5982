"""Cases for the checkers of chapters/06_sets.md: the solutions, and wrong answers each must reject."""
import torch

from gdl.exercises.sets import check_canonicalize, check_pair_layer, check_std_decomposition
from gdl.symmetry import SymmetricGroup, equivariant_basis

# --- the standard deviation as a Deep Set ---------------------------------------------------------


def std_phi(x):
    return torch.cat([torch.ones_like(x), x, x * x], dim=-1)


def std_rho(s):
    mean, mean_sq = s[:, 1] / s[:, 0], s[:, 2] / s[:, 0]
    return (mean_sq - mean * mean).clamp_min(0).sqrt()


def whole_set_phi(x):  # uses the set's mean inside phi: not per element
    return torch.cat([torch.ones_like(x), torch.zeros_like(x), (x - x.mean(1, keepdim=True)) ** 2], dim=-1)


def no_count_phi(x):  # no counting coordinate: rho must assume a set size
    return torch.cat([x, x * x, torch.zeros_like(x)], dim=-1)


def sample_std_rho(s):  # the sample (n - 1) standard deviation
    n = s[:, 0]
    return ((s[:, 2] - s[:, 1] ** 2 / n) / (n - 1)).clamp_min(0).sqrt()


# --- equivariant layers on pairs ------------------------------------------------------------------


def pair_representation(perm):
    p = SymmetricGroup(len(perm)).matrix(perm)
    return torch.kron(p, p)


def rows_only(perm):  # permutes the rows of A but not its columns
    p = SymmetricGroup(len(perm)).matrix(perm)
    return torch.kron(p, torch.eye(len(perm), dtype=p.dtype))


def dimension_of(rep):
    def dimension(n):
        reps = torch.stack([rep(torch.tensor(p)) for p in SymmetricGroup(n).elements()])
        return len(equivariant_basis(reps, reps))
    return dimension


def set_dimension(n):  # the dimension for sets, not pairs
    reps = torch.stack([SymmetricGroup(n).matrix(torch.tensor(p)) for p in SymmetricGroup(n).elements()])
    return len(equivariant_basis(reps, reps))


# --- canonicalisation ------------------------------------------------------------------------------


def canonicalize(x):
    order = x[..., 0].argsort(dim=1)
    return x.gather(1, order.unsqueeze(-1).expand_as(x))


def sort_each_coordinate(x):  # sorts every coordinate on its own: rows are no longer points
    return x.sort(dim=1).values


def by_last_coordinate(x):
    return x.gather(1, x[..., -1].argsort(dim=1).unsqueeze(-1).expand_as(x))


def descending(x):
    return x.gather(1, x[..., 0].argsort(dim=1, descending=True).unsqueeze(-1).expand_as(x))


def first_cloud_order(x):  # one order, taken from the first cloud, for every cloud
    return x[:, x[0, :, 0].argsort()]


CASES = {
    "check_std_decomposition": {
        "solution": lambda: check_std_decomposition(std_phi, std_rho),
        "wrong": {
            "constant": lambda: check_std_decomposition(
                lambda x: torch.zeros(*x.shape[:2], 3), lambda s: torch.zeros(s.shape[0])),
            "shape only": lambda: check_std_decomposition(
                lambda x: torch.randn(*x.shape[:2], 3, dtype=x.dtype), lambda s: s.norm(dim=1)),
            "phi uses the whole set": lambda: check_std_decomposition(
                whole_set_phi, lambda s: (s[:, 2] / s[:, 0]).sqrt()),
            "no counting coordinate (assumes n = 5)": lambda: check_std_decomposition(
                no_count_phi, lambda s: (s[:, 1] / 5 - (s[:, 0] / 5) ** 2).clamp_min(0).sqrt()),
            "sample standard deviation": lambda: check_std_decomposition(std_phi, sample_std_rho),
        },
    },
    "check_pair_layer": {
        "solution": lambda: check_pair_layer(pair_representation, dimension_of(pair_representation)),
        "wrong": {
            "constant dimension 15": lambda: check_pair_layer(pair_representation, lambda n: 15),
            "an int, not a function": lambda: check_pair_layer(pair_representation, 15),
            "shape only": lambda: check_pair_layer(lambda perm: torch.eye(len(perm) ** 2), lambda n: 15),
            "rows only": lambda: check_pair_layer(rows_only, dimension_of(rows_only)),
            "the dimension for sets": lambda: check_pair_layer(pair_representation, set_dimension),
        },
    },
    "check_canonicalize": {
        "solution": lambda: check_canonicalize(canonicalize),
        "wrong": {
            "constant": lambda: check_canonicalize(torch.zeros_like),
            "shape only": lambda: check_canonicalize(torch.randn_like),
            "unchanged input": lambda: check_canonicalize(lambda x: x),
            "each coordinate sorted separately": lambda: check_canonicalize(sort_each_coordinate),
            "sorted by the last coordinate": lambda: check_canonicalize(by_last_coordinate),
            "descending": lambda: check_canonicalize(descending),
            "the first cloud's order for all": lambda: check_canonicalize(first_cloud_order),
        },
    },
}
