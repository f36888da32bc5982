"""Cases for the checkers of "Attention, Transformers and latent graphs" (gdl.exercises.attention)."""
import torch

from gdl.attention import complete_graph, knn_graph
from gdl.exercises.attention import check_knn_indices, check_pe_shift_matrix, check_window_graph

# --- the sliding-window graph ------------------------------------------------------------------------


def window_graph(n, window):
    edges = complete_graph(n)
    j, i = edges
    return edges[:, (j <= i) & (j > i - window)]


def _keep(condition):
    def graph(n, window):
        edges = complete_graph(n)
        j, i = edges
        return edges[:, condition(j, i, window)]
    return graph


# --- the shift of sinusoidal encodings ---------------------------------------------------------------


def _shift(k, dim, freq_exponent=2, sign=1):
    omega = 10000.0 ** (-freq_exponent * torch.arange(0, dim // 2, dtype=torch.float64) / dim)
    c, s = torch.cos(omega * k), torch.sin(omega * k)
    blocks = torch.stack([torch.stack([c, sign * s], -1), torch.stack([-sign * s, c], -1)], -2)
    return torch.block_diag(*blocks)


def pe_shift_matrix(k, dim):
    return _shift(k, dim)


def halves_layout(k, dim):  # [sin ..., cos ...] layout instead of interleaved pairs
    r = _shift(k, dim)
    order = torch.cat([torch.arange(0, dim, 2), torch.arange(1, dim, 2)])
    return r[order][:, order]


# --- k nearest neighbours -----------------------------------------------------------------------------


def knn_indices(x, k):
    dist = torch.cdist(x.double(), x.double()) ** 2
    dist.fill_diagonal_(float("inf"))
    return dist.argsort(dim=1, stable=True)[:, :k]


def with_self(x, k):  # the point itself counts as its own nearest neighbour
    dist = torch.cdist(x.double(), x.double()) ** 2
    return dist.argsort(dim=1, stable=True)[:, :k]


def ties_by_higher_index(x, k):
    n = x.shape[0]
    flipped = knn_indices(x.flip(0), k)
    return (n - 1 - flipped).flip(0)


def farthest(x, k):
    dist = torch.cdist(x.double(), x.double())
    return dist.argsort(dim=1, descending=True, stable=True)[:, :k]


def manhattan(x, k):
    dist = torch.cdist(x.double(), x.double(), p=1)
    dist.fill_diagonal_(float("inf"))
    return dist.argsort(dim=1, stable=True)[:, :k]


CASES = {
    "check_window_graph": {
        "solution": lambda: check_window_graph(window_graph),
        "wrong": {
            "empty (the starter)": lambda: check_window_graph(
                lambda n, window: torch.zeros(2, 0, dtype=torch.long)),
            "the full causal graph": lambda: check_window_graph(lambda n, window: _keep(
                lambda j, i, w: j <= i)(n, window)),
            "one token too many": lambda: check_window_graph(_keep(lambda j, i, w: (j <= i) & (j >= i - w))),
            "no self-loops": lambda: check_window_graph(_keep(lambda j, i, w: (j < i) & (j > i - w))),
            "the future instead": lambda: check_window_graph(_keep(lambda j, i, w: (j >= i) & (j < i + w))),
            "each edge twice": lambda: check_window_graph(
                lambda n, window: window_graph(n, window).repeat(1, 2)),
            "a boolean mask": lambda: check_window_graph(
                lambda n, window: torch.ones(n, n, dtype=torch.bool).tril()),
        },
    },
    "check_pe_shift_matrix": {
        "solution": lambda: check_pe_shift_matrix(pe_shift_matrix),
        "wrong": {
            "identity (the starter)": lambda: check_pe_shift_matrix(lambda k, dim: torch.eye(dim)),
            "shift by −k (transposed)": lambda: check_pe_shift_matrix(lambda k, dim: _shift(k, dim).T),
            "frequencies base^(−i/d)": lambda: check_pe_shift_matrix(lambda k, dim: _shift(k, dim, 1)),
            "halves layout": lambda: check_pe_shift_matrix(halves_layout),
            "a vector of angles": lambda: check_pe_shift_matrix(lambda k, dim: _shift(k, dim).diagonal()),
        },
    },
    "check_knn_indices": {
        "solution": lambda: check_knn_indices(knn_indices),
        "wrong": {
            "zeros (the starter)": lambda: check_knn_indices(
                lambda x, k: torch.zeros(x.shape[0], k, dtype=torch.long)),
            "the point itself included": lambda: check_knn_indices(with_self),
            "ties by the higher index": lambda: check_knn_indices(ties_by_higher_index),
            "the farthest points": lambda: check_knn_indices(farthest),
            "Manhattan distance": lambda: check_knn_indices(manhattan),
            "knn_graph with loops": lambda: check_knn_indices(
                lambda x, k: knn_graph(x, k, loop=True)[0].view(x.shape[0], k)),
        },
    },
}
