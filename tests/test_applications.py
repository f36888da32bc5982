"""gdl.applications: molecular graphs and featurisation, batching (against PyG), and the E(3) x S_N
invariance of the three molecular models on random molecules."""
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from gdl.applications import (
    MoleculeEGNN,
    MoleculeGNN,
    MoleculeGraphs,
    MoleculeSchNet,
    atom_features,
    bond_graph,
    collate_molecules,
    element_counts,
    molecule_loader,
    radius_graph,
)
from gdl.datasets.real import ELEMENTS
from gdl.graphs import GNN
from gdl.symmetry import random_rotation

# methane: C at the origin, four H at 1.09 Å on a tetrahedron
_TETRA = torch.tensor([[1.0, 1.0, 1.0], [1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]],
                      dtype=torch.float64) / 3**0.5
METHANE = (torch.tensor([6, 1, 1, 1, 1]), torch.cat([torch.zeros(1, 3, dtype=torch.float64), 1.09 * _TETRA]))


def _molecule(n, seed):
    g = torch.Generator().manual_seed(seed)
    z = torch.tensor(ELEMENTS)[torch.randint(len(ELEMENTS), (n,), generator=g)]
    return z, 1.5 * torch.randn(n, 3, generator=g, dtype=torch.float64)


def test_atom_features_are_the_one_hot_times_powers_of_the_scaled_charge():
    h = atom_features(torch.tensor([1, 6, 9]))
    assert h.shape == (3, 15) and h.dtype == torch.float32
    assert torch.equal(h[:, :5], torch.tensor([[1.0, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 1]]))
    assert h[1, 6] == pytest.approx(6 / 9) and h[1, 11] == pytest.approx((6 / 9) ** 2)
    assert h[2, 14] == pytest.approx(1.0) and h.sum().item() == pytest.approx(3 + 16 / 9 + (1 + 36 + 81) / 81)
    assert atom_features(torch.tensor([7]), charge_power=0).shape == (1, 5)


def test_element_counts():
    assert element_counts(METHANE[0]).tolist() == [4, 1, 0, 0, 0]


@pytest.mark.parametrize("call,error", [
    (lambda: atom_features(torch.tensor([1, 16])), ValueError),
    (lambda: atom_features(torch.tensor([1.0, 6.0])), TypeError),
    (lambda: atom_features(torch.tensor([1, 6]), charge_power=-1), ValueError),
    (lambda: bond_graph(torch.tensor([1, 6]), torch.zeros(3, 3)), ValueError),
    (lambda: bond_graph(*METHANE, tolerance=0.0), ValueError),
    (lambda: radius_graph(torch.zeros(4)), ValueError),
    (lambda: radius_graph(torch.zeros(4, 3), cutoff=-1.0), ValueError),
    (lambda: MoleculeGraphs([METHANE[0]], [METHANE[1]], torch.zeros(2)), ValueError),
    (lambda: MoleculeGraphs([METHANE[0]], [METHANE[1]], torch.zeros(1), graph="knn"), ValueError),
])
def test_bad_input_raises_a_clear_error(call, error):
    with pytest.raises(error):
        call()


def test_bond_graph_of_methane_and_of_a_stretched_molecule():
    edges = bond_graph(*METHANE)
    assert edges.shape == (2, 8)  # four C-H bonds, both directions; no H-H bond at 1.78 Å
    bonds = [(0, i) for i in range(1, 5)] + [(i, 0) for i in range(1, 5)]
    assert sorted(map(tuple, edges.T.tolist())) == sorted(bonds)
    z, pos = METHANE
    assert bond_graph(z, 2 * pos).shape == (2, 0)  # 2.18 Å is no bond


@given(n=st.integers(1, 12), cutoff=st.one_of(st.none(), st.floats(0.5, 4.0)), seed=st.integers(0, 10**6))
def test_radius_graph_is_every_ordered_pair_closer_than_the_cutoff(n, cutoff, seed):
    _, pos = _molecule(n, seed)
    edges = radius_graph(pos, cutoff)
    d = torch.cdist(pos, pos)
    want = [(j, i) for i in range(n) for j in range(n) if i != j and (cutoff is None or d[i, j] < cutoff)]
    assert list(map(tuple, edges.T.tolist())) == want  # sorted by target, then source


def test_collate_matches_pyg_batching():
    pyg = pytest.importorskip("torch_geometric")
    molecules = [_molecule(n, s) for n, s in ((3, 0), (5, 1), (4, 2))]
    data = MoleculeGraphs([z for z, _ in molecules], [p for _, p in molecules], torch.arange(3.0))
    h, pos, edge_index, batch, y = collate_molecules([data[k] for k in range(3)])
    ref = pyg.data.Batch.from_data_list([pyg.data.Data(x=hk, pos=pk, edge_index=ek, y=yk[None])
                                         for hk, pk, ek, yk in data.items])
    assert torch.equal(h, ref.x) and torch.equal(pos, ref.pos) and torch.equal(edge_index, ref.edge_index)
    assert torch.equal(batch, ref.batch) and torch.equal(y, ref.y)


def test_loader_shuffles_reproducibly_by_seed():
    molecules = [_molecule(3, s) for s in range(10)]
    data = MoleculeGraphs([z for z, _ in molecules], [p for _, p in molecules], torch.arange(10.0))
    order = [torch.cat([b[-1] for b in molecule_loader(data, 4, shuffle=True, seed=s)]) for s in (0, 0, 1)]
    assert torch.equal(order[0], order[1]) and not torch.equal(order[0], order[2])
    assert sorted(order[0].tolist()) == list(range(10))


def _models():
    torch.manual_seed(0)
    return {"complete": [MoleculeEGNN(15, 16, 2, mean=3.0, scale=2.0).double(),
                         MoleculeSchNet(15, 16, 2, mean=3.0, scale=2.0).double()],
            "bonds": [MoleculeGNN(15, 16, 2, mean=3.0, scale=2.0).double()]}


MODELS = _models()


def _predict(model, graph, molecules):
    zs, positions = [z for z, _ in molecules], [p for _, p in molecules]
    data = MoleculeGraphs(zs, positions, torch.zeros(len(molecules)), graph)
    h, _, edge_index, batch, _ = collate_molecules(data.items)
    with torch.no_grad():
        return model(h.double(), torch.cat([p for _, p in molecules]), edge_index, batch)


@given(sizes=st.lists(st.integers(1, 9), min_size=1, max_size=3), seed=st.integers(0, 10**6))
def test_models_are_e3_and_permutation_invariant(sizes, seed):
    g = torch.Generator().manual_seed(seed)
    molecules = [_molecule(n, seed + k) for k, n in enumerate(sizes)]
    qs = random_rotation(len(sizes), 3, reflections=True, generator=g, dtype=torch.float64)
    moved = []
    for (z, pos), q in zip(molecules, qs, strict=True):
        perm = torch.randperm(len(z), generator=g)
        moved.append((z[perm], pos[perm] @ q.T + torch.randn(3, generator=g, dtype=torch.float64)))
    for graph, models in MODELS.items():
        for model in models:
            before, after = _predict(model, graph, molecules), _predict(model, graph, moved)
            assert before.shape == (len(sizes),)
            scale = before.abs().max().clamp(min=1)
            assert (after - before).abs().max() <= 1e-12 * scale, type(model).__name__


def test_batching_does_not_mix_molecules():
    molecules = [_molecule(n, s) for n, s in ((4, 0), (7, 1), (2, 2))]
    for graph, models in MODELS.items():
        for model in models:
            together = _predict(model, graph, molecules)
            alone = torch.cat([_predict(model, graph, [m]) for m in molecules])
            assert torch.allclose(together, alone, atol=1e-12)


def test_geometric_models_see_geometry_and_the_gnn_does_not():
    z, pos = _molecule(6, 3)
    stretched = [(z, pos * 1.3)]
    for model in MODELS["complete"]:
        original = _predict(model, "complete", [(z, pos)])
        assert not torch.allclose(original, _predict(model, "complete", stretched))
    # the GNN sees the bond graph only: the same bonds give the same prediction wherever the atoms are
    gnn = MODELS["bonds"][0]
    h = atom_features(z).double()
    edges = bond_graph(z, pos)
    batch = torch.zeros(6, dtype=torch.long)
    elsewhere = torch.randn(6, 3, dtype=torch.float64)
    assert torch.equal(gnn(h, pos, edges, batch), gnn(h, elsewhere, edges, batch))


def test_molecule_gnn_is_the_chapter_7_gnn_rescaled():
    gnn = MODELS["bonds"][0]
    plain = GNN(15, 16, 1, layers=2, conv="mpnn", readout="sum").double()
    plain.load_state_dict(gnn.gnn.state_dict())
    z, pos = _molecule(5, 4)
    h, edges, batch = atom_features(z).double(), bond_graph(z, pos), torch.zeros(5, dtype=torch.long)
    assert torch.allclose(gnn(h, pos, edges, batch), 3.0 + 2.0 * plain(h, edges, batch).squeeze(-1))


def test_models_reject_bad_shapes():
    z, pos = _molecule(4, 5)
    h, edges, batch = atom_features(z).double(), radius_graph(pos), torch.zeros(4, dtype=torch.long)
    model = MODELS["complete"][0]
    with pytest.raises(ValueError, match="h must have shape"):
        model(h[:, :10], pos, edges, batch)
    with pytest.raises(ValueError, match="pos must have shape"):
        model(h, pos[:, :2], edges, batch)
    with pytest.raises(ValueError, match="batch must have shape"):
        model(h, pos, edges, batch[:3])


# ---- bad input gets a clear error or the right number, never a silent wrong one
def test_integer_positions_are_promoted_not_truncated():
    ints = torch.tensor([[0, 0, 0], [1, 0, 0], [0, 3, 0]])
    assert torch.equal(radius_graph(ints, 2), radius_graph(ints.float(), 2.0))
    cc = bond_graph(torch.tensor([6, 6, 1]), ints)  # C-C at 1 Å is bonded (< 1.15 * 1.52 Å); H is 3 Å away
    assert sorted(map(tuple, cc.T.tolist())) == [(0, 1), (1, 0)]
    data = MoleculeGraphs([torch.tensor([6, 6, 1])], [ints], torch.tensor([2]), graph="bonds")
    h, pos, edges, y = data[0]
    assert pos.dtype == h.dtype == y.dtype == torch.float32 and torch.equal(pos, ints.float())
    assert torch.equal(edges, cc) and y.item() == 2.0


def _batch_of(dtype, graph="complete"):
    molecules = [_molecule(n, s) for n, s in ((4, 0), (6, 1), (3, 2))]
    data = MoleculeGraphs([z for z, _ in molecules], [p for _, p in molecules], torch.arange(3.0), graph,
                          dtype=dtype)
    return collate_molecules([data[k] for k in range(len(data))])


def test_float64_molecules_run_end_to_end_through_each_model_doubled():
    h = atom_features(torch.tensor([6]), dtype=torch.float64)
    assert h.dtype == torch.float64 and h[0, 6].item() == 6 / 9  # exact in float64, not a float32 rounding
    for graph, models in _models().items():
        batch64, batch32 = _batch_of(torch.float64, graph), _batch_of(torch.float32, graph)
        assert all(t.dtype == torch.float64 for t in (batch64[0], batch64[1], batch64[4]))
        for model in models:  # doubled by _models()
            out64 = model(*batch64[:4])
            assert out64.dtype == torch.float64 and out64.shape == (3,)
            out32 = model.float()(*batch32[:4])
            torch.testing.assert_close(out64.float(), out32, rtol=1e-4, atol=1e-4)
            with pytest.raises(TypeError, match=r"\.double\(\)"):  # float64 input to a float32 model
                model(*batch64[:4])


def test_molecule_graphs_and_collate_keep_and_return_copies():
    z, pos = _molecule(4, 7)
    pos, y = pos.float(), torch.tensor([5.0])  # already in the stored dtype: .float() alone would alias
    data = MoleculeGraphs([z], [pos], y)
    kept = [t.clone() for t in data.items[0]]
    pos.add_(1.0), y.zero_()  # the caller edits its arrays afterwards
    h, p, e, t = data[0]
    h.zero_(), p.zero_(), e.zero_(), t.zero_()  # and the copies it got back
    for one in collate_molecules([data.items[0]]):  # a batch of one molecule is a copy too
        one.zero_()
    for batch in molecule_loader(data, 1):
        for part in batch:
            part.zero_()
    assert all(torch.equal(a, b) for a, b in zip(data.items[0], kept, strict=True))
    assert all(torch.equal(a, b) for a, b in zip(data[0], kept, strict=True))


def test_loader_batches_equal_collating_the_items():
    molecules = [_molecule(n, s) for n, s in ((3, 0), (5, 1), (4, 2))]
    data = MoleculeGraphs([z for z, _ in molecules], [p for _, p in molecules], torch.arange(3.0))
    (batch,) = list(molecule_loader(data, 3))
    for a, b in zip(batch, collate_molecules([data[k] for k in range(3)]), strict=True):
        assert torch.equal(a, b)


def test_silent_wrong_numbers_are_now_errors():
    z, pos = METHANE
    # an edge of molecule 0 pointing at an atom of another molecule used to be shifted silently
    sample = (atom_features(z), pos.float(), torch.tensor([[0], [7]]), torch.tensor(0.0))
    with pytest.raises(ValueError, match=r"edge_index of samples\[0\] refers to atom 7"):
        collate_molecules([sample, sample])
    # a column of targets (n, 1) used to give y (B, 1) batches, which broadcast against (B,) outputs
    with pytest.raises(ValueError, match=r"y must have shape \(n,\)"):
        MoleculeGraphs([z], [pos], torch.zeros(1, 1))
    # NaN coordinates used to give a graph without edges, a NaN target a NaN loss
    with pytest.raises(ValueError, match="positions"):
        MoleculeGraphs([z], [pos * float("nan")], torch.zeros(1))
    with pytest.raises(ValueError, match="y holds 1 non-finite"):
        MoleculeGraphs([z], [pos], torch.tensor([float("nan")]))
    with pytest.raises(ValueError, match="pos holds"):
        radius_graph(pos * float("nan"), 2.0)
    # a molecule without atoms used to be kept, and dropped from the batch's predictions
    with pytest.raises(ValueError, match="at least one atom"):
        MoleculeGraphs([z[:0]], [pos[:0]], torch.zeros(1))
    # a molecule id beyond the atoms used to add predictions for molecules that do not exist
    model = MODELS["complete"][0]
    h, edges = atom_features(z).double(), radius_graph(pos)
    with pytest.raises(ValueError, match="batch refers to molecule 9"):
        model(h, pos, edges, torch.tensor([0, 0, 0, 0, 9]))
    with pytest.raises(ValueError, match="scale"):
        MoleculeEGNN(15, 8, 2, scale=float("nan"))


def test_empty_atom_lists_give_empty_results():
    empty = torch.zeros(0, dtype=torch.long)
    assert atom_features(empty).shape == (0, 15) and element_counts(empty).tolist() == [0] * 5
    assert radius_graph(torch.zeros(0, 3)).shape == (2, 0)
    assert bond_graph(empty, torch.zeros(0, 3)).shape == (2, 0)
