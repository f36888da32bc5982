"""Tests for gdl.spectral: the graph Fourier transform, spectral and Chebyshev layers, their
symmetry, PyTorch Geometric's ChebConv as a peer, and the Dirichlet energies."""
import math

import networkx as nx
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdl.datasets.spectral import sensor_graph
from gdl.exercises.graphs import check_dirichlet_energy
from gdl.graphs import add_self_loops, edge_index_from_networkx, graph_laplacian, permute_graph
from gdl.spectral import (
    ChebConv,
    SpectralConv,
    dirichlet_energy,
    graph_fourier_basis,
    normalized_dirichlet_energy,
    scaled_laplacian,
    spectral_filter,
)
from gdl.symmetry import SymmetricGroup, check_equivariance

C = 4


@st.composite
def random_graphs(draw, max_nodes=12, undirected=False):
    """(x (N, C) float64, edge_index (2, E), three node renumberings) of a random graph."""
    n = draw(st.integers(1, max_nodes))
    e = draw(st.integers(0, 3 * n))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    edge_index = torch.randint(0, n, (2, e), generator=g)
    if undirected:
        edge_index = torch.unique(torch.cat([edge_index, edge_index.flip(0)], dim=1), dim=1)
        edge_index = edge_index[:, edge_index[0] != edge_index[1]]
    x = torch.randn(n, C, generator=g, dtype=torch.float64)
    return x, edge_index, SymmetricGroup(n).sample(3, generator=g)


def act(g, graph):
    x, edge_index = graph
    return permute_graph(g, x, edge_index)


def out(g, y):
    return SymmetricGroup(y.shape[0]).rep(g, y, dim=0)


@pytest.mark.parametrize("normalization", [None, "sym", "rw"])
@given(graph=random_graphs())
def test_chebconv_is_permutation_equivariant(normalization, graph):
    x, edge_index, perms = graph
    torch.manual_seed(0)
    layer = ChebConv(C, 3, K=4, normalization=normalization).double()
    err = check_equivariance(lambda g: layer(*g), (x, edge_index), act, out, perms)
    assert err < 1e-9


@given(graph=random_graphs(undirected=True))
def test_filters_of_the_eigenvalue_are_equivariant(graph):
    x, edge_index, perms = graph

    def heat(g):
        xs, e = g
        return spectral_filter(xs, *graph_fourier_basis(e, xs.shape[0]), lambda lam: torch.exp(-0.7 * lam))

    assert check_equivariance(heat, (x, edge_index), act, out, perms) < 1e-9


@settings(max_examples=30)
@given(graph=random_graphs(undirected=True))
def test_spectral_conv_is_equivariant_when_the_spectrum_is_simple(graph):
    """With the eigenbasis recomputed after the renumbering, only the signs can differ, and they
    cancel in phi phi^T: free coefficients are equivariant exactly when no eigenvalue repeats."""
    x, edge_index, perms = graph
    n = x.shape[0]
    assume(n == 1 or torch.diff(graph_fourier_basis(edge_index, n)[0]).min() > 1e-3)
    torch.manual_seed(0)
    layer = SpectralConv(C, 3, num_modes=n).double()

    def run(g):
        xs, e = g
        return layer(xs, graph_fourier_basis(e, xs.shape[0])[1])

    assert check_equivariance(run, (x, edge_index), act, out, perms) < 1e-6


def test_spectral_conv_is_not_equivariant_with_repeated_eigenvalues():
    n = 16
    e, _ = edge_index_from_networkx(nx.cycle_graph(n))
    torch.manual_seed(0)
    layer = SpectralConv(C, 3, num_modes=n).double()
    x = torch.randn(n, C, dtype=torch.float64)
    perms = SymmetricGroup(n).sample(3, generator=torch.Generator().manual_seed(0))

    def run(g):
        return layer(g[0], graph_fourier_basis(g[1], n)[1])

    with torch.no_grad():
        assert check_equivariance(run, (x, e), act, out, perms) > 0.1


def _peer_graph(n=9, e=30, seed=0, weighted=True):
    g = torch.Generator().manual_seed(seed)
    edge_index = torch.randint(0, n, (2, e), generator=g)  # directed, with loops and duplicates
    weight = torch.rand(e, generator=g) + 0.1 if weighted else None
    return torch.randn(n, C, generator=g), edge_index, weight


@pytest.mark.parametrize("normalization", [None, "sym", "rw"])
@pytest.mark.parametrize("lambda_max", [None, 3.5])
@pytest.mark.parametrize("K", [1, 2, 5])
def test_chebconv_matches_pyg(normalization, lambda_max, K):
    pyg = pytest.importorskip("torch_geometric.nn", reason="PyTorch Geometric is the peer for ChebConv")
    x, edge_index, weight = _peer_graph()
    torch.manual_seed(0)
    ours, theirs = ChebConv(C, 3, K=K, normalization=normalization), pyg.ChebConv(C, 3, K=K,
                                                                                   normalization=normalization)
    with torch.no_grad():
        for a, b in zip(ours.lins, theirs.lins, strict=True):
            b.weight.copy_(a.weight)
        ours.bias.normal_()
        theirs.bias.copy_(ours.bias)
    for w in (None, weight):
        got = ours(x, edge_index, w, lambda_max=lambda_max)
        want = theirs(x, edge_index, w, lambda_max=lambda_max)
        assert torch.allclose(got, want, atol=1e-5), (got - want).abs().max()


def test_chebconv_matches_pyg_with_a_lambda_max_per_graph():
    pyg = pytest.importorskip("torch_geometric.nn", reason="PyTorch Geometric is the peer for ChebConv")
    x1, e1, _ = _peer_graph(seed=1)
    x2, e2, _ = _peer_graph(n=7, e=20, seed=2)
    x, e = torch.cat([x1, x2]), torch.cat([e1, e2 + 9], dim=1)
    batch = torch.tensor([0] * 9 + [1] * 7)
    lam = torch.tensor([1.5, 2.5])
    ours, theirs = ChebConv(C, 2, K=3), pyg.ChebConv(C, 2, K=3)
    with torch.no_grad():
        for a, b in zip(ours.lins, theirs.lins, strict=True):
            b.weight.copy_(a.weight)
    got, want = ours(x, e, batch=batch, lambda_max=lam), theirs(x, e, batch=batch, lambda_max=lam)
    assert torch.allclose(got, want, atol=1e-5)
    with pytest.raises(ValueError, match="batch"):
        ours(x, e, lambda_max=lam)


def test_scaled_laplacian_is_2l_over_lambda_minus_identity():
    e, n = edge_index_from_networkx(nx.karate_club_graph())
    for normalization, lam in ((None, 40.0), ("sym", 2.0), ("sym", 1.7)):
        edges, w = scaled_laplacian(e, n, normalization=normalization, lambda_max=lam, dtype=torch.float64)
        dense = torch.zeros(n, n, dtype=torch.float64).index_put_((edges[1], edges[0]), w, accumulate=True)
        lap = graph_laplacian(e, n, torch.ones(e.shape[1], dtype=torch.float64), normalization)
        assert torch.allclose(dense, 2 * lap / lam - torch.eye(n, dtype=torch.float64), atol=1e-12)
    # the default lambda_max bounds the spectrum: the rescaled one stays in [-1, 1]
    for normalization in (None, "sym"):
        edges, w = scaled_laplacian(e, n, normalization=normalization, dtype=torch.float64)
        dense = torch.zeros(n, n, dtype=torch.float64).index_put_((edges[1], edges[0]), w, accumulate=True)
        spectrum = torch.linalg.eigvalsh(dense)
        assert spectrum.min() >= -1 - 1e-12 and spectrum.max() <= 1 + 1e-12


def test_chebyshev_terms_are_cosines_of_the_eigenvalues():
    e, n = edge_index_from_networkx(nx.petersen_graph())
    x = torch.randn(n, 1, dtype=torch.float64)
    lam, phi = graph_fourier_basis(e, n, normalization="sym")
    for k in range(4):
        layer = ChebConv(1, 1, K=4, bias=False).double()
        with torch.no_grad():
            for i, lin in enumerate(layer.lins):
                lin.weight.fill_(float(i == k))
            got = layer(x, e, lambda_max=2.0)
        want = spectral_filter(x, lam, phi, lambda v, k=k: torch.cos(k * torch.arccos((v - 1).clamp(-1, 1))))
        assert torch.allclose(got, want, atol=1e-12)


def test_chebconv_on_a_graph_without_edges():
    layer = ChebConv(C, 2, K=3)
    y = layer(torch.randn(5, C), torch.empty(2, 0, dtype=torch.long))
    assert y.shape == (5, 2) and torch.isfinite(y).all()


def test_first_order_tied_chebconv_is_gcn_before_renormalisation():
    e, n = edge_index_from_networkx(nx.karate_club_graph())
    x = torch.randn(n, C, dtype=torch.float64)
    layer = ChebConv(C, 2, K=2, bias=False).double()
    with torch.no_grad():
        layer.lins[1].weight.copy_(-layer.lins[0].weight)
        got = layer(x, e, lambda_max=2.0)
    lap = graph_laplacian(e, n, torch.ones(e.shape[1], dtype=torch.float64), "sym")
    want = (2 * torch.eye(n, dtype=torch.float64) - lap) @ x @ layer.lins[0].weight.T.detach()
    assert torch.allclose(got, want, atol=1e-12)


def test_cycle_fourier_basis_is_the_dft():
    n = 12
    e, _ = edge_index_from_networkx(nx.cycle_graph(n))
    lam, phi = graph_fourier_basis(e, n)
    k = torch.arange(n, dtype=torch.float64)
    assert torch.allclose(lam, torch.sort(2 - 2 * torch.cos(2 * math.pi * k / n)).values, atol=1e-12)
    x = torch.randn(n, dtype=torch.float64)
    g = lambda v: 1 / (1 + v)  # noqa: E731
    kernel = torch.fft.ifft(g(2 - 2 * torch.cos(2 * math.pi * k / n))).real
    conv = torch.fft.ifft(torch.fft.fft(kernel) * torch.fft.fft(x)).real
    assert torch.allclose(spectral_filter(x, lam, phi, g), conv, atol=1e-12)
    assert torch.allclose(phi.T @ phi, torch.eye(n, dtype=torch.float64), atol=1e-12)


def test_spectral_conv_matches_a_dense_computation():
    e, n = edge_index_from_networkx(nx.path_graph(7))
    _, phi = graph_fourier_basis(e, n)
    layer = SpectralConv(2, 3, num_modes=5, bias=True).double()
    with torch.no_grad():
        layer.bias.normal_()
    x = torch.randn(n, 2, dtype=torch.float64)
    want = sum(phi[:, :5] @ torch.diag(layer.weight[:, i, o]) @ phi[:, :5].T @ x[:, i:i + 1]
               * torch.eye(3, dtype=torch.float64)[o] for i in range(2) for o in range(3)) + layer.bias
    assert torch.allclose(layer(x, phi), want, atol=1e-12)
    batched = layer(torch.stack([x, 2 * x], dim=1), phi)  # (N, B, C)
    assert torch.allclose(batched[:, 1], 2 * layer(x, phi) - layer.bias, atol=1e-12)


def test_dirichlet_energies():
    assert check_dirichlet_energy(dirichlet_energy)
    e, n = edge_index_from_networkx(nx.karate_club_graph())
    x = torch.randn(n, 3, dtype=torch.float64)
    loops = add_self_loops(e, n)
    a_hat = torch.eye(n, dtype=torch.float64) - graph_laplacian(
        loops, n, torch.ones(loops.shape[1], dtype=torch.float64), "sym")
    want = torch.trace(x.T @ (torch.eye(n, dtype=torch.float64) - a_hat) @ x) / x.pow(2).sum()
    assert torch.isclose(normalized_dirichlet_energy(x, e), want, atol=1e-12)
    assert torch.isclose(normalized_dirichlet_energy(x, loops), want, atol=1e-12)  # loops add nothing
    top = (1 + torch.bincount(e[1], minlength=n).double()).sqrt()[:, None]
    assert normalized_dirichlet_energy(top, e) < 1e-12  # the fixed direction of A_hat
    assert dirichlet_energy(torch.ones(n, 2), e) == 0


def test_sensor_graph():
    points, e = sensor_graph(50, 4, seed=3)
    assert points.shape == (50, 2) and (points >= 0).all() and (points <= 1).all()
    pairs = set(map(tuple, e.T.tolist()))
    assert all((b, a) in pairs for a, b in pairs) and all(a != b for a, b in pairs)
    assert len(pairs) == e.shape[1] and torch.bincount(e[1], minlength=50).min() >= 4
    assert torch.equal(sensor_graph(50, 4, seed=3)[1], e)
    with pytest.raises(ValueError, match="k"):
        sensor_graph(5, 5)


def test_bad_input_is_rejected():
    e, n = edge_index_from_networkx(nx.path_graph(4))
    with pytest.raises(ValueError, match="K"):
        ChebConv(2, 2, K=0)
    with pytest.raises(ValueError, match="normalization"):
        ChebConv(2, 2, K=2, normalization="left")
    with pytest.raises(ValueError, match="x"):
        ChebConv(2, 2, K=2)(torch.randn(n, 3), e)
    with pytest.raises(ValueError, match="lambda_max"):
        ChebConv(2, 2, K=2)(torch.randn(n, 2), e, lambda_max=-1.0)
    with pytest.raises(ValueError, match="num_modes"):
        SpectralConv(2, 2, num_modes=0)
    with pytest.raises(ValueError, match="eigenvectors"):
        SpectralConv(2, 2, num_modes=4)(torch.randn(n, 2), torch.randn(n, 3))
    with pytest.raises(ValueError, match="x"):
        SpectralConv(2, 2, num_modes=2)(torch.randn(n, 3), torch.randn(n, 3))
    with pytest.raises(ValueError, match="undirected"):
        graph_fourier_basis(torch.tensor([[0, 1], [1, 2]]), 3)
    with pytest.raises(ValueError, match="normalization"):
        graph_fourier_basis(e, n, normalization="rw")
    lam, phi = graph_fourier_basis(e, n)
    with pytest.raises(ValueError, match="response"):
        spectral_filter(torch.randn(n), lam, phi, torch.ones(3))
    with pytest.raises(ValueError, match="eigenvectors"):
        spectral_filter(torch.randn(n + 1), lam, phi, torch.ones(n))
    with pytest.raises(TypeError, match="edge_index"):
        dirichlet_energy(torch.randn(n, 2), e.float())
    with pytest.raises(ValueError, match="x"):
        dirichlet_energy(torch.randn(n, 2, 2), e)
