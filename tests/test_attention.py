"""Tests for gdl.attention: Transformers as message passing, positional encodings, kNN graphs,
EdgeConv and DGCNN; peers (torch.nn.TransformerEncoderLayer, PyG's EdgeConv) and symmetry."""
import copy
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from gdl.attention import (
    DGCNN,
    EdgeConv,
    LearnedPE,
    MultiHeadSelfAttention,
    TransformerEncoderLayer,
    causal_graph,
    complete_graph,
    knn_graph,
    sinusoidal_pe,
)
from gdl.symmetry import SymmetricGroup, check_equivariance, trivial_rep
from gdl.tools import mlp

D, H, FF = 8, 2, 16


def _renumber(g, t):
    return SymmetricGroup(len(g)).rep(g, t, dim=-2)


@st.composite
def token_sets(draw, max_tokens=10):
    """(x (B, n, D), three renumberings of the n tokens)."""
    n = draw(st.integers(1, max_tokens))
    b = draw(st.integers(1, 3))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    return torch.randn(b, n, D, generator=gen), SymmetricGroup(n).sample(3, gen)


@st.composite
def point_sets(draw, min_points=12, max_points=30):
    """(x (B, n, 3) in general position, three renumberings)."""
    n = draw(st.integers(min_points, max_points))
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    return torch.randn(2, n, 3, generator=gen, dtype=torch.float64), SymmetricGroup(n).sample(3, gen)


# --- Transformers ------------------------------------------------------------------------------------


def test_graphs():
    assert complete_graph(3).shape == (2, 9) and complete_graph(3, self_loops=False).shape == (2, 6)
    assert set(map(tuple, causal_graph(4).T.tolist())) == {(j, i) for i in range(4) for j in range(i + 1)}
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="n must be"):
            complete_graph(bad)


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_equals_torch(norm_first):
    """Copied weights: the function of torch.nn.TransformerEncoderLayer, with and without a causal mask."""
    torch.manual_seed(0)
    theirs = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                        norm_first=norm_first).eval()
    ours = TransformerEncoderLayer.from_torch(theirs)
    x = torch.randn(3, 11, 16)
    mask = nn.Transformer.generate_square_subsequent_mask(11)
    with torch.no_grad():
        assert (theirs(x) - ours(x)).abs().max() < 5e-6
        assert (theirs(x, src_mask=mask, is_causal=True) - ours(x, causal_graph(11))).abs().max() < 5e-6
        assert torch.allclose(ours(x[0]), ours(x)[0], atol=1e-6)  # unbatched input
    # a wrong copy would be caught: perturb one weight
    with torch.no_grad():
        ours.ff[2].weight[0, 0] += 0.5
        assert (theirs(x) - ours(x)).abs().max() > 1e-3


def test_attention_graph_is_the_mask():
    """An arbitrary mask as a graph (each query keeps itself) equals torch's boolean mask."""
    torch.manual_seed(1)
    theirs = nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, batch_first=True).eval()
    ours = TransformerEncoderLayer.from_torch(theirs)
    allowed = (torch.rand(7, 7) < 0.4) | torch.eye(7, dtype=torch.bool)
    i, j = allowed.nonzero().T
    x = torch.randn(2, 7, D)
    with torch.no_grad():
        assert (theirs(x, src_mask=~allowed) - ours(x, torch.stack([j, i]))).abs().max() < 5e-6


@given(data=token_sets())
@settings(max_examples=25, deadline=None)
def test_encoder_layer_is_permutation_equivariant(data):
    x, perms = data
    torch.manual_seed(0)
    for norm_first in (False, True):
        layer = TransformerEncoderLayer(D, H, FF, norm_first=norm_first).eval()
        with torch.no_grad():
            assert check_equivariance(layer, x, _renumber, _renumber, perms) < 1e-5


def test_mask_and_positions_break_the_symmetry():
    torch.manual_seed(0)
    layer = TransformerEncoderLayer(D, H, FF).eval()
    x, perms = torch.randn(10, D), SymmetricGroup(10).sample(5, torch.Generator().manual_seed(0))
    pe = sinusoidal_pe(10, D)
    with torch.no_grad():
        assert check_equivariance(lambda t: layer(t, causal_graph(10)), x, _renumber, _renumber, perms) > 0.1
        assert check_equivariance(lambda t: layer(t + pe), x, _renumber, _renumber, perms) > 0.1
        assert check_equivariance(lambda t: layer(LearnedPE(10, D)(t)), x, _renumber, _renumber, perms) > 0.1


def test_attention_errors():
    with pytest.raises(ValueError, match="divisible"):
        MultiHeadSelfAttention(10, 3)
    attn = MultiHeadSelfAttention(D, H)
    with pytest.raises(ValueError, match="x must have shape"):
        attn(torch.randn(5, D))
    with pytest.raises(ValueError, match="ids must lie"):
        attn(torch.randn(1, 5, D), torch.tensor([[0, 5], [1, 2]]))
    with pytest.raises(TypeError, match="TransformerEncoderLayer"):
        TransformerEncoderLayer.from_torch(nn.Linear(2, 2))


# --- positional encodings ----------------------------------------------------------------------------


def test_sinusoidal_pe_values_and_offsets():
    pe = sinusoidal_pe(40, 6, dtype=torch.float64)
    for t, i in [(0, 0), (3, 1), (17, 2)]:
        w = 10000.0 ** (-2 * i / 6)
        assert math.isclose(pe[t, 2 * i], math.sin(w * t), abs_tol=1e-12)
        assert math.isclose(pe[t, 2 * i + 1], math.cos(w * t), abs_tol=1e-12)
    gram = pe @ pe.T
    for k in range(40):
        assert torch.allclose(torch.diagonal(gram, k), torch.diagonal(gram, k)[0].expand(40 - k), atol=1e-12)
    assert sinusoidal_pe(5, 4).dtype == torch.float32
    bads = [dict(num_positions=0, dim=4), dict(num_positions=3, dim=5), dict(num_positions=3, dim=4, base=1)]
    for bad in bads:
        with pytest.raises(ValueError):
            sinusoidal_pe(**bad)


def test_learned_pe():
    pe = LearnedPE(6, D)
    x = torch.randn(2, 4, D)
    assert torch.allclose(pe(x) - x, pe.embedding.weight[:4].expand(2, -1, -1), atol=1e-6)
    with pytest.raises(ValueError, match="n <= 6"):
        pe(torch.randn(7, D))
    with pytest.raises(ValueError, match="max_positions"):
        LearnedPE(0, D)


# --- kNN graphs, EdgeConv, DGCNN ---------------------------------------------------------------------


def _brute(x, k, loop):
    rows = x.tolist()
    out = []
    def key(i, j):
        return (-1 if j == i else sum((a - b) ** 2 for a, b in zip(rows[i], rows[j], strict=True)), j)

    for i in range(len(rows)):
        cand = [j for j in range(len(rows)) if loop or j != i]
        out.append(sorted(cand, key=lambda j, i=i: key(i, j))[:k])
    return torch.tensor(out)


@pytest.mark.parametrize("loop", [False, True])
def test_knn_graph_against_brute_force_with_ties(loop):
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 3, (2, 20, 2), generator=gen).float()  # exact ties
    e = knn_graph(x, 4, loop=loop)
    assert e.shape == (2, 2 * 20 * 4)
    assert torch.equal(e[1], torch.arange(40).repeat_interleave(4))
    for b in range(2):
        assert torch.equal(e[0].view(2, 20, 4)[b] - 20 * b, _brute(x[b], 4, loop))
    assert torch.equal(knn_graph(x[0], 4, loop=loop), knn_graph(x[:1], 4, loop=loop))


def test_knn_graph_errors():
    with pytest.raises(ValueError, match="k=5"):
        knn_graph(torch.randn(5, 2), 5)
    with pytest.raises(ValueError, match="k must be"):
        knn_graph(torch.randn(5, 2), 0)
    with pytest.raises(TypeError, match="x must be a floating-point tensor"):
        knn_graph(torch.arange(5).view(5, 1), 2)
    knn_graph(torch.randn(5, 2), 5, loop=True)


def test_edgeconv_equals_pyg():
    pyg = pytest.importorskip("torch_geometric.nn", reason="PyTorch Geometric is the peer for EdgeConv")
    torch.manual_seed(0)
    net = mlp(8, 16, 8, final_activation=True)
    x = torch.randn(40, 4)
    e = knn_graph(x, 6)
    for aggr in ("max", "mean", "sum"):
        theirs = pyg.EdgeConv(copy.deepcopy(net), aggr=aggr)  # PyG re-initialises its net: copy the weights
        theirs.nn.load_state_dict(net.state_dict())
        with torch.no_grad():
            assert (EdgeConv(net, aggr)(x, e) - theirs(x, e)).abs().max() < 1e-6


def test_edgeconv_message():
    """Hand-computed: one edge, identity net: the message is [x_i, x_j - x_i]."""
    x = torch.tensor([[1.0, 2.0], [4.0, 8.0]])
    out = EdgeConv(nn.Identity())(x, torch.tensor([[1], [0]]))
    assert torch.equal(out, torch.tensor([[1.0, 2.0, 3.0, 6.0], [0.0, 0.0, 0.0, 0.0]]))
    with pytest.raises(TypeError, match="net must be"):
        EdgeConv(lambda t: t)


@given(data=point_sets())
@settings(max_examples=20, deadline=None)
def test_edgeconv_on_its_knn_graph_is_equivariant(data):
    x, perms = data
    torch.manual_seed(0)
    conv = EdgeConv(mlp(6, 8, 8, final_activation=True)).double()
    def f(p):
        return conv(p.reshape(-1, 3), knn_graph(p, 5)).view(p.shape[0], p.shape[1], -1)

    with torch.no_grad():
        assert check_equivariance(f, x, _renumber, _renumber, perms) < 1e-9


@given(data=point_sets())
@settings(max_examples=10, deadline=None)
def test_dgcnn_is_permutation_invariant(data):
    x, perms = data
    torch.manual_seed(0)
    for dynamic in (True, False):
        model = DGCNN(3, 4, widths=(8, 8), k=5, embedding=16, dynamic=dynamic).double().eval()
        with torch.no_grad():
            assert check_equivariance(model, x, _renumber, trivial_rep, perms) < 1e-9
            assert check_equivariance(model.point_features, x, _renumber, _renumber, perms) < 1e-9


def test_dgcnn_graph_is_dynamic():
    """The second layer's graph is built from features: dynamic and static models differ."""
    torch.manual_seed(0)
    a = DGCNN(3, 4, widths=(8, 8), k=4, embedding=16)
    b = DGCNN(3, 4, widths=(8, 8), k=4, embedding=16, dynamic=False)
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 20, 3)
    assert not torch.allclose(a(x), b(x))
    with pytest.raises(ValueError, match=r"x must have shape \(B, n, C\) with C = 3"):
        a(torch.randn(20, 3))
