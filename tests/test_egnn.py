"""gdl.egnn: E(n) x S_N equivariance of the EGNN layer, the failure of a plain MPNN, data, errors."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

from gdl.egnn import (EGNN, CoordinateMPNNLayer, EGNNLayer, ParticleEGNN, ParticleSchNet, act_geometric,
                      batch_systems, random_euclidean, simulate_charges)
from gdl.symmetry import check_equivariance


def _graph(n, e, hidden, dim, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(n, hidden, generator=g, dtype=dtype), torch.randn(n, dim, generator=g, dtype=dtype),
            torch.randint(n, (2, e), generator=g), torch.randn(n, dim, generator=g, dtype=dtype)), g


def _act_out(hidden):
    def act(element, y):
        q, t, perm = element
        return torch.cat([y[perm, :hidden], y[perm, hidden:] @ q.T + t], dim=1)
    return act


@given(n=st.integers(2, 15), e=st.integers(1, 50), dim=st.integers(2, 4), seed=st.integers(0, 10**6))
def test_egnn_layer_is_exactly_en_equivariant(n, e, dim, seed):
    torch.manual_seed(seed)
    (h, x, ei, v), g = _graph(n, e, 8, dim, seed)
    layer = EGNNLayer(8).double()
    f = lambda graph: torch.cat(layer(*graph[:3]), dim=1)
    elements = random_euclidean(5, dim, n, g, dtype=torch.float64)
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), elements) < 1e-12


@given(n=st.integers(2, 12), e=st.integers(1, 40), seed=st.integers(0, 10**6))
def test_egnn_with_velocities_and_edge_attributes_is_equivariant(n, e, seed):
    torch.manual_seed(seed)
    (h, x, ei, v), g = _graph(n, e, 6, 3, seed)
    edge_attr = torch.randn(e, 2, generator=g, dtype=torch.float64)
    model = EGNN(6, hidden=8, layers=2, edge_dim=2, velocity=True).double()

    def f(graph):
        h, x, ei, v, ea = graph
        hh, xx = model(h, x, ei, ea, v)
        return torch.cat([hh, xx], dim=1)

    def act_in(element, graph):
        q, t, perm = element
        h, x, ei, v = act_geometric(element, graph[:4])
        return h, x, ei, v, graph[4]  # edges keep their attributes: only their endpoints are renamed

    elements = random_euclidean(5, 3, n, g, dtype=torch.float64)
    assert check_equivariance(f, (h, x, ei, v, edge_attr), act_in, _act_out(8), elements) < 1e-12


@settings(max_examples=10)
@given(seed=st.integers(0, 10**6))
def test_float32_error_is_at_single_precision(seed):
    torch.manual_seed(seed)
    (h, x, ei, _), g = _graph(10, 30, 8, 3, seed, torch.float32)
    layer = EGNNLayer(8)
    f = lambda graph: torch.cat(layer(*graph[:3]), dim=1)
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), random_euclidean(5, 3, 10, g)) < 1e-5


@settings(max_examples=10)
@given(seed=st.integers(0, 10**6))
def test_plain_mpnn_is_permutation_but_not_euclidean_equivariant(seed):
    torch.manual_seed(seed)
    (h, x, ei, _), g = _graph(10, 30, 8, 3, seed)
    layer = CoordinateMPNNLayer(8).double()
    f = lambda graph: torch.cat(layer(*graph[:3]), dim=1)
    elements = random_euclidean(5, 3, 10, g, dtype=torch.float64)
    perms = [(torch.eye(3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64), p) for _, _, p in elements]
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), perms) < 1e-12
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), elements) > 1e-3


def test_particle_models_are_rotation_equivariant():
    x0, v0, c, xT = simulate_charges(8, steps=50, generator=torch.Generator().manual_seed(0))
    q = random_euclidean(1, 3, 1, torch.Generator().manual_seed(1))[0][0]
    for model in (ParticleEGNN(16, 2), ParticleSchNet(16, 2)):
        predict = lambda s: model(*batch_systems(s[0], s[1], c)).reshape(x0.shape)
        err = check_equivariance(predict, (x0, v0), lambda q, s: (s[0] @ q.T, s[1] @ q.T), lambda q, y: y @ q.T, [q])
        assert err < 1e-5


def test_batch_systems_builds_disjoint_complete_graphs():
    x0, v0, c, _ = simulate_charges(3, num_particles=4, steps=1)
    h, x, v, ei, ea = batch_systems(x0, v0, c)
    assert ei.shape == (2, 3 * 4 * 3) and h.shape == (12, 1) and ea.shape == (36, 1)
    assert torch.all(ei[0] // 4 == ei[1] // 4) and torch.all(ei[0] != ei[1])


def test_bad_inputs_get_clear_errors():
    layer = EGNNLayer(4)
    with pytest.raises(ValueError, match=r"node features h of shape \(N, 4\)"):
        layer(torch.zeros(3, 5), torch.zeros(3, 3), torch.zeros(2, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="coordinates x"):
        layer(torch.zeros(3, 4), torch.zeros(2, 3), torch.zeros(2, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="velocity=True"):
        EGNNLayer(4, velocity=True)(torch.zeros(3, 4), torch.zeros(3, 3), torch.zeros(2, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="edge_attr"):
        EGNNLayer(4, edge_dim=2)(torch.zeros(3, 4), torch.zeros(3, 3), torch.zeros(2, 1, dtype=torch.long))
