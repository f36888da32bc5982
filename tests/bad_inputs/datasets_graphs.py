"""Bad input to gdl.datasets.graphs: a clear error naming the argument."""
import torch

from bad_inputs import Case
from gdl.datasets import graphs as data

MODULE = "datasets.graphs"

ring = torch.tensor([[0, 1, 2, 1, 2, 0], [1, 2, 0, 0, 1, 2]])  # C_3, both directions


def _graph(**change):
    """The fields of a valid 3-paper CitationGraph, with some replaced."""
    fields = dict(x=torch.ones(3, 2), edge_index=ring, y=torch.tensor([0, 1, 1]), classes=("a", "b"),
                  paper_ids=torch.arange(3), num_citations=3)
    return data.CitationGraph(**(fields | change))


CASES = [
    Case("datasets.graphs.collate_graphs", "shape", "graphs",
         lambda: data.collate_graphs([(torch.ones(3, 1), ring, 0), (torch.ones(3, 2), ring, 1)]),
         match="C = 1"),
    Case("datasets.graphs.collate_graphs", "dtype", "graphs",
         lambda: data.collate_graphs([(torch.ones(3, 1), ring.float(), 0)]), TypeError),
    Case("datasets.graphs.collate_graphs", "value", "graphs",
         lambda: data.collate_graphs([(torch.ones(2, 1), ring, 0)]), match="node 2"),
    Case("datasets.graphs.collate_graphs", "value", "graphs", lambda: data.collate_graphs([])),
    Case("datasets.graphs.load_karate_club", "dtype", "seed", lambda: data.load_karate_club(0.5)),
    Case("datasets.graphs.load_karate_club", "value", "seed", lambda: data.load_karate_club(-1)),
    Case("datasets.graphs.CitationGraph", "shape", "y", lambda: _graph(y=torch.tensor([0, 1]))),
    Case("datasets.graphs.CitationGraph", "dtype", "edge_index", lambda: _graph(edge_index=ring.float()),
         TypeError),
    Case("datasets.graphs.CitationGraph", "value", "y", lambda: _graph(y=torch.tensor([0, 1, 2])),
         match="class 2"),
    Case("datasets.graphs.CitationGraph", "value", "x", lambda: _graph(x=torch.full((3, 2), float("nan")))),
    Case("datasets.graphs.read_cora", "dtype", "directory", lambda: data.read_cora(3), TypeError),
    Case("datasets.graphs.read_cora", "value", "sizes", lambda: data.read_cora(".", sizes={"papers": 0})),
    Case("datasets.graphs.load_cora", "dtype", "root", lambda: data.load_cora(3), TypeError),
    Case("datasets.graphs.load_cora", "value", "timeout", lambda: data.load_cora(".", timeout=-1.0)),
    Case("datasets.graphs.make_planted_citation_graph", "dtype", "num_nodes",
         lambda: data.make_planted_citation_graph(num_nodes=20.5)),
    Case("datasets.graphs.make_planted_citation_graph", "value", "homophily",
         lambda: data.make_planted_citation_graph(num_nodes=20, num_edges=30, homophily=1.5)),
    Case("datasets.graphs.make_graph_families", "dtype", "num_per_class",
         lambda: data.make_graph_families(num_per_class=1.5)),
    Case("datasets.graphs.make_graph_families", "value", "max_nodes",
         lambda: data.make_graph_families(min_nodes=20, max_nodes=10)),
    Case("datasets.graphs.make_skip_link_graphs", "shape", "skips",
         lambda: data.make_skip_link_graphs(skips=((2, 3),))),
    Case("datasets.graphs.make_skip_link_graphs", "dtype", "per_class",
         lambda: data.make_skip_link_graphs(per_class="20")),
    Case("datasets.graphs.make_skip_link_graphs", "value", "skips",
         lambda: data.make_skip_link_graphs(num_nodes=11, skips=(2, 11))),
]

# name -> {kind: why that kind of bad input does not exist for it}
_CONSTANT = {kind: "a constant, not a function" for kind in ("shape", "dtype", "value")}
_NO_ARGS = {kind: "takes no arguments (reads the environment)" for kind in ("shape", "dtype", "value")}
EXEMPT = {
    "datasets.graphs.CORA_URL": _CONSTANT,
    "datasets.graphs.CORA_SIZES": _CONSTANT,
    "datasets.graphs.GRAPH_FAMILIES": _CONSTANT,
    "datasets.graphs.SKIP_LINKS": _CONSTANT,
    "datasets.graphs.online_allowed": _NO_ARGS,
    "datasets.graphs.data_home": _NO_ARGS,
    "datasets.graphs.load_karate_club": {"shape": "takes a seed, no array"},
    "datasets.graphs.read_cora": {"shape": "reads text files: a malformed file is a value error (test_cora)"},
    "datasets.graphs.load_cora": {"shape": "takes a path and a timeout, no array"},
    "datasets.graphs.make_planted_citation_graph": {"shape": "takes sizes and rates, no array"},
    "datasets.graphs.make_graph_families": {"shape": "takes sizes and a seed, no array"},
}
