"""Bad-input cases of gdl.applications (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import applications as app

MODULE = "applications"

nan = float("nan")
z3 = torch.tensor([6, 1, 8])  # C, H, O
pos3 = torch.tensor([[0.0, 0.0, 0.0], [1.1, 0.0, 0.0], [-1.2, 0.0, 0.0]])
ring3 = torch.tensor([[0, 1, 2, 1, 2, 0], [1, 2, 0, 0, 1, 2]])  # C_3, both directions


def _sample(h=None, pos=None, edge_index=None, y=None):
    """One molecule as collate_molecules takes it (3 atoms, 15 features), with one part replaced."""
    return (torch.ones(3, 15) if h is None else h, pos3 if pos is None else pos,
            ring3 if edge_index is None else edge_index, torch.tensor(1.0) if y is None else y)


def _graphs(zs=None, positions=None, y=None, **kw):
    """A MoleculeGraphs of one molecule, with one argument replaced."""
    return app.MoleculeGraphs([z3] if zs is None else zs, [pos3] if positions is None else positions,
                              torch.zeros(1) if y is None else y, **kw)


def _batch(h=None, pos=None, edge_index=None, batch=None):
    """Two molecules batched as the models take them: h (6, 15), pos (6, 3), edge_index, batch (6,)."""
    h0, pos0, e0, b0, _ = app.collate_molecules([_sample(), _sample()])
    return (h0 if h is None else h, pos0 if pos is None else pos,
            e0 if edge_index is None else edge_index, b0 if batch is None else batch)


def _model_cases(name: str, make) -> list[Case]:
    n = f"applications.{name}"
    return [
        Case(n, "shape", "h", lambda: make()(*_batch(h=torch.ones(6, 10))), match="in_features = 15"),
        Case(n, "shape", "pos", lambda: make()(*_batch(pos=torch.zeros(6, 2)))),
        Case(n, "shape", "batch", lambda: make()(*_batch(batch=torch.zeros(5, dtype=torch.long)))),
        Case(n, "dtype", "h", lambda: make()(*_batch(h=torch.ones(6, 15, dtype=torch.float64))),
             TypeError, r"\.double\(\)"),
        Case(n, "dtype", "h", lambda: make()(*_batch(h=torch.ones(6, 15, dtype=torch.long))), TypeError),
        Case(n, "dtype", "batch", lambda: make()(*_batch(batch=torch.zeros(6))), TypeError),
        Case(n, "value", "batch", lambda: make()(*_batch(batch=torch.tensor([0, 0, 0, 1, 1, 9]))),
             match="molecule 9"),
        Case(n, "value", "batch", lambda: make()(*_batch(batch=torch.tensor([0, 0, 0, -1, -1, -1])))),
        Case(n, "value", "edge_index", lambda: make()(*_batch(edge_index=ring3 + 7)), match="atom 9"),
        Case(n, "value", "in_features", lambda: type(make())(0)),
        Case(n, "value", "hidden", lambda: type(make())(15, hidden=0)),
        Case(n, "value", "layers", lambda: type(make())(15, 8, layers=0)),
        Case(n, "value", "scale", lambda: type(make())(15, 8, 1, scale=nan)),
        Case(n, "dtype", "in_features", lambda: type(make())(15.5)),
    ]


CASES = [
    # ---- atoms -> features and graphs
    Case("applications.atom_features", "shape", "z", lambda: app.atom_features(z3[None])),
    Case("applications.atom_features", "dtype", "z", lambda: app.atom_features(z3.float()), TypeError),
    Case("applications.atom_features", "dtype", "dtype",
         lambda: app.atom_features(z3, dtype=torch.long), TypeError),
    Case("applications.atom_features", "value", "z", lambda: app.atom_features(torch.tensor([1, 16])),
         match=r"\[16\].*H, C, N, O, F"),
    Case("applications.atom_features", "value", "charge_power",
         lambda: app.atom_features(z3, charge_power=-1)),
    Case("applications.element_counts", "shape", "z",
         lambda: app.element_counts(torch.ones(2, 2, dtype=torch.long))),
    Case("applications.element_counts", "dtype", "z", lambda: app.element_counts(z3 > 1), TypeError),
    Case("applications.element_counts", "value", "z", lambda: app.element_counts(torch.tensor([0, 6])),
         match=r"\[0\]"),
    Case("applications.radius_graph", "shape", "pos", lambda: app.radius_graph(torch.zeros(4))),
    Case("applications.radius_graph", "dtype", "pos",
         lambda: app.radius_graph(pos3.to(torch.complex64)), TypeError),
    Case("applications.radius_graph", "value", "cutoff", lambda: app.radius_graph(pos3, cutoff=0.0)),
    Case("applications.radius_graph", "value", "cutoff", lambda: app.radius_graph(pos3, cutoff=-1.0)),
    Case("applications.radius_graph", "value", "cutoff", lambda: app.radius_graph(pos3, cutoff=nan)),
    Case("applications.radius_graph", "value", "pos", lambda: app.radius_graph(pos3 * nan, cutoff=2.0),
         match="non-finite"),
    Case("applications.bond_graph", "shape", "pos", lambda: app.bond_graph(z3, torch.zeros(2, 3)),
         match="N = 3"),
    Case("applications.bond_graph", "shape", "z", lambda: app.bond_graph(z3[None], pos3)),
    Case("applications.bond_graph", "dtype", "z", lambda: app.bond_graph(z3.double(), pos3), TypeError),
    Case("applications.bond_graph", "dtype", "pos",
         lambda: app.bond_graph(z3, pos3.to(torch.complex64)), TypeError),
    Case("applications.bond_graph", "value", "z", lambda: app.bond_graph(torch.tensor([6, 1, 17]), pos3)),
    Case("applications.bond_graph", "value", "tolerance", lambda: app.bond_graph(z3, pos3, tolerance=0.0)),
    Case("applications.bond_graph", "value", "pos", lambda: app.bond_graph(z3, pos3 / 0.0)),
    # ---- data sets and batches
    Case("applications.MoleculeGraphs", "shape", "y", lambda: _graphs(y=torch.zeros(1, 1))),
    Case("applications.MoleculeGraphs", "shape", "positions", lambda: _graphs(positions=[pos3[:, :2]])),
    Case("applications.MoleculeGraphs", "shape", "positions", lambda: _graphs(positions=[pos3, pos3]),
         match="lengths 1, 2 and 1"),
    Case("applications.MoleculeGraphs", "dtype", "zs", lambda: _graphs(zs=[z3.float()]), TypeError),
    Case("applications.MoleculeGraphs", "dtype", "dtype", lambda: _graphs(dtype=torch.int32), TypeError),
    Case("applications.MoleculeGraphs", "value", "zs", lambda: _graphs(zs=[torch.tensor([6, 1, 5])]),
         match="H, C, N, O, F"),
    Case("applications.MoleculeGraphs", "value", "zs",
         lambda: _graphs(zs=[torch.zeros(0, dtype=torch.long)], positions=[torch.zeros(0, 3)]),
         match="empty"),
    Case("applications.MoleculeGraphs", "value", "zs",
         lambda: _graphs(zs=[], positions=[], y=torch.zeros(0))),
    Case("applications.MoleculeGraphs", "value", "y", lambda: _graphs(y=torch.tensor([nan]))),
    Case("applications.MoleculeGraphs", "value", "positions", lambda: _graphs(positions=[pos3 * nan])),
    Case("applications.MoleculeGraphs", "value", "graph", lambda: _graphs(graph=-2.0)),
    Case("applications.MoleculeGraphs", "value", "graph", lambda: _graphs(graph="knn")),
    Case("applications.collate_molecules", "shape", "samples",
         lambda: app.collate_molecules([_sample(), _sample(h=torch.ones(3, 10))]), match="F = 15"),
    Case("applications.collate_molecules", "shape", "samples",
         lambda: app.collate_molecules([_sample(y=torch.ones(1))])),
    Case("applications.collate_molecules", "shape", "samples",
         lambda: app.collate_molecules([_sample()[:3]]), TypeError),
    Case("applications.collate_molecules", "dtype", "samples",
         lambda: app.collate_molecules([_sample(edge_index=ring3.float())]), TypeError),
    Case("applications.collate_molecules", "value", "samples",
         lambda: app.collate_molecules([_sample(), _sample(edge_index=ring3 * 3)]),
         match=r"samples\[1\].*atom 6"),
    Case("applications.collate_molecules", "value", "samples", lambda: app.collate_molecules([])),
    Case("applications.collate_molecules", "value", "samples",
         lambda: app.collate_molecules([_sample(torch.ones(0, 15), torch.zeros(0, 3), ring3[:, :0])]),
         match="no atoms"),
    Case("applications.molecule_loader", "shape", "data",
         lambda: app.molecule_loader([_sample(pos=torch.zeros(3, 2))])),
    Case("applications.molecule_loader", "dtype", "batch_size",
         lambda: app.molecule_loader(_graphs(), batch_size=2.5)),
    Case("applications.molecule_loader", "dtype", "data",
         lambda: app.molecule_loader(torch.zeros(3)), TypeError),
    Case("applications.molecule_loader", "value", "batch_size", lambda: app.molecule_loader(_graphs(), 0)),
    Case("applications.molecule_loader", "value", "data", lambda: app.molecule_loader([])),
    # ---- the three models
    *_model_cases("MoleculeEGNN", lambda: app.MoleculeEGNN(15, 8, 2)),
    *_model_cases("MoleculeSchNet", lambda: app.MoleculeSchNet(15, 8, 2)),
    *_model_cases("MoleculeGNN", lambda: app.MoleculeGNN(15, 8, 2)),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "applications.COVALENT_RADII": {kind: "a constant (a dict of radii), not a function" for kind in
                                    ("shape", "dtype", "value")},
}
