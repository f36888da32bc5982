"""Cases for the checkers of chapters/07_graphs.md: the solutions, and wrong answers each must reject."""
import networkx as nx
import torch
from torch import nn

from gdl.exercises.graphs import check_dirichlet_energy, check_sage, check_sign_invariant, check_wl_pair
from gdl.graphs import MessagePassing, graph_laplacian

# --- the Dirichlet energy --------------------------------------------------------------------------


def dirichlet_energy(x, edge_index):
    src, dst = edge_index
    return 0.5 * (x[dst] - x[src]).pow(2).sum()


def with_laplacian(x, edge_index):  # right value, but builds L
    lap = graph_laplacian(edge_index, x.shape[0], edge_weight=torch.ones(edge_index.shape[1], dtype=x.dtype))
    return torch.trace(x.T @ lap @ x)


# --- GraphSAGE ---------------------------------------------------------------------------------------


class _Base(MessagePassing):
    def __init__(self, in_channels, out_channels, aggr="mean", neigh_bias=False):
        super().__init__(aggr=aggr)
        self.lin_self = nn.Linear(in_channels, out_channels)
        self.lin_neigh = nn.Linear(in_channels, out_channels, bias=neigh_bias)


class SAGEConv(_Base):
    def forward(self, x, edge_index):
        return self.lin_self(x) + self.propagate(edge_index, x_j=self.lin_neigh(x))


class ZeroSAGE(_Base):  # a constant
    def forward(self, x, edge_index):
        return torch.zeros(x.shape[0], self.lin_self.out_features)


class SelfOnlySAGE(_Base):  # ignores the neighbours: right shape
    def forward(self, x, edge_index):
        return self.lin_self(x)


class SumSAGE(_Base):  # sums instead of averaging
    def __init__(self, in_channels, out_channels):
        super().__init__(in_channels, out_channels, aggr="sum")

    def forward(self, x, edge_index):
        return self.lin_self(x) + self.propagate(edge_index, x_j=self.lin_neigh(x))


class ReversedSAGE(_Base):  # aggregates at the sources instead of the targets
    def forward(self, x, edge_index):
        return self.lin_self(x) + self.propagate(edge_index.flip(0), x_j=self.lin_neigh(x))


class BiasedSAGE(_Base):  # W2 with a bias
    def __init__(self, in_channels, out_channels):
        super().__init__(in_channels, out_channels, neigh_bias=True)

    def forward(self, x, edge_index):
        return self.lin_self(x) + self.propagate(edge_index, x_j=self.lin_neigh(x))


class IndexedSAGE(_Base):  # adds the node's index: right values nowhere, and not equivariant
    def forward(self, x, edge_index):
        out = self.lin_self(x) + self.propagate(edge_index, x_j=self.lin_neigh(x))
        return out + 1e-3 * torch.arange(x.shape[0])[:, None]


# --- a 1-WL-equivalent pair ----------------------------------------------------------------------------


def wl_pair():
    return nx.hypercube_graph(3), nx.circulant_graph(8, [1, 4])


# --- a sign-invariant encoding ---------------------------------------------------------------------------


def sign_invariant(pe):
    return pe.abs()


CASES = {
    "check_dirichlet_energy": {
        "solution": lambda: check_dirichlet_energy(dirichlet_energy),
        "wrong": {
            "constant": lambda: check_dirichlet_energy(lambda x, e: torch.tensor(1.0)),
            "shape only": lambda: check_dirichlet_energy(lambda x, e: x.sum() * 0 + x.shape[0]),
            "a float, not a tensor": lambda: check_dirichlet_energy(
                lambda x, e: float(dirichlet_energy(x, e))),
            "no one half": lambda: check_dirichlet_energy(lambda x, e: (x[e[1]] - x[e[0]]).pow(2).sum()),
            "first feature only": lambda: check_dirichlet_energy(lambda x, e: dirichlet_energy(x[:, :1], e)),
            "mean over edges": lambda: check_dirichlet_energy(
                lambda x, e: 0.5 * (x[e[1]] - x[e[0]]).pow(2).mean()),
            "builds the Laplacian": lambda: check_dirichlet_energy(with_laplacian),
        },
    },
    "check_sage": {
        "solution": lambda: check_sage(SAGEConv),
        "wrong": {
            "constant": lambda: check_sage(ZeroSAGE),
            "shape only (ignores the neighbours)": lambda: check_sage(SelfOnlySAGE),
            "sum aggregation": lambda: check_sage(SumSAGE),
            "aggregates at the sources": lambda: check_sage(ReversedSAGE),
            "W2 with a bias": lambda: check_sage(BiasedSAGE),
            "depends on the node numbering": lambda: check_sage(IndexedSAGE),
        },
    },
    "check_wl_pair": {
        "solution": lambda: check_wl_pair(wl_pair),
        "wrong": {
            "constant (the starter)": lambda: check_wl_pair(lambda: (None, None)),
            "isomorphic": lambda: check_wl_pair(
                lambda: (nx.cycle_graph(8), nx.relabel_nodes(nx.cycle_graph(8), lambda i: 3 * i % 8))),
            "from the atlas (too small)": lambda: check_wl_pair(
                lambda: (nx.disjoint_union(nx.cycle_graph(3), nx.cycle_graph(3)), nx.cycle_graph(6))),
            "disconnected": lambda: check_wl_pair(
                lambda: (nx.disjoint_union(nx.cycle_graph(4), nx.cycle_graph(4)), nx.cycle_graph(8))),
            "1-WL tells them apart": lambda: check_wl_pair(lambda: (nx.path_graph(8), nx.star_graph(7))),
            "different sizes": lambda: check_wl_pair(lambda: (nx.hypercube_graph(3), nx.cycle_graph(8))),
            "directed": lambda: check_wl_pair(
                lambda: (nx.DiGraph(nx.hypercube_graph(3)), nx.DiGraph(nx.circulant_graph(8, [1, 4])))),
        },
    },
    "check_sign_invariant": {
        "solution": lambda: check_sign_invariant(sign_invariant),
        "wrong": {
            "constant": lambda: check_sign_invariant(lambda pe: torch.ones(pe.shape[0], 1)),
            "node index (the issue's example)": lambda: check_sign_invariant(
                lambda pe: torch.arange(pe.shape[0])[:, None].float()),
            "shape only": lambda: check_sign_invariant(lambda pe: torch.randn(pe.shape)),
            "the encoding itself": lambda: check_sign_invariant(lambda pe: pe),
            "first column only made invariant": lambda: check_sign_invariant(
                lambda pe: torch.cat([pe[:, :1].abs(), pe[:, 1:]], dim=1)),
            "a 1-D output": lambda: check_sign_invariant(lambda pe: pe.abs().sum(1)),
            "the same for all nodes": lambda: check_sign_invariant(lambda pe: pe.abs().mean(0).expand_as(pe)),
        },
    },
}
