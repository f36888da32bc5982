"""Bad input gets a clear error that names the argument, never a deep traceback or a silent wrong number.

Each public name of a covered module has a case of each kind: a wrong shape, a wrong dtype and an
out-of-range value. A case asserts the error's type and that its message names the argument.
A name that has no argument of some kind is in EXEMPT with the reason. The cases of the first
modules covered are below; the others live in ``tests/bad_inputs/<module>.py``, one file per
module (see that package's docstring), and are gathered here.
"""
import importlib
import pkgutil
import re

import bad_inputs
import pytest
import torch
from bad_inputs import KINDS, Case

from gdl import attention, egnn, grids, priors, sequences, spectral, tools
from gdl.datasets import egnn as data_egnn
from gdl.datasets import grids as data_grids
from gdl.datasets import priors as data_priors
from gdl.datasets import real as data_real
from gdl.datasets import sequences as data_sequences
from gdl.datasets import spectral as data_spectral

x8 = torch.randn(2, 8)


ring3 = torch.tensor([[0, 1, 2, 1, 2, 0], [1, 2, 0, 0, 1, 2]])  # C_3, both directions


E3 = egnn.EuclideanGroup(3)


def _egnn_element():
    return (E3.identity(), torch.tensor([2, 0, 1]))


def _particles(h=None, x=None, v=None, e=None, a=None):
    """The N-body models' inputs on a 3-particle system, with one of them replaced."""
    return (torch.ones(3, 1) if h is None else h, torch.zeros(3, 3) if x is None else x,
            torch.zeros(3, 3) if v is None else v, ring3 if e is None else e,
            torch.ones(6, 1) if a is None else a)


def _blobs():
    return torch.randn(8, 2), torch.randint(0, 2, (8,))


def _with_env(name, value, call):
    import os
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        return call()
    finally:
        os.environ.pop(name) if old is None else os.environ.__setitem__(name, old)


def _enter(context):
    with context:
        pass


def _cell(name: str) -> torch.nn.Module:
    """A cell of gdl.sequences with 2 inputs and 5 hidden units."""
    return getattr(sequences, name)(2, 5)

img = torch.randn(2, 1, 8, 8)
ints = torch.arange(16).view(2, 8)
ring = torch.tensor([[0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 0, 0, 1, 2, 3, 4, 5]])  # C_6

CASES = [
    # ---- gdl.tools: the checks themselves, and the tools that take data
    Case("tools.check_tensor", "shape", "edge_index",
         lambda: tools.check_tensor(torch.zeros(5, 2), "edge_index", "2 E")),
    Case("tools.check_tensor", "dtype", "edge_index",
         lambda: tools.check_tensor(torch.zeros(2, 5), "edge_index", "2 E", dtype="int"), TypeError),
    Case("tools.check_tensor", "value", "x",
         lambda: tools.check_tensor(torch.tensor([float("nan")]), "x", finite=True)),
    Case("tools.as_float", "shape", "x", lambda: tools.as_float(torch.zeros(3), "x", "n 3")),
    Case("tools.as_float", "dtype", "z",
         lambda: tools.as_float(torch.zeros(2, dtype=torch.complex64), "z"), TypeError),
    Case("tools.as_float", "value", "x",
         lambda: tools.as_float(torch.tensor([float("inf")]), "x", finite=True)),
    Case("tools.check_index", "shape", "edge_index",
         lambda: tools.check_index([0, 1], "edge_index", 3, "node"),
         TypeError),
    Case("tools.check_index", "dtype", "batch",
         lambda: tools.check_index(torch.zeros(2), "batch", 3, "graph"),
         TypeError),
    Case("tools.check_index", "value", "edge_index",
         lambda: tools.check_index(torch.tensor([0, 7]), "edge_index", 3, "node"), match="node 7"),
    Case("tools.check_number", "shape", "k", lambda: tools.check_number(torch.ones(2), "k")),
    Case("tools.check_number", "dtype", "k", lambda: tools.check_number(2.5, "k", integer=True)),
    Case("tools.check_number", "value", "k", lambda: tools.check_number(0, "k", low=1)),
    Case("tools.check_dtype_matches", "dtype", "x",
         lambda: tools.check_dtype_matches(torch.zeros(1, 2, dtype=torch.float64), torch.nn.Linear(2, 2)),
         TypeError),
    # ---- gdl.grids
    Case("grids.circular_shift", "shape", "g", lambda: grids.circular_shift((1, 2, 3, 4), x8), match="shape"),
    Case("grids.circular_shift", "dtype", "g", lambda: grids.circular_shift(1.5, x8)),
    Case("grids.circular_shift", "dtype", "x", lambda: grids.circular_shift(1, [1, 2, 3]), TypeError),
    Case("grids.shift_matrix", "value", "n", lambda: grids.shift_matrix(0)),
    Case("grids.shift_matrix", "dtype", "n", lambda: grids.shift_matrix(True)),
    Case("grids.shift_matrix", "dtype", "dtype", lambda: grids.shift_matrix(3, dtype="float"), TypeError),
    Case("grids.commutant", "shape", "generators", lambda: grids.commutant([torch.randn(2, 3)])),
    Case("grids.commutant", "dtype", "generators",
         lambda: grids.commutant([torch.eye(2, dtype=torch.complex64)]), TypeError),
    Case("grids.commutant", "value", "tol", lambda: grids.commutant([torch.eye(2)], tol=-1.0)),
    Case("grids.circulant", "shape", "w", lambda: grids.circulant(torch.zeros(3, 0))),
    Case("grids.circulant", "dtype", "w", lambda: grids.circulant([1.0, 2.0]), TypeError),
    Case("grids.dft_matrix", "value", "n", lambda: grids.dft_matrix(-2)),
    Case("grids.dft_matrix", "dtype", "dtype", lambda: grids.dft_matrix(4, dtype=torch.float64), TypeError),
    Case("grids.circular_conv", "shape", "w", lambda: grids.circular_conv(torch.randn(4, 5), torch.randn(6))),
    Case("grids.circular_conv", "dtype", "w",
         lambda: grids.circular_conv(x8, torch.ones(3, dtype=torch.complex64)), TypeError),
    Case("grids.circular_conv", "value", "x", lambda: grids.circular_conv(torch.zeros(2, 0), torch.ones(1))),
    Case("grids.fft_conv", "shape", "w", lambda: grids.fft_conv(x8, torch.ones(3, 3))),
    Case("grids.fft_conv", "dtype", "x",
         lambda: grids.fft_conv(x8.to(torch.complex64), torch.ones(3)), TypeError),
    Case("grids.fft_conv", "value", "w", lambda: grids.fft_conv(x8, torch.ones(9))),
    Case("grids.GridConv", "shape", "x", lambda: grids.GridConv(1, 2)(torch.randn(8, 8))),
    Case("grids.GridConv", "dtype", "x",
         lambda: grids.GridConv(1, 2)(img.double()), TypeError, r"\.double\(\)"),
    Case("grids.GridConv", "value", "kernel_size", lambda: grids.GridConv(1, 2, kernel_size=4)),
    Case("grids.GridConv", "value", "in_channels", lambda: grids.GridConv(0, 2)),
    Case("grids.LocalPool", "shape", "x", lambda: grids.LocalPool()(torch.randn(2, 8, 8))),
    Case("grids.LocalPool", "dtype", "x", lambda: grids.LocalPool()(torch.ones(2, 1, 4, 4, dtype=torch.long)),
         TypeError),
    Case("grids.LocalPool", "value", "size", lambda: grids.LocalPool(size=0)),
    Case("grids.GlobalAvgPool", "shape", "x", lambda: grids.GlobalAvgPool(dim=1)(img)),
    Case("grids.GlobalAvgPool", "dtype", "x",
         lambda: grids.GlobalAvgPool()(torch.ones(2, 1, 4, 4, dtype=torch.long)),
         TypeError),
    Case("grids.GlobalAvgPool", "value", "x", lambda: grids.GlobalAvgPool()(torch.ones(2, 1, 0, 4))),
    Case("grids.ConvBlock", "shape", "x", lambda: grids.ConvBlock(1, 2)(torch.randn(1, 8, 8))),
    Case("grids.ConvBlock", "dtype", "x", lambda: grids.ConvBlock(1, 2)(img.double()), TypeError),
    Case("grids.ConvBlock", "value", "out_channels", lambda: grids.ConvBlock(1, -2)),
    Case("grids.GridCNN", "shape", "x", lambda: grids.GridCNN(1, 10)(torch.randn(1, 3, 8, 8)), match="C = 1"),
    Case("grids.GridCNN", "dtype", "x", lambda: grids.GridCNN(1, 10)(img.double()), TypeError),
    Case("grids.GridCNN", "value", "num_classes", lambda: grids.GridCNN(1, 0)),
    Case("grids.random_displacement", "shape", "shape", lambda: grids.random_displacement(2, (4, 4, 4))),
    Case("grids.random_displacement", "dtype", "batch", lambda: grids.random_displacement(2.0, (8,))),
    Case("grids.random_displacement", "value", "num_modes",
         lambda: grids.random_displacement(2, (8,), num_modes=0)),
    Case("grids.warp", "shape", "displacement", lambda: grids.warp(img, torch.zeros(2, 1, 8, 8))),
    Case("grids.warp", "dtype", "displacement",
         lambda: grids.warp(img, torch.zeros(2, 2, 8, 8, dtype=torch.complex64)), TypeError),
    Case("grids.warp", "value", "displacement",
         lambda: grids.warp(img, torch.full((2, 2, 8, 8), float("nan")))),
    Case("grids.smooth_warp", "shape", "x", lambda: grids.smooth_warp(torch.randn(8, 8), 1.0)),
    Case("grids.smooth_warp", "dtype", "x",
         lambda: grids.smooth_warp(img.to(torch.complex64), 1.0), TypeError),
    Case("grids.smooth_warp", "value", "amplitude", lambda: grids.smooth_warp(img, -1.0)),
    # ---- gdl.sequences
    Case("sequences.VanillaRNNCell", "shape", "x",
         lambda: _cell("VanillaRNNCell")(torch.zeros(4, 3), torch.zeros(4, 5)),
         match="C = 2"),
    Case("sequences.VanillaRNNCell", "dtype", "x",
         lambda: _cell("VanillaRNNCell")(torch.zeros(4, 2, dtype=torch.float64), torch.zeros(4, 5)),
         TypeError, r"\.double\(\)"),
    Case("sequences.VanillaRNNCell", "value", "hidden_size", lambda: sequences.VanillaRNNCell(2, 0)),
    Case("sequences.LeakyRNNCell", "shape", "h",
         lambda: _cell("LeakyRNNCell")(torch.zeros(4, 2), torch.zeros(3, 5))),
    Case("sequences.LeakyRNNCell", "dtype", "x",
         lambda: _cell("LeakyRNNCell")(torch.zeros(4, 2, dtype=torch.long), torch.zeros(4, 5)), TypeError),
    Case("sequences.LeakyRNNCell", "value", "time_scale",
         lambda: _cell("LeakyRNNCell")(torch.zeros(4, 2), torch.zeros(4, 5), time_scale=0.0)),
    Case("sequences.GatedRNNCell", "shape", "h",
         lambda: _cell("GatedRNNCell")(torch.zeros(4, 2), torch.zeros(4, 6))),
    Case("sequences.GatedRNNCell", "dtype", "h",
         lambda: _cell("GatedRNNCell")(torch.zeros(4, 2), torch.zeros(4, 5, dtype=torch.long)), TypeError),
    Case("sequences.GatedRNNCell", "value", "time_scale",
         lambda: _cell("GatedRNNCell")(torch.zeros(4, 2), torch.zeros(4, 5), time_scale=2.0)),
    Case("sequences.GRUCell", "shape", "x", lambda: _cell("GRUCell")(torch.zeros(2), torch.zeros(4, 5))),
    Case("sequences.GRUCell", "dtype", "input_size", lambda: sequences.GRUCell(2.0, 5)),
    Case("sequences.GRUCell", "value", "input_size", lambda: sequences.GRUCell(-1, 5)),
    Case("sequences.LSTMCell", "shape", "c",
         lambda: _cell("LSTMCell")(torch.zeros(4, 2), (torch.zeros(4, 5), torch.zeros(4, 4)))),
    Case("sequences.LSTMCell", "dtype", "state",
         lambda: _cell("LSTMCell")(torch.zeros(4, 2), torch.zeros(4, 5)),
         TypeError),
    Case("sequences.LSTMCell", "value", "hidden_size", lambda: sequences.LSTMCell(2, True)),
    Case("sequences.unroll", "shape", "x", lambda: sequences.unroll(_cell("GRUCell"), torch.zeros(1, 3, 5))),
    Case("sequences.unroll", "dtype", "mask",
         lambda: sequences.unroll(_cell("GRUCell"), torch.zeros(1, 3, 2), mask=torch.ones(1, 3)), TypeError),
    Case("sequences.unroll", "value", "x", lambda: sequences.unroll(_cell("GRUCell"), torch.zeros(2, 0, 2)),
         match="at least one time step"),
    Case("sequences.RecurrentClassifier", "shape", "x",
         lambda: sequences.RecurrentClassifier(_cell("GRUCell"), 3)(torch.zeros(5, 2))),
    Case("sequences.RecurrentClassifier", "dtype", "cell", lambda: sequences.RecurrentClassifier("gru", 3),
         TypeError),
    Case("sequences.RecurrentClassifier", "value", "num_classes",
         lambda: sequences.RecurrentClassifier(_cell("GRUCell"), 0)),
    Case("sequences.tied_lstm", "dtype", "gated", lambda: sequences.tied_lstm(_cell("GRUCell")), TypeError),
    Case("sequences.tied_lstm", "value", "output_bias",
         lambda: sequences.tied_lstm(_cell("GatedRNNCell"), output_bias=-1.0)),
    Case("sequences.fixed_point_state", "dtype", "cell",
         lambda: sequences.fixed_point_state(torch.nn.GRUCell(2, 3)),
         TypeError),
    Case("sequences.fixed_point_state", "value", "batch_size",
         lambda: sequences.fixed_point_state(_cell("GRUCell"), 0)),
    Case("sequences.fixed_point_state", "value", "tol",
         lambda: sequences.fixed_point_state(_cell("GRUCell"), tol=0)),
    Case("sequences.delay", "shape", "x", lambda: sequences.delay(torch.zeros(3, 2), 1)),
    Case("sequences.delay", "dtype", "x",
         lambda: sequences.delay(torch.zeros(1, 3, 2, dtype=torch.complex64), 1),
         TypeError),
    Case("sequences.delay", "value", "s", lambda: sequences.delay(torch.zeros(1, 3, 2), -1)),
    Case("sequences.chrono_bias", "dtype", "hidden_size", lambda: sequences.chrono_bias(4.5, 10.0)),
    Case("sequences.chrono_bias", "value", "t_max", lambda: sequences.chrono_bias(4, 2.0)),
    Case("sequences.chrono_init", "dtype", "cell", lambda: sequences.chrono_init(torch.nn.Linear(2, 2), 10.0),
         TypeError),
    Case("sequences.chrono_init", "value", "t_max",
         lambda: sequences.chrono_init(_cell("GatedRNNCell"), 1.0)),
    Case("sequences.stretch", "shape", "x", lambda: sequences.stretch(torch.zeros(3, 2), 2)),
    Case("sequences.stretch", "dtype", "k", lambda: sequences.stretch(torch.zeros(1, 3, 2), 2.0)),
    Case("sequences.stretch", "value", "k", lambda: sequences.stretch(torch.zeros(1, 3, 2), 0)),
    Case("sequences.warp_error", "shape", "x",
         lambda: sequences.warp_error(_cell("GRUCell"), torch.zeros(3, 2), 2)),
    Case("sequences.warp_error", "dtype", "k",
         lambda: sequences.warp_error(_cell("GRUCell"), torch.zeros(1, 3, 2), 1.5)),
    Case("sequences.warp_error", "value", "time_scale",
         lambda: sequences.warp_error(_cell("LeakyRNNCell"), torch.zeros(1, 3, 2), 2, time_scale=-1.0)),
    # ---- gdl.spectral
    Case("spectral.graph_fourier_basis", "shape", "edge_index",
         lambda: spectral.graph_fourier_basis(ring.T, 6)),
    Case("spectral.graph_fourier_basis", "dtype", "edge_index",
         lambda: spectral.graph_fourier_basis(ring.float(), 6), TypeError),
    Case("spectral.graph_fourier_basis", "value", "edge_index",
         lambda: spectral.graph_fourier_basis(ring, 4)),
    Case("spectral.graph_fourier_basis", "value", "edge_weight",
         lambda: spectral.graph_fourier_basis(ring, 6, torch.full((12,), float("nan")))),
    Case("spectral.spectral_filter", "shape", "eigenvectors",
         lambda: spectral.spectral_filter(torch.ones(6), torch.ones(3), torch.eye(5)[:, :3], torch.ones(3))),
    Case("spectral.spectral_filter", "dtype", "eigenvectors",
         lambda: spectral.spectral_filter(torch.ones(6), torch.ones(6), torch.eye(6, dtype=torch.long),
                                          lambda lam: lam), TypeError),
    Case("spectral.spectral_filter", "value", "eigenvalues",
         lambda: spectral.spectral_filter(torch.ones(6), torch.full((6,), float("inf")), torch.eye(6),
                                          lambda lam: lam)),
    Case("spectral.SpectralConv", "shape", "eigenvectors",
         lambda: spectral.SpectralConv(2, 3, 4)(torch.ones(6, 2), torch.eye(6)[:, :3])),
    Case("spectral.SpectralConv", "dtype", "x",
         lambda: spectral.SpectralConv(2, 3, 4)(torch.ones(6, 2, dtype=torch.float64), torch.eye(6)),
         TypeError),
    Case("spectral.SpectralConv", "value", "num_modes", lambda: spectral.SpectralConv(2, 3, 0)),
    Case("spectral.scaled_laplacian", "shape", "edge_weight",
         lambda: spectral.scaled_laplacian(ring, 6, torch.ones(5))),
    Case("spectral.scaled_laplacian", "dtype", "dtype",
         lambda: spectral.scaled_laplacian(ring, 6, dtype=torch.long), TypeError),
    Case("spectral.scaled_laplacian", "value", "lambda_max",
         lambda: spectral.scaled_laplacian(ring, 6, lambda_max=-1.0)),
    Case("spectral.ChebConv", "shape", "x", lambda: spectral.ChebConv(2, 3, 2)(torch.ones(6, 3), ring)),
    Case("spectral.ChebConv", "dtype", "x",
         lambda: spectral.ChebConv(2, 3, 2)(torch.ones(6, 2, dtype=torch.float64), ring), TypeError),
    Case("spectral.ChebConv", "value", "K", lambda: spectral.ChebConv(2, 3, 0)),
    Case("spectral.dirichlet_energy", "shape", "x",
         lambda: spectral.dirichlet_energy(torch.ones(6, 2, 2), ring)),
    Case("spectral.dirichlet_energy", "dtype", "x",
         lambda: spectral.dirichlet_energy(torch.ones(6, dtype=torch.complex64), ring), TypeError),
    Case("spectral.dirichlet_energy", "value", "edge_index",
         lambda: spectral.dirichlet_energy(torch.ones(3), ring)),
    Case("spectral.normalized_dirichlet_energy", "shape", "x",
         lambda: spectral.normalized_dirichlet_energy(torch.ones(6, 2, 2), ring)),
    Case("spectral.normalized_dirichlet_energy", "dtype", "x",
         lambda: spectral.normalized_dirichlet_energy(torch.ones(6, dtype=torch.complex64), ring), TypeError),
    Case("spectral.normalized_dirichlet_energy", "value", "x",
         lambda: spectral.normalized_dirichlet_energy(torch.zeros(6), ring)),
    # ---- gdl.attention
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
    # ---- gdl.priors
    Case("priors.knn_regress", "shape", "x_query",
         lambda: priors.knn_regress(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 3))),
    Case("priors.knn_regress", "dtype", "x_train",
         lambda: priors.knn_regress(torch.zeros(5, 2, dtype=torch.cfloat), torch.zeros(5), torch.zeros(3, 2)),
         TypeError),
    Case("priors.knn_regress", "value", "k",
         lambda: priors.knn_regress(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 2), k=6)),
    Case("priors.knn_classify", "shape", "y_train",
         lambda: priors.knn_classify(torch.zeros(5, 2), torch.zeros(4, dtype=torch.long), torch.zeros(3, 2))),
    Case("priors.knn_classify", "dtype", "y_train",
         lambda: priors.knn_classify(torch.zeros(5, 2), torch.zeros(5), torch.zeros(3, 2)), TypeError),
    Case("priors.knn_classify", "value", "y_train",
         lambda: priors.knn_classify(torch.zeros(5, 2), -torch.ones(5, dtype=torch.long), torch.zeros(3, 2))),
    Case("priors.haar_scattering_1d", "shape", "x", lambda: priors.haar_scattering_1d(torch.tensor(1.0), 1)),
    Case("priors.haar_scattering_1d", "dtype", "levels", lambda: priors.haar_scattering_1d(x8, 1.5)),
    Case("priors.haar_scattering_1d", "value", "levels", lambda: priors.haar_scattering_1d(x8, 4)),
    Case("priors.coarse_grain", "shape", "x", lambda: priors.coarse_grain(torch.zeros(8))),
    Case("priors.coarse_grain", "dtype", "x",
         lambda: priors.coarse_grain(torch.zeros(4, 4, dtype=torch.complex64)),
         TypeError),
    Case("priors.coarse_grain", "value", "factor", lambda: priors.coarse_grain(torch.zeros(4, 4), 3)),
    Case("priors.haar_step", "shape", "x", lambda: priors.haar_step(torch.zeros(5, 4))),
    Case("priors.haar_step", "dtype", "x", lambda: priors.haar_step([[1.0, 2.0], [3.0, 4.0]]), TypeError),
    Case("priors.haar_step", "value", "x", lambda: priors.haar_step(torch.zeros(4, 3)), match="divisible"),
    Case("priors.haar_unstep", "shape", "details",
         lambda: priors.haar_unstep(torch.zeros(2, 2), torch.zeros(2, 2, 2))),
    Case("priors.haar_unstep", "dtype", "ll",
         lambda: priors.haar_unstep(torch.zeros(2, 2, dtype=torch.complex64), torch.zeros(3, 2, 2)),
         TypeError),
    Case("priors.haar_unstep", "value", "details",
         lambda: priors.haar_unstep(torch.zeros(2, 2), torch.zeros(3, 2, 3))),
    Case("priors.haar_pyramid", "shape", "x", lambda: priors.haar_pyramid(torch.zeros(8), 1)),
    Case("priors.haar_pyramid", "dtype", "levels", lambda: priors.haar_pyramid(torch.zeros(8, 8), 2.0)),
    Case("priors.haar_pyramid", "value", "levels", lambda: priors.haar_pyramid(torch.zeros(8, 8), 0)),
    Case("priors.haar_reconstruct", "shape", "approx", lambda: priors.haar_reconstruct(torch.zeros(3), [])),
    Case("priors.haar_reconstruct", "dtype", "details",
         lambda: priors.haar_reconstruct(torch.zeros(2, 2), "d"),
         TypeError),
    Case("priors.haar_reconstruct", "value", "details",
         lambda: priors.haar_reconstruct(torch.zeros(2, 2), [torch.zeros(3, 4, 4)])),
    Case("priors.energy_per_scale", "shape", "details",
         lambda: priors.energy_per_scale(torch.ones(2, 2), "d"),
         TypeError),
    Case("priors.energy_per_scale", "dtype", "approx",
         lambda: priors.energy_per_scale(torch.ones(2, 2, dtype=torch.complex64), []), TypeError),
    Case("priors.energy_per_scale", "value", "approx",
         lambda: priors.energy_per_scale(torch.zeros(2, 2), [])),
    Case("priors.haar_mosaic", "shape", "approx", lambda: priors.haar_mosaic(torch.zeros(1, 2, 2), [])),
    Case("priors.haar_mosaic", "dtype", "details",
         lambda: priors.haar_mosaic(torch.zeros(2, 2), None), TypeError),
    Case("priors.haar_mosaic", "value", "details",
         lambda: priors.haar_mosaic(torch.zeros(2, 2), [torch.zeros(3, 3, 2)])),
    Case("priors.draw_blueprint", "dtype", "n_blocks", lambda: priors.draw_blueprint(n_blocks=2.0)),
    Case("priors.draw_blueprint", "value", "n_blocks", lambda: priors.draw_blueprint(n_blocks=5)),
    Case("priors.blueprint_model", "dtype", "channels", lambda: priors.blueprint_model(1, 2.5)),
    Case("priors.blueprint_model", "value", "n_pools", lambda: priors.blueprint_model(-1)),
    # ---- the data modules of the covered chapters, and gdl.datasets.real
    Case("datasets.grids.load_digits", "dtype", "size", lambda: data_grids.load_digits(8.0)),
    Case("datasets.grids.load_digits", "value", "size", lambda: data_grids.load_digits(0)),
    Case("datasets.grids.permute_pixels", "shape", "perm",
         lambda: data_grids.permute_pixels(img, torch.arange(63))),
    Case("datasets.grids.permute_pixels", "dtype", "perm",
         lambda: data_grids.permute_pixels(img, torch.arange(64.0)), TypeError),
    Case("datasets.grids.permute_pixels", "value", "perm",
         lambda: data_grids.permute_pixels(img, torch.zeros(64, dtype=torch.long)), match="permutation"),
    Case("datasets.grids.random_circular_shifts", "shape", "x",
         lambda: data_grids.random_circular_shifts(torch.zeros(8, 8))),
    Case("datasets.grids.random_circular_shifts", "dtype", "x",
         lambda: data_grids.random_circular_shifts([[1.0]]), TypeError),
    Case("datasets.grids.random_circular_shifts", "value", "x",
         lambda: data_grids.random_circular_shifts(torch.zeros(2, 1, 0))),
    Case("datasets.priors.GridBumpTarget", "shape", "x",
         lambda: data_priors.GridBumpTarget(3)(torch.zeros(5, 4))),
    Case("datasets.priors.GridBumpTarget", "dtype", "seed", lambda: data_priors.GridBumpTarget(3, seed="a"),
         TypeError),
    Case("datasets.priors.GridBumpTarget", "value", "x",
         lambda: data_priors.GridBumpTarget(3)(torch.full((2, 3), float("nan")))),
    Case("datasets.sequences.warped_recall", "dtype", "n", lambda: data_sequences.warped_recall(2.5, 2)),
    Case("datasets.sequences.warped_recall", "value", "num_symbols",
         lambda: data_sequences.warped_recall(4, 2, num_symbols=1)),
    Case("datasets.sequences.adding_task", "dtype", "length", lambda: data_sequences.adding_task(4, 3.0)),
    Case("datasets.sequences.adding_task", "value", "length", lambda: data_sequences.adding_task(4, 1)),
    Case("datasets.spectral.sensor_graph", "dtype", "num_nodes", lambda: data_spectral.sensor_graph(10.0)),
    Case("datasets.spectral.sensor_graph", "value", "k", lambda: data_spectral.sensor_graph(10, 10)),
    Case("datasets.real.load_mnist", "dtype", "resolution", lambda: data_real.load_mnist(resolution=14.0)),
    Case("datasets.real.load_mnist", "value", "split", lambda: data_real.load_mnist("val")),
    Case("datasets.real.load_qm9", "dtype", "n", lambda: data_real.load_qm9(n=2.5)),
    Case("datasets.real.load_qm9", "value", "n", lambda: data_real.load_qm9(n=0)),
    Case("datasets.real.load_qm9", "value", "max_atoms", lambda: data_real.load_qm9(n=3, max_atoms=-1)),
    # ---- gdl.egnn and its data module
    Case("egnn.EuclideanGroup", "shape", "u", lambda: E3.act(E3.identity(), torch.zeros(4, 2))),
    Case("egnn.EuclideanGroup", "dtype", "u",
         lambda: E3.act(E3.identity(), torch.zeros(4, 3, dtype=torch.long)),
         TypeError),
    Case("egnn.EuclideanGroup", "value", "dim", lambda: egnn.EuclideanGroup(0)),
    Case("egnn.act_geometric", "shape", "x",
         lambda: egnn.act_geometric(_egnn_element(), (torch.zeros(3, 2), torch.zeros(3, 2), ring3))),
    Case("egnn.act_geometric", "dtype", "edge_index",
         lambda: egnn.act_geometric(_egnn_element(), (torch.zeros(3, 2), torch.zeros(3, 3), ring3.float())),
         TypeError),
    Case("egnn.act_geometric", "value", "edge_index",
         lambda: egnn.act_geometric(_egnn_element(), (torch.zeros(3, 2), torch.zeros(3, 3), ring3 + 5))),
    Case("egnn.EGNNLayer", "shape", "h",
         lambda: egnn.EGNNLayer(4)(torch.zeros(3, 5), torch.zeros(3, 3), ring3),
         match="hidden = 4"),
    Case("egnn.EGNNLayer", "dtype", "h",
         lambda: egnn.EGNNLayer(4)(torch.zeros(3, 4, dtype=torch.float64), torch.zeros(3, 3), ring3),
         TypeError),
    Case("egnn.EGNNLayer", "value", "edge_index",
         lambda: egnn.EGNNLayer(4)(torch.zeros(3, 4), torch.zeros(3, 3), ring3 + 5)),
    Case("egnn.EGNNLayer", "value", "edge_attr",
         lambda: egnn.EGNNLayer(4, edge_dim=2)(torch.zeros(3, 4), torch.zeros(3, 3), ring3)),
    Case("egnn.EGNN", "shape", "h", lambda: egnn.EGNN(4, 8, 2)(torch.zeros(3, 3), torch.zeros(3, 3), ring3),
         match="in_features = 4"),
    Case("egnn.EGNN", "dtype", "h",
         lambda: egnn.EGNN(4, 8, 2)(torch.zeros(3, 4, dtype=torch.float64), torch.zeros(3, 3), ring3),
         TypeError),
    Case("egnn.EGNN", "value", "layers", lambda: egnn.EGNN(4, 8, 0)),
    Case("egnn.CoordinateMPNNLayer", "shape", "x",
         lambda: egnn.CoordinateMPNNLayer(4, dim=3)(torch.zeros(3, 4), torch.zeros(3, 2), ring3)),
    Case("egnn.CoordinateMPNNLayer", "dtype", "x",
         lambda: egnn.CoordinateMPNNLayer(4)(torch.zeros(3, 4), torch.zeros(3, 3, dtype=torch.long), ring3),
         TypeError),
    Case("egnn.CoordinateMPNNLayer", "value", "dim", lambda: egnn.CoordinateMPNNLayer(4, dim=0)),
    Case("egnn.ParticleMPNN", "shape", "v",
         lambda: egnn.ParticleMPNN(8, 1)(*_particles(v=torch.zeros(3, 2)))),
    Case("egnn.ParticleMPNN", "dtype", "h",
         lambda: egnn.ParticleMPNN(8, 1)(*_particles(h=torch.zeros(3, 1, dtype=torch.float64))), TypeError),
    Case("egnn.ParticleMPNN", "value", "edge_index",
         lambda: egnn.ParticleMPNN(8, 1)(*_particles(e=ring3 + 5))),
    Case("egnn.ParticleEGNN", "shape", "edge_attr",
         lambda: egnn.ParticleEGNN(8, 1)(*_particles(a=torch.zeros(6, 2)))),
    Case("egnn.ParticleEGNN", "dtype", "x",
         lambda: egnn.ParticleEGNN(8, 1)(*_particles(x=torch.zeros(3, 3, dtype=torch.long))), TypeError),
    Case("egnn.ParticleEGNN", "value", "edge_index",
         lambda: egnn.ParticleEGNN(8, 1)(*_particles(e=ring3 - 9))),
    Case("egnn.CFConv", "shape", "h", lambda: egnn.CFConv(8)(torch.zeros(3, 1), torch.zeros(3, 3), ring3)),
    Case("egnn.CFConv", "dtype", "x",
         lambda: egnn.CFConv(8)(torch.zeros(3, 8), torch.zeros(3, 3, dtype=torch.float64), ring3), TypeError),
    Case("egnn.CFConv", "value", "cutoff", lambda: egnn.CFConv(8, cutoff=0.0)),
    Case("egnn.RadialReadout", "shape", "h",
         lambda: egnn.RadialReadout(8)(torch.zeros(3, 4), torch.zeros(3, 3), ring3)),
    Case("egnn.RadialReadout", "dtype", "h",
         lambda: egnn.RadialReadout(8)(torch.ones(3, 8, dtype=torch.long), torch.zeros(3, 3), ring3),
         TypeError),
    Case("egnn.RadialReadout", "value", "edge_dim", lambda: egnn.RadialReadout(8, edge_dim=-1)),
    Case("egnn.ParticleSchNet", "shape", "h",
         lambda: egnn.ParticleSchNet(8, 1)(*_particles(h=torch.zeros(3, 2)))),
    Case("egnn.ParticleSchNet", "dtype", "v",
         lambda: egnn.ParticleSchNet(8, 1)(*_particles(v=torch.zeros(3, 3, dtype=torch.long))), TypeError),
    Case("egnn.ParticleSchNet", "value", "edge_index",
         lambda: egnn.ParticleSchNet(8, 1)(*_particles(e=ring3 + 3))),
    Case("datasets.egnn.simulate_charges", "dtype", "num_sims", lambda: data_egnn.simulate_charges(2.0)),
    Case("datasets.egnn.simulate_charges", "value", "dt", lambda: data_egnn.simulate_charges(2, dt=-0.1)),
    Case("datasets.egnn.batch_systems", "shape", "v0",
         lambda: data_egnn.batch_systems(torch.zeros(2, 5, 3), torch.zeros(2, 4, 3), torch.ones(2, 5))),
    Case("datasets.egnn.batch_systems", "dtype", "x0",
         lambda: data_egnn.batch_systems(torch.zeros(2, 5, 3, dtype=torch.long), torch.zeros(2, 5, 3),
                                         torch.ones(2, 5)), TypeError),
    Case("datasets.egnn.batch_systems", "value", "x0",
         lambda: data_egnn.batch_systems(torch.zeros(2, 5, 2), torch.zeros(2, 5, 3), torch.ones(2, 5))),
    # ---- gdl.tools: the training and plotting helpers
    Case("tools.seed_everything", "dtype", "seed", lambda: tools.seed_everything(1.5)),
    Case("tools.seed_everything", "value", "seed", lambda: tools.seed_everything(-1)),
    Case("tools.accuracy", "shape", "y",
         lambda: tools.accuracy(torch.randn(4, 3), torch.zeros(5, dtype=torch.long))),
    Case("tools.accuracy", "dtype", "y",
         lambda: tools.accuracy(torch.randn(4, 3), torch.zeros(4)), TypeError),
    Case("tools.accuracy", "value", "y", lambda: tools.accuracy(torch.randn(4, 3), torch.full((4,), 7))),
    Case("tools.count_parameters", "dtype", "model", lambda: tools.count_parameters("m"), TypeError),
    Case("tools.evaluate", "shape", "data",
         lambda: tools.evaluate(torch.nn.Linear(2, 2), (torch.randn(8, 2), torch.zeros(7, dtype=torch.int)))),
    Case("tools.evaluate", "dtype", "data", lambda: tools.evaluate(torch.nn.Linear(2, 2), "data"), TypeError),
    Case("tools.evaluate", "value", "batch_size",
         lambda: tools.evaluate(torch.nn.Linear(2, 2), (torch.randn(8, 2), torch.zeros(8, dtype=torch.long)),
                                batch_size=0)),
    Case("tools.init_distributed", "dtype", "device", lambda: tools.init_distributed(3), TypeError),
    Case("tools.fit", "shape", "train",
         lambda: tools.fit(torch.nn.Linear(2, 2), (torch.randn(8, 2), torch.zeros(7, dtype=torch.long)))),
    Case("tools.fit", "dtype", "epochs", lambda: tools.fit(torch.nn.Linear(2, 2), _blobs(), epochs=1.5)),
    Case("tools.fit", "value", "lr", lambda: tools.fit(torch.nn.Linear(2, 2), _blobs(), lr=-1.0)),
    Case("tools.plot_history", "dtype", "history", lambda: tools.plot_history("h")),
    Case("tools.plot_history", "value", "history", lambda: tools.plot_history({})),
    Case("tools.mlp", "shape", "widths", lambda: tools.mlp(2)),
    Case("tools.mlp", "dtype", "widths", lambda: tools.mlp(2, 3.5)),
    Case("tools.mlp", "value", "widths", lambda: tools.mlp(2, 0)),
    Case("tools.animate", "dtype", "num_frames", lambda: tools.animate(lambda i: None, 2.5, fig=None)),
    Case("tools.animate", "value", "num_frames", lambda: tools.animate(lambda i: None, 0, fig=None)),
    Case("tools.animate_equivariance", "shape", "frame_labels",
         lambda: tools.animate_equivariance([("a", lambda ax, i: None)], [0.1, 0.2], frame_labels=["x"])),
    Case("tools.animate_equivariance", "dtype", "panels", lambda: tools.animate_equivariance("panels", [0.1]),
         TypeError),
    Case("tools.animate_equivariance", "value", "errors",
         lambda: tools.animate_equivariance([("a", lambda ax, i: None)], [float("nan")])),
    Case("tools.full_scale", "value", "GDL_FULL", lambda: _with_env("GDL_FULL", "yes", tools.full_scale)),
    Case("tools.checker", "dtype", "check", lambda: tools.checker(3), TypeError),
    Case("tools.forbidding", "dtype", "fn", lambda: _enter(tools.forbidding(3)), TypeError),
    Case("tools.forbidding", "value", "banned",
         lambda: _enter(tools.forbidding(len, (torch, "no_such_function")))),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "tools.get_device": {kind: "takes no argument" for kind in KINDS},
    "tools.print_versions": {kind: "takes no argument" for kind in KINDS},
    "tools.Data": {kind: "a type alias, not a function" for kind in KINDS},
    "tools.Animation": {kind: "the player animate returns; animate checks the arguments" for kind in KINDS},
    "tools.full_scale": {"shape": "reads an environment variable", "dtype": "reads an environment variable"},
    "tools.seed_everything": {"shape": "takes one number"},
    "tools.count_parameters": {"shape": "takes a model", "value": "any module has a parameter count"},
    "tools.init_distributed": {"shape": "takes a device", "value": "reads torchrun's environment"},
    "tools.animate": {"shape": "takes a function, a count and a figure"},
    "tools.checker": {"shape": "takes a function", "value": "takes a function"},
    "tools.forbidding": {"shape": "takes functions"},
    "tools.plot_history": {"shape": "takes a dict"},
    "tools.check_dtype_matches": {"shape": "any shape is accepted: it compares dtypes only",
                                  "value": "any values are accepted: it compares dtypes only"},
    "grids.shift_matrix": {"shape": "takes a size and a dtype, no array"},
    "grids.dft_matrix": {"shape": "takes a size and a dtype, no array"},
    "grids.circulant": {"value": "every finite or non-finite filter has a circulant; values are not checked"},
    "grids.circular_shift": {"value": "every integer shift is valid on a periodic grid"},
    "datasets.egnn.simulate_charges": {"shape": "takes sizes and step settings, no array"},
    "datasets.grids.load_digits": {"shape": "takes a size, no array"},
    "datasets.grids.load_mnist1d": {kind: "takes no argument" for kind in KINDS},
    "datasets.sequences.warped_recall": {"shape": "takes sizes, no array"},
    "datasets.sequences.adding_task": {"shape": "takes sizes, no array"},
    "datasets.spectral.sensor_graph": {"shape": "takes sizes, no array"},
    "datasets.real.load_mnist": {"shape": "takes a split and a size, no array"},
    "datasets.real.load_qm9": {"shape": "takes sizes and a seed, no array"},
    "datasets.real.load_bunny": {kind: "takes no argument" for kind in KINDS},
    "datasets.real.QM9Subset": {kind: "a record of the loader's output; the loader checks" for kind in KINDS},
    "datasets.real.HARTREE_TO_EV": {kind: "a constant" for kind in KINDS},
    "datasets.real.E_ANGSTROM_TO_DEBYE": {kind: "a constant" for kind in KINDS},
    "datasets.real.QM9_TARGETS": {kind: "a constant" for kind in KINDS},
    "datasets.real.ATOMIC_NUMBERS": {kind: "a constant" for kind in KINDS},
    "datasets.real.ELEMENTS": {kind: "a constant" for kind in KINDS},
    "priors.draw_blueprint": {"shape": "takes numbers, labels and an axes, no array"},
    "priors.blueprint_model": {"shape": "takes numbers, no array"},
    "attention.complete_graph": {"shape": "takes a size, no array"},
    "attention.causal_graph": {"shape": "takes a size, no array"},
    "attention.sinusoidal_pe": {"shape": "takes sizes, no array"},
    "sequences.tied_lstm": {"shape": "takes a cell and a number, no array"},
    "sequences.fixed_point_state": {"shape": "takes a cell and numbers, no array"},
    "sequences.chrono_bias": {"shape": "takes numbers and a generator, no array"},
    "sequences.chrono_init": {"shape": "takes a cell and numbers, no array"},
}

# the modules whose every public name is covered; the others are listed in PENDING
COVERED = {"grids": grids, "sequences": sequences, "spectral": spectral, "attention": attention,
           "priors": priors, "datasets.grids": data_grids, "datasets.priors": data_priors,
           "datasets.sequences": data_sequences, "datasets.spectral": data_spectral,
           "datasets.real": data_real, "egnn": egnn, "datasets.egnn": data_egnn}
COVERED_TOOLS = list(tools.__all__)
# Not covered yet, each with its own argument checks but without cases here: the modules of the
# chapters on groups, spheres, sets, graphs, steerable features, geodesics, gauges and applications,
# with their data modules, and every exercise checker.
PENDING = [
    "symmetry", "gcnn", "spheres", "sets", "graphs", "steerable", "meshes", "gauges", "applications",
    "datasets.spheres", "datasets.sets", "datasets.graphs", "datasets.meshes",
    "datasets.steerable", "datasets.applications", "exercises"]



def _gather_case_files() -> None:
    """Add the cases, exemptions and module of every ``tests/bad_inputs/<module>.py``."""
    for info in pkgutil.iter_modules(bad_inputs.__path__):
        cases = importlib.import_module(f"bad_inputs.{info.name}")
        module = importlib.import_module(f"gdl.{cases.MODULE}")
        assert cases.MODULE not in COVERED, f"{cases.MODULE}: cases in two places"
        for case in cases.CASES:
            assert case.name.rsplit(".", 1)[0] == cases.MODULE, f"{info.name}.py holds a case of {case.name}"
        COVERED[cases.MODULE] = module
        CASES.extend(cases.CASES)
        EXEMPT.update(cases.EXEMPT)


_gather_case_files()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_gets_a_clear_error_naming_the_argument(case):
    with pytest.raises(case.error) as info:
        case.call()
    message = str(info.value)
    assert re.search(rf"(^|[^\w.]){re.escape(case.arg)}([^\w]|$)", message), (case.arg, message)
    if case.match:
        assert re.search(case.match, message), (case.match, message)


@pytest.mark.parametrize("name", [f"{m}.{n}" for m, mod in COVERED.items() for n in mod.__all__]
                         + [f"tools.{n}" for n in COVERED_TOOLS])
def test_every_covered_public_name_has_a_case_of_each_kind(name):
    kinds = {c.kind for c in CASES if c.name == name}
    missing = set(KINDS) - kinds - set(EXEMPT.get(name, {}))
    assert not missing, f"{name}: no case of kind {sorted(missing)} and no exemption"
    module, attr = name.rsplit(".", 1)
    assert hasattr(importlib.import_module(f"gdl.{module}"), attr)


# ---- the silent wrong numbers reported in the issue now give the right number
def test_integer_signals_are_promoted_not_truncated():
    w = torch.tensor([0.25, 0.5, 0.25])
    for conv in (grids.circular_conv, grids.fft_conv):
        out = conv(ints, w)
        assert out.is_floating_point()
        torch.testing.assert_close(out, conv(ints.float(), w))
        assert out.abs().max() > 1
    half = torch.full((1, 1, 8), 0.5)
    shifted = grids.warp(torch.arange(8).view(1, 1, 8), half)  # integer signal: interpolated, not truncated
    torch.testing.assert_close(shifted, grids.warp(torch.arange(8.0).view(1, 1, 8), half))


def test_float64_models_follow_module_double():
    model = grids.GridCNN(1, 3, channels=(4, 4), pool=(False, True)).double()
    out = model(img.double())
    assert out.dtype == torch.float64 and out.shape == (2, 3)


def test_every_module_is_either_covered_or_listed_as_pending():
    import pkgutil

    import gdl
    import gdl.datasets

    modules = {m.name for m in pkgutil.iter_modules(gdl.__path__) if m.name not in ("datasets", "exercises")}
    modules |= {f"datasets.{m.name}" for m in pkgutil.iter_modules(gdl.datasets.__path__)}
    accounted = set(COVERED) | {"tools"} | set(PENDING)
    assert modules <= accounted, f"neither covered nor pending: {sorted(modules - accounted)}"


def test_egnn_follows_module_double_and_batch_systems_copies():
    model = egnn.EGNN(2, 8, 2).double()
    h, x = torch.randn(3, 2, dtype=torch.float64), torch.randn(3, 3, dtype=torch.float64)
    h_out, x_out = model(h, x, ring3)
    assert h_out.dtype == x_out.dtype == torch.float64
    x0, v0 = torch.randn(2, 4, 3, dtype=torch.float64), torch.randn(2, 4, 3, dtype=torch.float64)
    _, x, v, _, _ = data_egnn.batch_systems(x0, v0, torch.ones(2, 4))
    x.zero_(), v.zero_()  # the caller's arrays are untouched
    assert x0.abs().sum() > 0 and v0.abs().sum() > 0
