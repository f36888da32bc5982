"""Bad-input cases of gdl.attention (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import attention

MODULE = "attention"

ring = torch.tensor([[0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 0, 0, 1, 2, 3, 4, 5]])  # C_6


CASES = [
    Case("attention.complete_graph", "dtype", "n", lambda: attention.complete_graph(3.0)),
    Case("attention.complete_graph", "dtype", "self_loops",
         lambda: attention.complete_graph(3, "no"), TypeError),
    Case("attention.complete_graph", "value", "n", lambda: attention.complete_graph(0)),
    Case("attention.causal_graph", "dtype", "n", lambda: attention.causal_graph(True)),
    Case("attention.causal_graph", "value", "n", lambda: attention.causal_graph(-3)),
    Case("attention.MultiHeadSelfAttention", "shape", "x",
         lambda: attention.MultiHeadSelfAttention(8, 2)(torch.randn(2, 5, 6)), match="d_model = 8"),
    Case("attention.MultiHeadSelfAttention", "dtype", "x",
         lambda: attention.MultiHeadSelfAttention(8, 2)(torch.randn(2, 5, 8, dtype=torch.float64)),
         TypeError),
    Case("attention.MultiHeadSelfAttention", "value", "edge_index",
         lambda: attention.MultiHeadSelfAttention(8, 2)(torch.randn(2, 5, 8), torch.tensor([[0], [9]]))),
    Case("attention.MultiHeadSelfAttention", "value", "heads",
         lambda: attention.MultiHeadSelfAttention(8, 3)),
    Case("attention.TransformerEncoderLayer", "shape", "x",
         lambda: attention.TransformerEncoderLayer(8, 2, 16)(torch.randn(2, 5, 7))),
    Case("attention.TransformerEncoderLayer", "dtype", "x",
         lambda: attention.TransformerEncoderLayer(8, 2, 16)(torch.ones(2, 5, 8, dtype=torch.long)),
         TypeError),
    Case("attention.TransformerEncoderLayer", "value", "eps",
         lambda: attention.TransformerEncoderLayer(8, 2, 16, eps=0.0)),
    Case("attention.sinusoidal_pe", "dtype", "dtype",
         lambda: attention.sinusoidal_pe(4, 6, dtype=torch.long), TypeError),
    Case("attention.sinusoidal_pe", "value", "dim", lambda: attention.sinusoidal_pe(4, 5)),
    Case("attention.sinusoidal_pe", "value", "base", lambda: attention.sinusoidal_pe(4, 6, base=1.0)),
    Case("attention.LearnedPE", "shape", "x", lambda: attention.LearnedPE(4, 6)(torch.randn(2, 5, 6)),
         match="n <= 4"),
    Case("attention.LearnedPE", "dtype", "x",
         lambda: attention.LearnedPE(4, 6)(torch.randn(2, 3, 6, dtype=torch.float64)), TypeError),
    Case("attention.LearnedPE", "value", "max_positions", lambda: attention.LearnedPE(0, 6)),
    Case("attention.knn_graph", "shape", "x", lambda: attention.knn_graph(torch.randn(5), 2)),
    Case("attention.knn_graph", "dtype", "x",
         lambda: attention.knn_graph(torch.arange(5).view(5, 1), 2), TypeError),
    Case("attention.knn_graph", "value", "k", lambda: attention.knn_graph(torch.randn(5, 2), 5)),
    Case("attention.knn_graph", "value", "x",
         lambda: attention.knn_graph(torch.tensor([[0.0], [float("nan")], [1.0]]), 1)),
    Case("attention.EdgeConv", "shape", "x",
         lambda: attention.EdgeConv(torch.nn.Linear(4, 3))(torch.randn(5), ring)),
    Case("attention.EdgeConv", "dtype", "net", lambda: attention.EdgeConv("mlp"), TypeError),
    Case("attention.EdgeConv", "value", "edge_index",
         lambda: attention.EdgeConv(torch.nn.Linear(4, 3))(torch.randn(3, 2), ring)),
    Case("attention.DGCNN", "shape", "x",
         lambda: attention.DGCNN(3, 4, (8,), k=2, embedding=8)(torch.randn(20, 3)),
         match="C = 3"),
    Case("attention.DGCNN", "dtype", "x",
         lambda: attention.DGCNN(3, 4, (8,), k=2, embedding=8)(torch.randn(2, 6, 3, dtype=torch.float64)),
         TypeError),
    Case("attention.DGCNN", "value", "widths", lambda: attention.DGCNN(3, 4, (8, 0))),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "attention.complete_graph": {"shape": "takes a size, no array"},
    "attention.causal_graph": {"shape": "takes a size, no array"},
    "attention.sinusoidal_pe": {"shape": "takes sizes, no array"},
}
