"""gdl.egnn: E(n) x S_N equivariance of the EGNN layer, the failure of a plain MPNN, data, errors,
and equality with the layers as they were before they went through MessagePassing with tuple messages."""
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from gdl.datasets.egnn import batch_systems, simulate_charges
from gdl.egnn import (
    EGNN,
    CoordinateMPNNLayer,
    EGNNLayer,
    EuclideanGroup,
    ParticleEGNN,
    ParticleSchNet,
    act_geometric,
)
from gdl.symmetry import (
    OrthogonalGroup,
    ProductGroup,
    SymmetricGroup,
    check_equivariance,
    check_group_axioms,
    check_homomorphism,
)


def _graph(n, e, hidden, dim, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(n, hidden, generator=g, dtype=dtype), torch.randn(n, dim, generator=g, dtype=dtype),
            torch.randint(n, (2, e), generator=g), torch.randn(n, dim, generator=g, dtype=dtype)), g


def _elements(num, dim, n, generator):
    """`num` random elements ((Q, t), g) of E(dim) x S_n."""
    return ProductGroup(EuclideanGroup(dim), SymmetricGroup(n)).sample(num, generator=generator)


def _concat(layer):
    """The layer as a function of a graph (h, x, edge_index), its outputs concatenated: [h' | x']."""
    def f(graph):
        return torch.cat(layer(*graph[:3]), dim=1)
    return f


def _act_out(hidden):
    """The group element on a layer's output [h' | x']: the output is a geometric graph with no edges."""
    def act(element, y):
        h, x, _ = act_geometric(element, (y[:, :hidden], y[:, hidden:], torch.empty(2, 0, dtype=torch.long)))
        return torch.cat([h, x], dim=1)
    return act


@given(n=st.integers(2, 15), e=st.integers(1, 50), dim=st.integers(2, 4), seed=st.integers(0, 10**6))
def test_egnn_layer_is_exactly_en_equivariant(n, e, dim, seed):
    torch.manual_seed(seed)
    (h, x, ei, v), g = _graph(n, e, 8, dim, seed)
    layer = EGNNLayer(8).double()
    elements = _elements(5, dim, n, g)
    assert check_equivariance(_concat(layer), (h, x, ei), act_geometric, _act_out(8), elements) < 1e-12


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
        h, x, ei, v = act_geometric(element, graph[:4])
        return h, x, ei, v, graph[4]  # edges keep their attributes: only their endpoints are renamed

    elements = _elements(5, 3, n, g)
    assert check_equivariance(f, (h, x, ei, v, edge_attr), act_in, _act_out(8), elements) < 1e-12


@settings(max_examples=10)
@given(seed=st.integers(0, 10**6))
def test_float32_error_is_at_single_precision(seed):
    torch.manual_seed(seed)
    (h, x, ei, _), g = _graph(10, 30, 8, 3, seed, torch.float32)
    f = _concat(EGNNLayer(8))
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), _elements(5, 3, 10, g)) < 1e-5


@settings(max_examples=10)
@given(seed=st.integers(0, 10**6))
def test_plain_mpnn_is_permutation_but_not_euclidean_equivariant(seed):
    torch.manual_seed(seed)
    (h, x, ei, _), g = _graph(10, 30, 8, 3, seed)
    f = _concat(CoordinateMPNNLayer(8).double())
    elements = _elements(5, 3, 10, g)
    perms = [(EuclideanGroup(3).identity(), p) for _, p in elements]
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), perms) < 1e-12
    assert check_equivariance(f, (h, x, ei), act_geometric, _act_out(8), elements) > 1e-3


def test_particle_models_are_rotation_equivariant():
    x0, v0, c, xT = simulate_charges(8, steps=50, generator=torch.Generator().manual_seed(0))
    O3 = OrthogonalGroup(3)
    q = O3.sample(1, torch.Generator().manual_seed(1))[0]
    def rotate(q, state):
        return tuple(O3.act(q, s) for s in state)

    for model in (ParticleEGNN(16, 2), ParticleSchNet(16, 2)):
        def predict(state, model=model):
            return model(*batch_systems(state[0], state[1], c)).reshape(x0.shape)

        assert check_equivariance(predict, (x0, v0), rotate, O3.act, [q]) < 1e-5


def test_batch_systems_builds_disjoint_complete_graphs():
    x0, v0, c, _ = simulate_charges(3, num_particles=4, steps=1)
    h, x, v, ei, ea = batch_systems(x0, v0, c)
    assert ei.shape == (2, 3 * 4 * 3) and h.shape == (12, 1) and ea.shape == (36, 1)
    assert torch.all(ei[0] // 4 == ei[1] // 4) and torch.all(ei[0] != ei[1])


def test_bad_inputs_get_clear_errors():
    layer = EGNNLayer(4)
    with pytest.raises(ValueError, match=r"h must have shape \(N, hidden\) with hidden = 4"):
        layer(torch.zeros(3, 5), torch.zeros(3, 3), torch.zeros(2, 1, dtype=torch.long))
    with pytest.raises(ValueError, match=r"x must have shape \(N, n\) with N = 3"):
        layer(torch.zeros(3, 4), torch.zeros(2, 3), torch.zeros(2, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="velocity=True"):
        EGNNLayer(4, velocity=True)(torch.zeros(3, 4), torch.zeros(3, 3), torch.zeros(2, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="edge_attr"):
        EGNNLayer(4, edge_dim=2)(torch.zeros(3, 4), torch.zeros(3, 3), torch.zeros(2, 1, dtype=torch.long))


# --- E(n) is a gdl.symmetry.Group ----------------------------------------------------------------
@pytest.mark.parametrize("dim", [2, 3])
def test_euclidean_group_axioms_and_action(dim):
    group = EuclideanGroup(dim)
    sample = group.sample(5, torch.Generator().manual_seed(dim))
    assert all(check_group_axioms(group, sample).values())
    points = torch.randn(7, dim, dtype=torch.float64)
    assert check_homomorphism(group, points, pairs=[(a, b) for a in sample for b in sample]) < 1e-12
    q, t = sample[0]
    assert torch.allclose(group.act(sample[0], points), points @ q.T + t)
    assert torch.allclose(group.act(group.inverse(sample[0]), group.act(sample[0], points)), points)
    assert group.act(sample[0], points.float()).dtype == torch.float32  # the action follows the points
    dets = torch.stack([torch.linalg.det(q) for q, _ in group.sample(200, torch.Generator().manual_seed(0))])
    assert (dets < 0).any() and (dets > 0).any()  # O(dim): reflections are drawn too
    assert not group.contains((torch.ones(dim, dim, dtype=torch.float64), t))


def test_act_geometric_renumbers_like_symmetric_group_rep():
    (h, x, ei, v), g = _graph(6, 10, 3, 3, 0)
    ((q, t), perm), = _elements(1, 3, 6, g)
    h2, x2, ei2, v2 = act_geometric(((q, t), perm), (h, x, ei, v))
    nodes = SymmetricGroup(6)
    assert torch.equal(h2, nodes.rep(perm, h, dim=0)) and torch.equal(ei2, perm[ei])
    assert torch.allclose(x2, nodes.rep(perm, x, dim=0) @ q.T + t)
    assert torch.allclose(v2, nodes.rep(perm, v, dim=0) @ q.T)


# --- the same functions as before: references of the old concatenated / index_add_ paths -----
def _reference_mlp(*sizes, last_act=False):
    """The SiLU MLP builder gdl.egnn had before gdl.tools.mlp."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2 or last_act:
            layers.append(nn.SiLU())
    return nn.Sequential(*layers)


def _reference_egnn_layer(layer, h, x, edge_index, edge_attr=None, v=None):
    """EGNNLayer written out: one concatenated message [m | rel φ_x(m) | 1], summed with index_add_."""
    src, dst = edge_index
    rel = x[dst] - x[src]
    dist2 = (rel * rel).sum(-1, keepdim=True)
    parts = [h[dst], h[src], dist2] + ([edge_attr] if edge_attr is not None else [])
    m = layer.phi_e(torch.cat(parts, dim=-1))
    msg = torch.cat([m, rel * layer.phi_x(m), torch.ones_like(dist2)], dim=-1)
    out = torch.zeros(x.shape[0], msg.shape[1], dtype=x.dtype).index_add_(0, dst, msg)
    n = x.shape[1]
    m, shift, degree = out[:, :layer.hidden], out[:, layer.hidden:layer.hidden + n], out[:, -1:]
    shift = shift / degree.clamp(min=1)
    h_new = h + layer.phi_h(torch.cat([h, m], dim=-1))
    if layer.velocity:
        v = layer.phi_v(h) * v + shift  # Satorras et al., Eq. 7: φ_v of the features before the update
        return h_new, x + v, v
    return h_new, x + shift


def _reference_schnet(model, h, x, v, edge_index, edge_attr):
    """ParticleSchNet as it was: its readout summed with index_add_ and divided by the clamped degree."""
    h = model.embed(h)
    for conv, update in zip(model.convs, model.updates, strict=True):
        h = h + update(conv(h, x, edge_index, edge_attr))
    src, dst = edge_index
    rel = x[dst] - x[src]
    b = model.radial.b(torch.cat([h[dst], h[src], rel.norm(dim=-1, keepdim=True), edge_attr], dim=-1))
    radial = torch.zeros_like(x).index_add_(0, dst, rel * b)
    degree = torch.bincount(dst, minlength=x.shape[0]).clamp(min=1)[:, None]
    return x + model.a(h) * v + radial / degree


@settings(max_examples=25)
@given(n=st.integers(1, 12), e=st.integers(0, 40), velocity=st.booleans(), edge_dim=st.sampled_from([0, 2]),
       double=st.booleans(), seed=st.integers(0, 10**6))
def test_egnn_layer_equals_the_concatenated_message_reference(n, e, velocity, edge_dim, double, seed):
    dtype = torch.float64 if double else torch.float32
    torch.manual_seed(seed)
    (h, x, ei, v), g = _graph(n, e, 8, 3, seed, dtype)
    edge_attr = torch.randn(e, edge_dim, generator=g, dtype=dtype) if edge_dim else None
    layer = EGNNLayer(8, edge_dim=edge_dim, velocity=velocity).to(dtype)
    with torch.no_grad():
        for p in layer.phi_x.parameters():  # larger coordinate steps than the init, so they count
            p.normal_(generator=g)
        ours = layer(h, x, ei, edge_attr, v if velocity else None)
        ref = _reference_egnn_layer(layer, h, x, ei, edge_attr, v if velocity else None)
    tol = 1e-12 if double else 1e-6
    for a, b in zip(ours, ref, strict=True):
        assert torch.allclose(a, b, rtol=tol, atol=tol)


def _reference_mpnn_layer(layer, h, x, edge_index, edge_attr=None):
    """CoordinateMPNNLayer written out: φ_e on the concatenated per-edge input [h_i, h_j, x_i, x_j, a_ij]."""
    src, dst = edge_index
    parts = [h[dst], h[src], x[dst], x[src]] + ([edge_attr] if edge_attr is not None else [])
    msg = layer.phi_e(torch.cat(parts, dim=-1))
    m = torch.zeros(h.shape[0], msg.shape[1], dtype=h.dtype).index_add_(0, dst, msg)
    m = m / torch.bincount(dst, minlength=h.shape[0]).clamp(min=1)[:, None]
    h = h + layer.phi_h(torch.cat([h, m], dim=-1))
    return h, x + layer.phi_x(torch.cat([h, x], dim=-1))


def _outputs_and_grads(layer, fn, inputs):
    """fn's outputs, and the gradients of a fixed random functional of them w.r.t. parameters and inputs."""
    inputs = [t.detach().clone().requires_grad_(t.is_floating_point()) if t is not None else None
              for t in inputs]
    layer.zero_grad()
    outs = fn(*inputs)
    g = torch.Generator().manual_seed(1)
    loss = sum((o * torch.randn(o.shape, generator=g, dtype=o.dtype)).sum() for o in outs)
    leaves = list(layer.parameters()) + [t for t in inputs if t is not None and t.requires_grad]
    grads = torch.autograd.grad(loss, leaves, allow_unused=True)
    grads = [torch.zeros_like(p) if d is None else d for p, d in zip(leaves, grads, strict=True)]
    return [o.detach() for o in outs], grads


@settings(max_examples=15)
@given(n=st.integers(1, 10), e=st.integers(0, 30), velocity=st.booleans(), edge_dim=st.sampled_from([0, 2]),
       seed=st.integers(0, 10**6))
def test_split_first_layer_has_the_gradients_of_the_concatenated_formula(n, e, velocity, edge_dim, seed):
    """EGNNLayer computes φ_e's first layer as (W_1 h_i + b) + W_2 h_j + W_3 e_ij with the node parts
    per node: outputs and gradients (parameters, h, x, edge_attr, v) equal the concatenated W [h_i; h_j; e_ij]
    to 1e-12 relative in float64."""
    torch.manual_seed(seed)
    (h, x, ei, v), g = _graph(n, e, 8, 3, seed)
    edge_attr = torch.randn(e, edge_dim, generator=g, dtype=torch.float64) if edge_dim else None
    layer = EGNNLayer(8, edge_dim=edge_dim, velocity=velocity).double()
    with torch.no_grad():
        for p in layer.phi_x.parameters():
            p.normal_(generator=g)
    vv = v if velocity else None
    ours = _outputs_and_grads(layer, layer, [h, x, ei, edge_attr, vv])
    ref = _outputs_and_grads(layer, lambda *a: _reference_egnn_layer(layer, *a), [h, x, ei, edge_attr, vv])
    for a, b in zip(ours[0] + ours[1], ref[0] + ref[1], strict=True):
        scale = max(1.0, float(b.abs().max())) if b.numel() else 1.0
        assert torch.allclose(a, b, rtol=0, atol=1e-12 * scale)


@settings(max_examples=15)
@given(n=st.integers(1, 10), e=st.integers(0, 30), edge_dim=st.sampled_from([0, 2]), double=st.booleans(),
       seed=st.integers(0, 10**6))
def test_coordinate_mpnn_equals_the_concatenated_formula(n, e, edge_dim, double, seed):
    """The baseline's split first layer: outputs and gradients as with φ_e on the concatenated input,
    to 1e-12 (float64) or 1e-5 (float32) relative to the largest entry."""
    dtype = torch.float64 if double else torch.float32
    torch.manual_seed(seed)
    (h, x, ei, _), g = _graph(n, e, 8, 3, seed, dtype)
    edge_attr = torch.randn(e, edge_dim, generator=g, dtype=dtype) if edge_dim else None
    layer = CoordinateMPNNLayer(8, 3, edge_dim=edge_dim).to(dtype)
    ours = _outputs_and_grads(layer, layer, [h, x, ei, edge_attr])
    ref = _outputs_and_grads(layer, lambda *a: _reference_mpnn_layer(layer, *a), [h, x, ei, edge_attr])
    tol = 1e-12 if double else 1e-5
    for a, b in zip(ours[0] + ours[1], ref[0] + ref[1], strict=True):
        scale = max(1.0, float(b.abs().max())) if b.numel() else 1.0
        assert torch.allclose(a, b, rtol=0, atol=tol * scale)


def test_split_layers_keep_their_parameters():
    """The split reads the blocks of the same nn.Linear: no parameter added, counts as before."""
    assert sum(p.numel() for p in EGNNLayer(32).parameters()) == (65 * 32 + 32) + (32 * 32 + 32) \
        + (32 * 32 + 32) + (32 + 1) + (64 * 32 + 32) + (32 * 32 + 32)
    assert sum(p.numel() for p in CoordinateMPNNLayer(32, 3).parameters()) == (70 * 32 + 32) \
        + (32 * 32 + 32) + (64 * 32 + 32) + (32 * 32 + 32) + (35 * 32 + 32) + (32 * 3 + 3)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_particle_schnet_equals_the_index_add_reference(dtype):
    x0, v0, c, _ = simulate_charges(6, num_particles=5, steps=10, generator=torch.Generator().manual_seed(0))
    h, x, v, ei, ea = (t.to(dtype) if t.is_floating_point() else t for t in batch_systems(x0, v0, c))
    keep = ei[1] != 3  # node 3 receives nothing: its mean over no neighbours is 0, as before
    ei, ea = ei[:, keep], ea[keep]
    torch.manual_seed(0)
    model = ParticleSchNet(16, 2).to(dtype)
    with torch.no_grad():
        ours, ref = model(h, x, v, ei, ea), _reference_schnet(model, h, x, v, ei, ea)
    tol = 1e-12 if dtype == torch.float64 else 1e-6
    assert torch.allclose(ours, ref, rtol=tol, atol=tol)


def test_same_layers_and_initialisation_as_before():
    """gdl.tools.mlp(..., activation=nn.SiLU) builds the layers of the old _mlp in the same order."""
    torch.manual_seed(0)
    layer = EGNNLayer(8, edge_dim=2, velocity=True)
    torch.manual_seed(0)
    phi_e = _reference_mlp(2 * 8 + 1 + 2, 8, 8, last_act=True)
    phi_x = _reference_mlp(8, 8, 1)
    nn.init.xavier_uniform_(phi_x[-1].weight, gain=0.01)
    ref = nn.ModuleList([phi_e, phi_x, _reference_mlp(16, 8, 8), _reference_mlp(8, 8, 1)])
    ours = nn.ModuleList([layer.phi_e, layer.phi_x, layer.phi_h, layer.phi_v])
    assert repr(ours) == repr(ref)
    assert all(torch.equal(a, b) for a, b in zip(ours.parameters(), ref.parameters(), strict=True))

    torch.manual_seed(0)
    schnet = ParticleSchNet(16, 2)
    torch.manual_seed(0)
    old = [nn.Linear(1, 16)] + [_reference_mlp(16 + 1, 16, 16) for _ in range(2)]  # embed, CFConv filters
    old += [_reference_mlp(16, 16, 16) for _ in range(2)] + [_reference_mlp(16, 16, 1)]  # updates, a
    old += [_reference_mlp(2 * 16 + 2, 16, 1)]  # b, now the MLP of the RadialReadout layer
    old_params = [p for m in old for p in m.parameters()]
    assert all(torch.equal(a, b) for a, b in zip(schnet.parameters(), old_params, strict=True))


# --- the velocity update of Satorras et al. (Eq. 7) and reflections --------------------------------
def test_egnn_stack_scales_the_initial_velocity_in_every_layer():
    """v^{l+1} = φ_v(h^l) v^init + C Σ_j (x_i - x_j) φ_x(m_ij), x^{l+1} = x^l + v^{l+1}, as in the paper."""
    (h, x, ei, v), g = _graph(7, 20, 3, 3, 0)
    edge_attr = torch.randn(20, 1, generator=g, dtype=torch.float64)
    model = EGNN(3, hidden=8, layers=3, edge_dim=1, velocity=True).double()
    with torch.no_grad():
        for layer in model.layers:  # make φ_v and φ_x matter
            for p in list(layer.phi_v.parameters()) + list(layer.phi_x.parameters()):
                p.normal_(generator=g)
        hh, xx = model.embed(h), x
        for layer in model.layers:
            hh, xx, _ = _reference_egnn_layer(layer, hh, xx, ei, edge_attr, v)  # always the input v
        h_out, x_out = model(h, x, ei, edge_attr, v)
        chained_h, chained_x, vv = model.embed(h), x, v
        for layer in model.layers:  # the other reading, v^l passed on: must differ
            chained_h, chained_x, vv = _reference_egnn_layer(layer, chained_h, chained_x, ei, edge_attr, vv)
    assert torch.allclose(h_out, hh, atol=1e-12) and torch.allclose(x_out, xx, atol=1e-12)
    assert not torch.allclose(x_out, chained_x, atol=1e-6)


@settings(max_examples=20)
@given(n=st.integers(2, 10), seed=st.integers(0, 10**6))
def test_features_are_identical_for_mirror_images(n, seed):
    """E(3) includes reflections: EGNN's features cannot tell a point cloud from its mirror image."""
    torch.manual_seed(seed)
    (h, x, ei, v), g = _graph(n, 3 * n, 4, 3, seed)
    model = EGNN(4, hidden=8, layers=2, velocity=True).double()
    mirror = torch.diag(torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64))
    with torch.no_grad():
        h1, x1 = model(h, x, ei, None, v)
        h2, x2 = model(h, x @ mirror.T, ei, None, v @ mirror.T)
    assert torch.allclose(h1, h2, atol=1e-12 * max(1.0, float(h1.abs().max())))
    assert torch.allclose(x2, x1 @ mirror.T, atol=1e-10)
