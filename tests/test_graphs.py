"""Tests for gdl.graphs: permutation symmetry on random graphs, input validation, WL, peers."""
import networkx as nx
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from gdl.datasets.graphs import CitationGraph, collate_graphs, load_karate_club, make_skip_link_graphs
from gdl.graphs import (
    GNN,
    GATConv,
    GCNConv,
    GINConv,
    MessagePassing,
    MPNNConv,
    add_self_loops,
    degree,
    edge_index_from_networkx,
    global_pool,
    graph_laplacian,
    laplacian_pe,
    permute_graph,
    scatter,
    segment_softmax,
    wl_colors,
    wl_equivalence_classes,
)
from gdl.symmetry import AGGREGATIONS, ProductGroup, SymmetricGroup, check_equivariance
from gdl.tools import mlp

C = 5  # input channels


def _relist(h, t, dim=-1):
    """Relist the E edges of t along `dim` by h in S_E (nothing to relist when E = 0)."""
    return SymmetricGroup(len(h)).rep(h, t, dim=dim) if len(h) else t


def _sample(n, e, num, generator=None):
    """`num` elements (g, h) of S_n x S_E: a renumbering of the nodes and a relisting of the edges."""
    if e == 0:
        return [(g, torch.empty(0, dtype=torch.long)) for g in SymmetricGroup(n).sample(num, generator)]
    return ProductGroup(SymmetricGroup(n), SymmetricGroup(e)).sample(num, generator=generator)


@st.composite
def random_graphs(draw, max_nodes=12):
    """(x (N, C), edge_index (2, E), edge_attr (E, 3), elements): a random graph and 3 renumberings."""
    n = draw(st.integers(1, max_nodes))
    e = draw(st.integers(0, 3 * n))
    seed = draw(st.integers(0, 2**31 - 1))
    g = torch.Generator().manual_seed(seed)
    edge_index = torch.randint(0, n, (2, e), generator=g)
    x = torch.randn(n, C, generator=g)
    edge_attr = torch.randn(e, 3, generator=g)
    return x, edge_index, edge_attr, _sample(n, e, 3, g)


def act_nodes(p, graph):
    """Renumber the nodes by p[0] and relist the edges by p[1]."""
    x, edge_index = graph
    return permute_graph(p[0], x, _relist(p[1], edge_index))


def act_out(p, y):
    """The same renumbering of the node outputs: rho(g) of SymmetricGroup on the node axis."""
    return SymmetricGroup(y.shape[0]).rep(p[0], y, dim=0)


def invariant(p, y):
    return y


def make_layers():
    torch.manual_seed(0)
    return {
        "gcn": GCNConv(C, 6),
        "gat": GATConv(C, 3, heads=2),
        "gat-dot": GATConv(C, 3, heads=2, score="dot"),
        "gat-mean-heads": GATConv(C, 3, heads=2, concat=False),
        "mpnn": MPNNConv(C, 6, hidden=8),
        "mpnn-max": MPNNConv(C, 6, hidden=8, aggr="max"),
        "gin": GINConv(mlp(C, 8, 6), eps=0.2),
    }


LAYERS = make_layers()


@pytest.mark.parametrize("name", sorted(LAYERS))
@given(graph=random_graphs())
def test_layers_are_permutation_equivariant(name, graph):
    x, edge_index, _, elements = graph
    layer = LAYERS[name]
    err = check_equivariance(lambda g: layer(*g), (x, edge_index), act_nodes, act_out, elements)
    assert err < 1e-5


@given(graph=random_graphs())
def test_mpnn_with_edge_features_is_equivariant(graph):
    x, edge_index, edge_attr, elements = graph
    torch.manual_seed(0)
    layer = MPNNConv(C, 4, edge_channels=3, hidden=8)

    def act(p, g):
        return (*permute_graph(p[0], g[0], _relist(p[1], g[1])), _relist(p[1], g[2], dim=0))

    err = check_equivariance(lambda g: layer(*g), (x, edge_index, edge_attr), act, act_out, elements)
    assert err < 1e-5


@pytest.mark.parametrize("aggr", AGGREGATIONS)
@given(graph=random_graphs())
def test_base_class_is_equivariant(aggr, graph):
    x, edge_index, _, elements = graph
    layer = MessagePassing(aggr)
    err = check_equivariance(lambda g: layer.propagate(g[1], x_j=g[0]), (x, edge_index),
                             act_nodes, act_out, elements)
    assert err < 1e-6


@pytest.mark.parametrize("conv", ["gcn", "gat", "gin", "mpnn"])
@pytest.mark.parametrize("readout", ["sum", "mean", "max"])
@given(graph=random_graphs())
def test_readouts_are_invariant(conv, readout, graph):
    x, edge_index, _, elements = graph
    torch.manual_seed(0)
    model = GNN(C, 8, 3, conv=conv, readout=readout).eval()
    err = check_equivariance(lambda g: model(*g), (x, edge_index), act_nodes, invariant, elements)
    assert err < 1e-5


def test_check_catches_a_non_equivariant_layer():
    """The property must be able to fail: a layer that reads the node index is not equivariant."""
    torch.manual_seed(0)
    n = 8
    x, edge_index = torch.randn(n, C), torch.randint(0, n, (2, 20))
    conv, pos = GCNConv(C, 4), torch.randn(n, 4)
    elements = [(g, torch.arange(20)) for g in SymmetricGroup(n).sample(3)]
    err = check_equivariance(lambda g: conv(*g) + pos, (x, edge_index), act_nodes, act_out, elements)
    assert err > 1e-2


def test_batched_graphs_do_not_interact_and_readout_matches_single():
    torch.manual_seed(0)
    model = GNN(C, 8, 3, conv="gat", readout="sum").eval()
    graphs = [(torch.randn(n, C), torch.randint(0, n, (2, 2 * n)), 0) for n in (3, 5, 4)]
    x, e, b, _ = collate_graphs(graphs)
    batched = model(x, e, b)
    single = torch.cat([model(xg, eg) for xg, eg, _ in graphs])
    assert torch.allclose(batched, single, atol=1e-5)


# --- aggregation and the base class -------------------------------------------------------------
def test_sum_aggregation_is_adjacency_product():
    torch.manual_seed(0)
    n, e = 7, torch.tensor([[0, 1, 2, 2, 6], [1, 1, 0, 3, 3]])
    x = torch.randn(n, 4)
    A = torch.zeros(n, n)
    A.index_put_((e[1], e[0]), torch.ones(e.shape[1]), accumulate=True)
    assert torch.allclose(MessagePassing("sum").propagate(e, x_j=x), A @ x, atol=1e-6)
    mean = (A @ x) / A.sum(1, keepdim=True).clamp(min=1)
    assert torch.allclose(MessagePassing("mean").propagate(e, x_j=x), mean, atol=1e-6)


def test_max_aggregation_empty_neighbourhood_is_zero():
    x = -torch.ones(3, 2) * torch.tensor([[1.0], [2.0], [3.0]])  # all negative
    out = MessagePassing("max").propagate(torch.tensor([[1, 2], [0, 0]]), x_j=x)
    assert torch.equal(out[0], torch.tensor([-2.0, -2.0]))  # max of -2, -3 (not 0: include_self=False)
    assert torch.equal(out[1:], torch.zeros(2, 2))  # nodes 1 and 2 receive nothing


def test_propagate_gathers_targets_and_sources():
    class Diff(MessagePassing):
        def message(self, x_i, x_j):
            return x_i - x_j

    x = torch.tensor([[1.0], [10.0], [100.0]])
    out = Diff("sum").propagate(torch.tensor([[0, 2], [1, 1]]), x_i=x, x_j=x)
    assert torch.equal(out, torch.tensor([[0.0], [(10 - 1) + (10 - 100)], [0.0]]))


def test_bipartite_size():
    x_src = torch.randn(4, 2)
    out = MessagePassing("sum").propagate(torch.tensor([[0, 3], [1, 1]]), size=(4, 2), x_j=x_src)
    assert out.shape == (2, 2)
    assert torch.allclose(out[1], x_src[0] + x_src[3])


def test_segment_softmax_sums_to_one_per_target():
    torch.manual_seed(0)
    index = torch.tensor([0, 0, 1, 1, 1, 3])
    a = segment_softmax(torch.randn(6, 2) * 50, index, 4)
    sums = scatter(a, index, 4, "sum")
    assert torch.allclose(sums[[0, 1, 3]], torch.ones(3, 2))
    assert torch.equal(sums[2], torch.zeros(2))


# --- clear errors on bad input ------------------------------------------------------------------
@pytest.mark.parametrize("bad, error, match", [
    (torch.zeros(3, 4, dtype=torch.long), ValueError, r"shape \(2, E\)"),
    (torch.zeros(2, 3, 1, dtype=torch.long), ValueError, r"shape \(2, E\)"),
    (torch.zeros(2, 4), TypeError, "edge_index must be an integer tensor"),
    ([[0, 1], [1, 0]], TypeError, "torch.Tensor"),
    (torch.tensor([[0, 5], [1, 0]]), ValueError, r"refers to node 5.*ids must lie in \[0, 4\]"),
    (torch.tensor([[0, 1], [1, -1]]), ValueError, r"edge_index refers to node -1"),
])
def test_bad_edge_index_gives_clear_errors(bad, error, match):
    x = torch.randn(5, C)
    with pytest.raises(error, match=match):
        GCNConv(C, 2)(x, bad)
    with pytest.raises(error, match=match):
        MessagePassing().propagate(bad, x_j=x)


def test_other_bad_inputs():
    e = torch.tensor([[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="aggr must be one of"):
        MessagePassing("median")
    with pytest.raises(ValueError, match=r"x must have shape \(N, C\)"):
        GCNConv(C, 2)(torch.randn(2, 3, C), e)
    with pytest.raises(ValueError, match="C = 5"):
        GATConv(C, 2)(torch.randn(2, 4), e)
    with pytest.raises(ValueError, match="rows but there are"):
        MessagePassing().propagate(e, x_i=torch.randn(2, 1), x_j=torch.randn(3, 1), size=2)
    with pytest.raises(ValueError, match="needs size="):
        MessagePassing().propagate(e)
    with pytest.raises(ValueError, match="score must be"):
        GATConv(C, 2, score="cosine")
    with pytest.raises(ValueError, match="conv must be one of"):
        GNN(C, 4, 2, conv="sage")
    with pytest.raises(ValueError, match="normalization must be"):
        graph_laplacian(e, 2, normalization="both")


# --- Laplacian, WL, data ------------------------------------------------------------------------
def test_graph_laplacian_matches_networkx():
    G = nx.les_miserables_graph()
    e, n = edge_index_from_networkx(G)
    w = torch.ones(e.shape[1], dtype=torch.float64)
    for norm, ref in [(None, nx.laplacian_matrix), ("sym", nx.normalized_laplacian_matrix)]:
        L = graph_laplacian(e, n, edge_weight=w, normalization=norm)
        L_nx = torch.as_tensor(ref(G, weight=None).toarray(), dtype=torch.float64)
        assert torch.allclose(L, L_nx, atol=1e-12)
    L_rw = graph_laplacian(e, n, edge_weight=w, normalization="rw")
    assert torch.allclose(L_rw.sum(1), torch.zeros(n, dtype=torch.float64), atol=1e-12)


def test_laplacian_pe_is_equivariant_up_to_sign():
    e, n = edge_index_from_networkx(nx.path_graph(9))  # simple spectrum: only signs are ambiguous
    pe = laplacian_pe(e, n, 3)
    for g in SymmetricGroup(n).sample(3, generator=torch.Generator().manual_seed(0)):
        pe_g, e_g = permute_graph(g, pe, e)
        assert torch.allclose(laplacian_pe(e_g, n, 3).abs(), pe_g.abs(), atol=1e-5)


def test_wl_on_classic_pairs():
    two_triangles = nx.disjoint_union(nx.cycle_graph(3), nx.cycle_graph(3))
    assert wl_equivalence_classes([two_triangles, nx.cycle_graph(6)]) == [[0, 1]]
    assert wl_equivalence_classes([nx.path_graph(4), nx.star_graph(3)]) == []
    e, n = edge_index_from_networkx(nx.path_graph(5))
    assert wl_colors(e, n).tolist() == [0, 1, 2, 1, 0]


def test_wl_atlas_counts():
    atlas = nx.graph_atlas_g()
    classes = wl_equivalence_classes(atlas)
    assert (len(classes), sum(map(len, classes))) == (26, 52)
    connected = [g for g in atlas if g.number_of_nodes() > 0 and nx.is_connected(g)]
    classes = wl_equivalence_classes(connected)
    assert (len(classes), sum(map(len, classes))) == (20, 40)


def test_skip_link_graphs_are_wl_equivalent_and_gnn_is_blind():
    data = make_skip_link_graphs(per_class=2, seed=0)
    assert len(data) == 20
    graphs = [nx.Graph(e.T.tolist()) for e, _ in data]
    assert wl_equivalence_classes(graphs) == [list(range(20))]
    torch.manual_seed(0)
    model = GNN(1, 8, 10, layers=3, conv="gin", readout="sum").eval()
    x, e, b, _ = collate_graphs([(torch.ones(41, 1), e, y) for e, y in data])
    out = model(x, e, b)
    assert torch.allclose(out, out[:1].expand_as(out), atol=1e-4)


def test_karate_club_has_four_communities():
    e, y = load_karate_club(seed=0)
    assert e.shape == (2, 156) and y.shape == (34,)
    assert sorted(torch.bincount(y).tolist()) == [5, 6, 11, 12]


def test_global_pool():
    x = torch.arange(6.0).view(3, 2)
    b = torch.tensor([0, 0, 1])
    assert torch.equal(global_pool(x, b, aggr="sum"), torch.tensor([[2.0, 4.0], [4.0, 5.0]]))
    assert torch.equal(global_pool(x, aggr="max"), torch.tensor([[4.0, 5.0]]))


@pytest.mark.parametrize("aggr", AGGREGATIONS)
def test_global_pool_is_scatter_by_graph(aggr):
    """The readout goes through MessagePassing and equals a scatter by graph id (empty graphs: 0)."""
    torch.manual_seed(0)
    x, b = torch.randn(9, 4), torch.tensor([0, 0, 2, 2, 2, 0, 3, 3, 2])
    assert torch.equal(global_pool(x, b, aggr=aggr), scatter(x, b, 4, aggr))
    assert torch.equal(global_pool(x, b, num_graphs=6, aggr=aggr), scatter(x, b, 6, aggr))
    assert torch.equal(global_pool(x, b, aggr=aggr)[1], torch.zeros(4))


@given(graph=random_graphs())
def test_permute_graph_is_the_permutation_matrix(graph):
    """permute_graph(g, x, e) = (P x, edges of P A P^T), P = SymmetricGroup(N).matrix(g); tuples too."""
    x, edge_index, _, elements = graph
    n = x.shape[0]
    group = SymmetricGroup(n)

    def adjacency(e):
        A = torch.zeros(n, n, dtype=torch.float64)
        return A.index_put_((e[1], e[0]), torch.ones(e.shape[1], dtype=torch.float64), accumulate=True)

    for g, _ in elements:
        P = group.matrix(g)
        for element in (g, tuple(g.tolist())):
            x_g, e_g = permute_graph(element, x, edge_index)
            assert torch.allclose(x_g.double(), P @ x.double())
            assert torch.equal(adjacency(e_g), P @ adjacency(edge_index) @ P.T)
            assert torch.equal(x_g, group.rep(element, x, dim=0))


# --- Transformers as GNNs ---------------------------------------------------------------------
def test_self_attention_is_dot_product_gat_on_complete_graph():
    torch.manual_seed(0)
    n, d, h = 7, 8, 2
    mha = nn.MultiheadAttention(d, h, batch_first=True).eval()
    gat = GATConv(d, d // h, heads=h, score="dot")
    with torch.no_grad():
        (wq, wk, wv), (bq, bk, bv) = mha.in_proj_weight.chunk(3), mha.in_proj_bias.chunk(3)
        gat.score.query.weight.copy_(wq)
        gat.score.query.bias.copy_(bq)
        gat.score.key.weight.copy_(wk)
        gat.score.key.bias.copy_(bk)
        gat.lin.weight.copy_(wv)
        gat.bias.copy_(bv)
        x = torch.randn(n, d)
        ids = torch.arange(n)
        complete = torch.stack([ids.repeat(n), ids.repeat_interleave(n)])
        ref = mha(x[None], x[None], x[None], need_weights=False)[0][0]
        assert torch.allclose(mha.out_proj(gat(x, complete)), ref, atol=1e-5)


# --- side by side with PyTorch Geometric ----------------------------------------------------------
def _peer_graph():
    torch.manual_seed(1)
    n = 15
    e = torch.randint(0, n, (2, 50))
    e = e[:, e[0] != e[1]]  # PyG keeps the weight of existing self-loops; compare on simple graphs
    return torch.randn(n, C), e


def test_gcn_matches_pyg():
    pyg = pytest.importorskip("torch_geometric.nn", reason="PyTorch Geometric is the peer for GCNConv")
    x, e = _peer_graph()
    ours, theirs = GCNConv(C, 4), pyg.GCNConv(C, 4)
    with torch.no_grad():
        theirs.lin.weight.copy_(ours.lin.weight)
        ours.bias.normal_()
        theirs.bias.copy_(ours.bias)
    assert torch.allclose(ours(x, e), theirs(x, e), atol=1e-6)


def test_gin_matches_pyg():
    pyg = pytest.importorskip("torch_geometric.nn", reason="PyTorch Geometric is the peer for GINConv")
    x, e = _peer_graph()
    net = mlp(C, 8, 4)
    ours, theirs = GINConv(net, eps=0.3), pyg.GINConv(net, eps=0.3)
    assert torch.allclose(ours(x, e), theirs(x, e), atol=1e-6)


def test_gat_matches_pyg():
    pyg = pytest.importorskip("torch_geometric.nn", reason="PyTorch Geometric is the peer for GATConv")
    x, e = _peer_graph()
    ours, theirs = GATConv(C, 3, heads=2), pyg.GATConv(C, 3, heads=2)
    with torch.no_grad():
        theirs.lin.weight.copy_(ours.lin.weight)
        theirs.att_src.copy_(ours.score.att_src[None])
        theirs.att_dst.copy_(ours.score.att_dst[None])
        ours.bias.normal_()
        theirs.bias.copy_(ours.bias)
    assert torch.allclose(ours(x, e), theirs(x, e), atol=1e-6)


def test_add_self_loops_replaces_existing_loops():
    e = add_self_loops(torch.tensor([[0, 1, 1], [0, 0, 1]]), 3)
    assert sorted(map(tuple, e.T.tolist())) == [(0, 0), (1, 0), (1, 1), (2, 2)]


def test_message_may_return_a_tuple():
    class Two(MessagePassing):
        def message(self, x_j, w):
            return x_j, w.unsqueeze(-1) * x_j

    x = torch.tensor([[1.0], [2.0]])
    a, b = Two("sum").propagate(torch.tensor([[0, 1], [1, 1]]), x_j=x, w=torch.tensor([3.0, 4.0]))
    assert torch.equal(a, torch.tensor([[0.0], [3.0]])) and torch.equal(b, torch.tensor([[0.0], [11.0]]))


def _reference_mlp(*widths, final_activation=False):
    """The ReLU MLP builder gdl.graphs had before gdl.tools.mlp: kept here to compare with."""
    layers = []
    for a, b in zip(widths[:-1], widths[1:], strict=True):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*(layers if final_activation else layers[:-1]))


def test_models_build_the_same_layers_as_before_in_the_same_order():
    """gdl.tools.mlp builds MPNN's psi/phi, GIN's batch-normed MLP and the readout head as before,
    so a seed gives the same parameters."""
    torch.manual_seed(0)
    mpnn = MPNNConv(C, 6, edge_channels=3, hidden=8)
    torch.manual_seed(0)
    psi = _reference_mlp(2 * C + 3, 8, 8, final_activation=True)
    phi = _reference_mlp(C + 8, 8, 6)
    torch.manual_seed(0)
    gin = GNN(C, 8, 3, conv="gin", readout="sum")
    torch.manual_seed(0)
    gin_nets = [nn.Sequential(nn.Linear(a, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 8)) for a in (C, 8)]
    head = _reference_mlp(8, 8, 3)
    pairs = [(mpnn.psi, psi), (mpnn.phi, phi), (gin.head, head)]
    pairs += [(conv.net, net) for conv, net in zip(gin.convs, gin_nets, strict=True)]
    for ours, ref in pairs:
        assert repr(ours) == repr(ref)
        ours_state, ref_state = ours.state_dict(), ref.state_dict()
        assert list(ours_state) == list(ref_state)
        assert all(torch.equal(ours_state[k], ref_state[k]) for k in ours_state)


# --- issue 21: bad input gets a clear error, never a silent wrong number ---------------------------
ring5 = torch.tensor([[0, 1, 2, 3, 4, 1, 2, 3, 4, 0], [1, 2, 3, 4, 0, 0, 1, 2, 3, 4]])


def test_permute_graph_refuses_a_non_permutation():
    x = torch.randn(5, 2)
    with pytest.raises(ValueError, match=r"g must be a permutation of 0\.\.4"):
        permute_graph(torch.tensor([0, 0, 1, 2, 3]), x, ring5)  # used to read uninitialised memory
    with pytest.raises(ValueError, match=r"\bg\b.*N = 5"):
        permute_graph([1, 0], x, ring5)
    px, pe = permute_graph([4, 3, 2, 1, 0], x, ring5)
    assert torch.equal(px, x.flip(0)) and torch.equal(pe, 4 - ring5)


def test_degree_and_scatter_refuse_ids_out_of_range():
    with pytest.raises(ValueError, match="index refers to node 7"):
        degree(torch.tensor([0, 1, 7]), 3)  # used to return shape (8,)
    assert torch.equal(degree(torch.tensor([0, 1, 1]), 3), torch.tensor([1.0, 2.0, 0.0]))
    with pytest.raises(ValueError, match="index refers to bucket 7"):
        scatter(torch.ones(3), torch.tensor([0, 1, 7]), 3)
    with pytest.raises(ValueError, match="batch refers to graph 2"):
        global_pool(torch.ones(3, 2), torch.tensor([0, 1, 2]), num_graphs=2)
    with pytest.raises(ValueError, match="batch refers to graph -1"):
        global_pool(torch.ones(3, 2), torch.tensor([0, -1, 1]))


def test_laplacian_pe_refuses_k_beyond_the_spectrum():
    with pytest.raises(ValueError, match=r"k must be in \[1, 4\], got 10"):
        laplacian_pe(ring5, 5, k=10)  # used to return shape (5, 4)
    assert laplacian_pe(ring5, 5, k=4).shape == (5, 4)
    with pytest.raises(ValueError, match="undirected"):
        laplacian_pe(ring5[:, :5], 5, k=2)  # one direction only: eigh would read half of L


def test_gat_gnn_needs_heads_dividing_hidden():
    with pytest.raises(ValueError, match="heads must divide hidden.*heads = 3"):
        GNN(C, 16, 2, conv="gat", heads=3)
    assert GNN(C, 15, 2, conv="gat", heads=3)(torch.randn(4, C), ring5[:, :0]).shape == (4, 2)


@pytest.mark.parametrize("conv", ["gcn", "gat", "gin", "mpnn"])
def test_models_follow_module_double(conv):
    torch.manual_seed(0)
    x, batch = torch.randn(5, C), torch.tensor([0, 0, 0, 1, 1])
    model = GNN(C, 8, 3, conv=conv, readout="mean").eval()
    out32 = model(x, ring5, batch)
    out64 = model.double()(x.double(), ring5, batch)
    assert out64.dtype == torch.float64
    torch.testing.assert_close(out64.float(), out32, atol=1e-5, rtol=1e-4)
    with pytest.raises(TypeError, match=r"model\.float\(\)"):
        model(x, ring5, batch)  # float32 input to the float64 model: a clear error


def test_layers_follow_module_double():
    torch.manual_seed(0)
    x, attr = torch.randn(5, C, dtype=torch.float64), torch.randn(10, 2, dtype=torch.float64)
    layers = [(GCNConv(C, 3), ()), (GATConv(C, 3, heads=2), ()), (GATConv(C, 3, score="dot"), ()),
              (MPNNConv(C, 3, edge_channels=2), (attr,)), (GINConv(nn.Linear(C, 3), train_eps=True), ())]
    for layer, extra in layers:
        assert layer.double()(x, ring5, *extra).dtype == torch.float64, type(layer).__name__


def test_functions_follow_the_input_dtype_and_promote_integers():
    w = torch.ones(10, dtype=torch.float64)
    assert graph_laplacian(ring5, 5, w).dtype == torch.float64
    assert scatter(torch.ones(3, dtype=torch.float64), torch.tensor([0, 0, 1]), 2).dtype == torch.float64
    mean = scatter(torch.tensor([1, 2, 4]), torch.tensor([0, 0, 1]), 2, aggr="mean")
    assert torch.equal(mean, torch.tensor([1.5, 4.0]))  # integers promoted, not truncated to 1
    assert global_pool(torch.tensor([[1], [2]]), aggr="mean").tolist() == [[1.5]]


def test_empty_graphs():
    x = torch.randn(4, C)
    none = torch.zeros(2, 0, dtype=torch.long)
    assert GCNConv(C, 3)(x, none).shape == (4, 3)  # isolated nodes: only their self-loops
    assert scatter(torch.ones(0, 2), torch.zeros(0, dtype=torch.long), 3).equal(torch.zeros(3, 2))
    assert global_pool(torch.ones(0, 2)).shape == (0, 2)
    no_nodes = torch.zeros(0, dtype=torch.long)
    assert global_pool(torch.ones(0, 2), no_nodes, num_graphs=2).equal(torch.zeros(2, 2))
    assert wl_colors(none, 0).shape == (0,)
    with pytest.raises(ValueError, match="graphs is empty"):
        wl_equivalence_classes([])


def test_edge_range_is_checked_once_per_edge_index_tensor(monkeypatch):
    """The per-layer path checks shape and dtype only: the range of ids is computed once per
    edge_index (and batch) tensor, so a deep model does not synchronise with the device per layer."""
    model = GNN(C, 8, 2, layers=3, conv="gcn", readout="sum")
    x, batch = torch.randn(5, C), torch.tensor([0, 0, 0, 1, 1])
    model(x, ring5, batch)  # the first call computes the ranges
    calls = []
    real = torch.aminmax
    monkeypatch.setattr(torch, "aminmax", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(3):
        model(x, ring5, batch)
    assert not calls
    edited = ring5.clone()
    model(x, edited, batch)
    edited[0, 0] = 9  # an in-place edit is seen
    with pytest.raises(ValueError, match="node 9"):
        model(x, edited, batch)


def test_citation_graph_checks_and_copies_its_fields():
    x, y = torch.ones(3, 2), torch.tensor([0, 1, 1])
    g = CitationGraph(x=x, edge_index=ring5[:, :0], y=y, classes=("a", "b"), paper_ids=torch.arange(3),
                      num_citations=0)
    x.zero_(), y.zero_()
    assert g.x.sum() == 6 and g.y.tolist() == [0, 1, 1]
    with pytest.raises(ValueError, match="y refers to class 2"):
        CitationGraph(x=x, edge_index=ring5[:, :0], y=torch.tensor([0, 1, 2]), classes=("a", "b"),
                      paper_ids=torch.arange(3), num_citations=0)


# ------------------------------------------------------------------------------------------------
# Sparse aggregation: the fused CSR product against the edge-wise gather-scatter
# ------------------------------------------------------------------------------------------------
def _fused_and_edgewise(make, dtype):
    import copy

    torch.manual_seed(0)
    fused = make().to(dtype)
    edgewise = copy.deepcopy(fused)
    edgewise.fuse = False
    assert fused.fused and not edgewise.fused
    return fused, edgewise


class _SumLayer(nn.Module):
    """The bare base class as a layer: forward(x, graph) = propagate with the default message."""

    def __init__(self, aggr):
        super().__init__()
        self.mp = MessagePassing(aggr)

    @property
    def fuse(self):
        return self.mp.fuse

    @fuse.setter
    def fuse(self, value):
        self.mp.fuse = value

    @property
    def fused(self):
        return self.mp.fused

    def forward(self, x, graph):
        return self.mp.propagate(graph, x_j=x)


SPARSE_LAYERS = {
    "GCNConv": lambda: GCNConv(6, 5),
    "GINConv": lambda: GINConv(mlp(6, 8, 5), eps=0.3, train_eps=True),
    "GATConv": lambda: GATConv(6, 5, heads=3),
    "GATConv, dot product, mean of heads": lambda: GATConv(6, 4, heads=2, score="dot", concat=False),
    "sum": lambda: _SumLayer("sum"),
    "mean": lambda: _SumLayer("mean"),
}


@pytest.mark.parametrize("dtype, rtol", [(torch.float32, 1e-5), (torch.float64, 1e-12)])
@pytest.mark.parametrize("name", list(SPARSE_LAYERS))
@pytest.mark.parametrize("seed", range(3))
def test_sparse_product_equals_gather_scatter_outputs_and_gradients(name, seed, dtype, rtol):
    from gdl.graphs import SparseAdjacency

    g = torch.Generator().manual_seed(seed)
    n = 37
    edges = torch.randint(0, n, (2, 200), generator=g)
    edges = torch.cat([edges, edges[:, :40], torch.tensor([[3, 3], [3, 3]])], dim=1)  # repeats, loops
    edges[:, edges[1] == 5] = 4  # node 5 receives nothing
    fused, edgewise = _fused_and_edgewise(SPARSE_LAYERS[name], dtype)
    x = torch.randn(n, 6, generator=g, dtype=dtype, requires_grad=True)
    for graph in (edges, SparseAdjacency(edges, n), edges.int()):
        y_f, y_e = fused(x, graph), edgewise(x, graph)
        w = torch.randn(y_e.shape, generator=g, dtype=dtype)
        leaves = [x] + [p for p in fused.parameters()]
        g_f = torch.autograd.grad((y_f * w).sum(), leaves)
        g_e = torch.autograd.grad((y_e * w).sum(), [x] + list(edgewise.parameters()))
        for a, b in zip((y_f, *g_f), (y_e, *g_e), strict=True):
            scale = b.abs().max().clamp(min=1)
            assert (a - b).abs().max() <= rtol * scale, (name, type(graph).__name__)


def test_sparse_product_is_twice_differentiable():
    x = torch.randn(12, 6, dtype=torch.float64, requires_grad=True)
    edges = torch.randint(0, 12, (2, 40), generator=torch.Generator().manual_seed(1))
    layer = GCNConv(6, 3).double()
    assert layer.fused
    assert torch.autograd.gradcheck(lambda x: layer(x, edges), (x,))
    assert torch.autograd.gradgradcheck(lambda x: layer(x, edges), (x,))


def test_sparse_adjacency_counts_repeated_edges_and_sorts_by_target():
    from gdl.graphs import SparseAdjacency

    edges = torch.tensor([[2, 0, 2, 1, 2], [0, 1, 0, 0, 2]])  # 2 -> 0 twice
    adj = SparseAdjacency(edges, 3)
    dense = adj.matrix("sum").csr(torch.float64).to_dense()
    expected = torch.tensor([[0.0, 1, 2], [1, 0, 0], [0, 0, 1]], dtype=torch.float64)
    assert torch.equal(dense, expected)
    assert torch.equal(adj.in_degree, torch.tensor([3, 1, 1]))
    assert torch.equal(adj.edge_index, torch.tensor([[1, 2, 2, 0, 2], [0, 0, 0, 1, 2]]))
    mean = adj.matrix("mean").csr(torch.float64).to_dense()
    assert torch.allclose(mean, expected / torch.tensor([3.0, 1, 1], dtype=torch.float64)[:, None])
    transpose = adj.matrix("sum").transpose().csr(torch.float64).to_dense()
    assert torch.equal(transpose, expected.T)
    bipartite = SparseAdjacency(torch.tensor([[0, 3], [1, 1]]), (4, 2))  # 4 sources, 2 targets
    assert bipartite.matrix().shape == (2, 4) and bipartite.size == (4, 2)


def test_the_adjacency_of_an_edge_index_is_built_once_until_it_is_edited(monkeypatch):
    import gc

    from gdl import graphs, tools

    calls = []
    real = graphs.SparseAdjacency._sort

    def counting(self, *args):
        calls.append(1)
        return real(self, *args)

    monkeypatch.setattr(graphs.SparseAdjacency, "_sort", counting)
    edges = torch.randint(0, 20, (2, 60), generator=torch.Generator().manual_seed(2))
    x = torch.randn(20, 4)
    layers = [GINConv(nn.Identity()), GINConv(nn.Identity()), _SumLayer("mean")]
    for _ in range(3):
        for layer in layers:
            layer(x, edges)
    assert len(calls) == 1  # one adjacency for three layers and three passes
    gcn = GCNConv(4, 2)
    gcn(x, edges), gcn(x, edges)
    assert len(calls) == 2  # GCN's matrix (with self-loops) is derived once and kept on it
    edges[0, 0] = (edges[0, 0] + 1) % 20  # an edit in place: the adjacency is built again
    y = layers[0](x, edges)
    assert len(calls) == 3
    assert torch.allclose(y, x + scatter(x[edges[0]], edges[1], 20))
    key = id(edges)
    del edges
    gc.collect()
    assert key not in tools._CACHE  # the adjacency goes with its edge_index


def test_gather_scatter_layers_accept_a_sparse_adjacency():
    from gdl.graphs import SparseAdjacency

    torch.manual_seed(3)
    n = 25
    edges = torch.randint(0, n, (2, 90))
    adj = SparseAdjacency(edges, n)
    x = torch.randn(n, 6)
    gat = GATConv(6, 4, heads=2)
    gat.fuse = False
    for layer in (gat, MPNNConv(6, 3)):
        assert not layer.fused
        assert torch.allclose(layer(x, adj), layer(x, edges), atol=1e-5)
    with pytest.raises(ValueError, match="SparseAdjacency of"):
        GATConv(6, 4)(torch.randn(n + 1, 6), adj)


def test_sparse_aggregation_of_an_empty_graph_is_zero():
    x = torch.randn(4, 3, requires_grad=True)
    empty = torch.zeros(2, 0, dtype=torch.long)
    out = _SumLayer("sum")(x, empty)
    assert torch.equal(out, torch.zeros(4, 3))
    out.sum().backward()
    assert torch.equal(x.grad, torch.zeros(4, 3))
    gcn = GCNConv(3, 2, bias=False)  # only the self-loops: h_u = W x_u
    assert torch.allclose(gcn(x, empty), gcn.lin(x), atol=1e-6)


@pytest.mark.parametrize("name", ["GCNConv", "GINConv", "GATConv"])
def test_a_graph_first_seen_under_inference_mode_still_trains(name):
    layer = SPARSE_LAYERS[name]()
    edges = torch.randint(0, 15, (2, 50), generator=torch.Generator().manual_seed(4))
    x = torch.randn(15, 6)
    with torch.inference_mode():  # the adjacency is built here and remembered
        expected = layer(x, edges)
    out = layer(x, edges)  # the remembered adjacency in a computation that records gradients
    out.sum().backward()
    assert torch.allclose(out, expected, atol=1e-6)
    assert all(p.grad is not None for p in layer.parameters())


def test_edge_dots_in_chunks_equal_the_gathered_product():
    from gdl.graphs import _edge_dots

    g = torch.Generator().manual_seed(5)
    a, b = torch.randn(9, 3, 4, generator=g, dtype=torch.float64), torch.randn(7, 3, 4, generator=g,
                                                                               dtype=torch.float64)
    dst, src = torch.randint(0, 9, (50,), generator=g), torch.randint(0, 7, (50,), generator=g)
    expected = (a[dst] * b[src]).sum(-1)
    for chunk in (1, 7, 50, 64):
        assert torch.allclose(_edge_dots(a, b, dst, src, chunk=chunk), expected, atol=1e-13)


@pytest.mark.parametrize("size, high", [(0, 10), (1000, 50), ((1 << 17) + 5, 2**31), ((1 << 17) + 5, 2**40)])
def test_argsort_of_keys_sorts_on_every_path(size, high):
    from gdl.graphs import _argsort

    key = torch.randint(0, high, (size,), generator=torch.Generator().manual_seed(6))
    order = _argsort(key, high)
    assert order.dtype == torch.long
    assert torch.equal(order.sort().values, torch.arange(size))  # a permutation
    assert torch.equal(key[order], key.sort().values)  # that sorts the keys


def test_with_self_loops_replaces_the_loops_by_one_per_node():
    from gdl.graphs import SparseAdjacency

    adj = SparseAdjacency(torch.tensor([[0, 1, 1, 2], [1, 1, 1, 0]]), 3)  # loop 1 -> 1 twice
    loops = adj.with_self_loops()
    assert loops is adj.with_self_loops()  # kept on the adjacency
    dense = loops.matrix("sum").csr(torch.float64).to_dense()
    assert torch.equal(dense, torch.tensor([[1.0, 0, 1], [1, 1, 0], [0, 0, 1]], dtype=torch.float64))
    with pytest.raises(ValueError, match="as many sources as targets"):
        SparseAdjacency(torch.tensor([[0], [1]]), (3, 2)).with_self_loops()
