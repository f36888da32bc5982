"""The benchmark cases: each family times a gdl layer against its peer over a sweep of sizes.

A family is a function ``(device, quick, record, timing) -> None`` that calls
``compare(ours, peer, **timing)`` and then ``record(...)`` once per (case, size, mode); ``timing``
(the clock, the threads and the repeat counts) comes from the runner. An ImportError inside a
family (gdl module or peer missing) makes the runner skip it and write the reason into the
results file.
"""
from __future__ import annotations

import copy
import warnings
from functools import partial

import numpy as np
import torch
from torch import nn

from benchmarks.harness import compare, message_passing_bytes

FAMILIES = {}


def family(name, peer, cpu_only=False):
    """Register a benchmark family under name, comparing gdl with peer."""
    def deco(fn):
        FAMILIES[name] = {"fn": fn, "peer": peer, "cpu_only": cpu_only, "doc": fn.__doc__}
        return fn
    return deco


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------
MODES = ("forward", "forward+backward")


def _outputs_sum(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = 0
    for o in outs:
        o = torch.view_as_real(o) if o.is_complex() else o
        total = total + o.sum()
    return total


def runner(module, mode, *inputs):
    """A zero-argument callable: module(*inputs) in inference (eval, inference_mode), or a training
    step's forward and backward (the grads of the parameters and of inputs that require grad are
    cleared first)."""
    if mode == "forward":
        module.eval()

        def fn():
            with torch.inference_mode():
                return module(*inputs)
        return fn
    module.train()
    leaves = [p for p in module.parameters() if p.requires_grad]
    leaves += [t for t in inputs if isinstance(t, torch.Tensor) and t.requires_grad]

    def fn():
        for t in leaves:
            t.grad = None
        _outputs_sum(module(*inputs)).backward()
    return fn


def random_graph(num_nodes, num_edges, device, seed=0):
    """A random directed multigraph without self-loops, edges sorted by (source, target)."""
    g = torch.Generator().manual_seed(seed)
    src = torch.randint(num_nodes, (num_edges,), generator=g)
    dst = torch.randint(num_nodes - 1, (num_edges,), generator=g)
    dst = dst + (dst >= src).long()  # skip the self-loop
    order = torch.argsort(src * num_nodes + dst)
    return torch.stack([src[order], dst[order]]).to(device)


def _max_diff(a, b):
    return float((a - b).abs().max()) if a.shape == b.shape else None


def _graph_sizes(device, quick):
    if quick:
        return [2_000]
    return [10_000, 100_000, 1_000_000] + ([10_000_000] if device.type == "cuda" else [])


AVG_DEGREE = 16


# ------------------------------------------------------------------------------------------------
# Graphs (gdl.graphs) against PyG
# ------------------------------------------------------------------------------------------------
class _BuiltInCall(nn.Module):
    """The layer with its graph structure built inside every call: a fresh copy of edge_index
    each time, so nothing remembered about the caller's tensor is found."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x, edge_index):
        return self.layer(x, edge_index.clone())


def pyg_adjacency(edge_index, num_nodes):
    """PyG's sparse input: the transposed adjacency adj_t (row = target) as a torch CSR tensor.

    Repeated edges are summed into one entry, so that the product counts them as an edge_index
    does (PyG's ToSparseTensor transform keeps one entry of weight 1 for them instead)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        ones = torch.ones(edge_index.shape[1], device=edge_index.device)
        coo = torch.sparse_coo_tensor(edge_index.flip(0), ones, (num_nodes, num_nodes),
                                      check_invariants=False).coalesce()
        return coo.to_sparse_csr()


def _graph_family(record, timing, device, quick, case, peer_name, make, gathered, c_in, c_out,
                  make_sparse_peer=None):
    """Ours (graph structure cached, as in a training loop) against PyG's edge_index path; ours with
    the structure built inside the timed call against the same; and, with make_sparse_peer, ours
    against PyG given a sparse adjacency."""
    for E in _graph_sizes(device, quick):
        N = max(E // AVG_DEGREE, 16)
        torch.manual_seed(0)
        ours, peer = make()
        ours, peer = ours.to(device), peer.to(device)
        x = torch.randn(N, c_in, device=device)
        ei = random_graph(N, E, device)
        with torch.no_grad():
            ours.eval(), peer.eval()
            diff = _max_diff(ours(x, ei), peer(x, ei))
        Et = E if case == "GINConv" else E + N  # GCN and GAT add a self-loop per node
        floor = message_passing_bytes(Et, N, gathered, c_in, c_out)
        size = {"edges": E, "nodes": N, "channels_in": c_in, "channels_out": c_out}
        pairs = [(case, peer_name, ours, peer, ei, ei, diff, floor)]
        if case != "GATConv":
            pairs.append((f"{case}, structure built in the call", peer_name, _BuiltInCall(ours), peer,
                          ei, ei, diff, None))
        if make_sparse_peer is not None:
            adj_t = pyg_adjacency(ei, N)
            sparse_peer = make_sparse_peer(peer).to(device)
            with torch.no_grad():
                sparse_diff = _max_diff(ours(x, ei), sparse_peer(x, adj_t))
            pairs.append((case, f"{peer_name}, sparse adjacency", ours, sparse_peer, ei, adj_t, sparse_diff,
                          floor))
        for label, peer_label, a, b, graph_a, graph_b, d, fl in pairs:
            for mode in MODES:
                res = compare(runner(a, mode, x, graph_a), runner(b, mode, x, graph_b), **timing)
                record(case=label, peer=peer_label, mode=mode, x=E, size=size, res=res,
                       check={"max_abs_diff": d}, floor_bytes=fl if mode == "forward" else None)


@family("gcn", "torch_geometric.nn.GCNConv")
def bench_gcn(device, quick, record, timing):
    """GCN layer, 64 -> 64 channels, same weights as PyG's GCNConv."""
    import torch_geometric.nn as pyg

    from gdl.graphs import GCNConv

    def make():
        ours, peer = GCNConv(64, 64), pyg.GCNConv(64, 64)
        with torch.no_grad():
            ours.bias.normal_()
            peer.lin.weight.copy_(ours.lin.weight)
            peer.bias.copy_(ours.bias)
        return ours, peer
    def sparse_peer(peer):  # PyG's best path: the normalised sparse adjacency cached after one call
        twin = pyg.GCNConv(64, 64, cached=True)
        twin.load_state_dict(peer.state_dict())
        return twin
    _graph_family(record, timing, device, quick, "GCNConv", "PyG GCNConv", make,
                  gathered=64, c_in=64, c_out=64, make_sparse_peer=sparse_peer)


@family("gin", "torch_geometric.nn.GINConv")
def bench_gin(device, quick, record, timing):
    """GIN layer with a 64-64-64 MLP, the same MLP in both."""
    import torch_geometric.nn as pyg

    from gdl.graphs import GINConv

    def make():
        net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64))
        ours, peer = GINConv(net), pyg.GINConv(copy.deepcopy(net), eps=0.0)
        peer.nn.load_state_dict(net.state_dict())  # PyG re-initialises the MLP it is given
        return ours, peer

    _graph_family(record, timing, device, quick, "GINConv", "PyG GINConv", make,
                  gathered=64, c_in=64, c_out=64, make_sparse_peer=lambda peer: peer)


@family("gat", "torch_geometric.nn.GATConv")
def bench_gat(device, quick, record, timing):
    """GAT layer, 64 -> 4 heads x 16 channels, same weights as PyG's GATConv."""
    import torch_geometric.nn as pyg

    from gdl.graphs import GATConv
    H, C = 4, 16

    def make():
        ours, peer = GATConv(64, C, heads=H), pyg.GATConv(64, C, heads=H)
        with torch.no_grad():
            ours.bias.normal_()
            peer.lin.weight.copy_(ours.lin.weight)
            peer.att_src.copy_(ours.score.att_src.view(1, H, C))
            peer.att_dst.copy_(ours.score.att_dst.view(1, H, C))
            peer.bias.copy_(ours.bias)
        return ours, peer
    # per edge: the gathered source row (H*C) plus one source and one target score per head
    _graph_family(record, timing, device, quick, "GATConv", "PyG GATConv", make,
                  gathered=H * C + 2 * H, c_in=64, c_out=H * C)


# ------------------------------------------------------------------------------------------------
# Geometric graphs (gdl.egnn): EGNN against a plain MPNN of the same width
# ------------------------------------------------------------------------------------------------
@family("egnn", "gdl.egnn.CoordinateMPNNLayer (plain MPNN, same width)")
def bench_egnn(device, quick, record, timing):
    """EGNN layer against a plain coordinate MPNN layer, both 32 wide, 3-d coordinates."""
    from gdl.egnn import CoordinateMPNNLayer, EGNNLayer
    hidden = 32
    for E in _graph_sizes(device, quick):
        N = max(E // AVG_DEGREE, 16)
        torch.manual_seed(0)
        ours, peer = EGNNLayer(hidden).to(device), CoordinateMPNNLayer(hidden, dim=3).to(device)
        h, pos = torch.randn(N, hidden, device=device), torch.randn(N, 3, device=device)
        ei = random_graph(N, E, device)
        floor = message_passing_bytes(E, N, 2 * (hidden + 3), hidden + 3, hidden + 3)
        for mode in MODES:
            res = compare(runner(ours, mode, h, pos, ei), runner(peer, mode, h, pos, ei), **timing)
            record(case="EGNNLayer", peer="plain MPNN (CoordinateMPNNLayer)", mode=mode, x=E,
                   size={"edges": E, "nodes": N, "hidden": hidden}, res=res, check=None,
                   floor_bytes=floor if mode == "forward" else None)


# ------------------------------------------------------------------------------------------------
# Group convolutions (gdl.gcnn) against e2cnn's R2Conv on C4 regular representations
# ------------------------------------------------------------------------------------------------
class _E2Wrap(nn.Module):
    """e2cnn's R2Conv taking and returning plain tensors; its uint8 UserWarning is silenced here only."""

    def __init__(self, conv, in_type):
        super().__init__()
        self.conv, self.in_type = conv, in_type

    def forward(self, x):
        from e2cnn import nn as enn
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*uint8.*", category=UserWarning)
            return self.conv(enn.GeometricTensor(x, self.in_type)).tensor


@family("gcnn", "e2cnn.nn.R2Conv (C4 regular representations)")
def bench_gcnn(device, quick, record, timing):
    """p4 lifting (3 -> 8 regular fields) and group convolution (8 -> 8 regular fields), 3x3 filters."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)
        from e2cnn import gspaces
        from e2cnn import nn as enn
    from gdl.gcnn import GroupConv, LiftingConv
    gs = gspaces.Rot2dOnR2(N=4)
    B, C_in, C = 8, 3, 8
    sizes = [16] if quick else [32, 64, 128]
    for case, make in [
        ("LiftingConv", lambda: (LiftingConv(C_in, C, 3, "C4"),
                                 enn.FieldType(gs, C_in * [gs.trivial_repr]), C_in)),
        ("GroupConv", lambda: (GroupConv(C, C, 3, "C4"), enn.FieldType(gs, C * [gs.regular_repr]), C * 4)),
    ]:
        for S in sizes:
            torch.manual_seed(0)
            ours, in_type, width = make()
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=UserWarning)
                conv = enn.R2Conv(in_type, enn.FieldType(gs, C * [gs.regular_repr]), 3, padding=1)
            peer = _E2Wrap(conv, in_type).to(device)
            ours = ours.to(device)
            x = torch.randn(B, width, S, S, device=device)
            x_ours = x if case == "LiftingConv" else x.view(B, C, 4, S, S)
            with torch.no_grad():
                ours.eval(), peer.eval()
                shapes_agree = tuple(ours(x_ours).flatten(1, 2).shape) == tuple(peer(x).shape)
            for mode in MODES:
                res = compare(runner(ours, mode, x_ours), runner(peer, mode, x), **timing)
                fields_in = C_in if case == "LiftingConv" else C
                record(case=case, peer="e2cnn R2Conv", mode=mode, x=S,
                       size={"batch": B, "height": S, "width": S, "fields_in": fields_in,
                             "fields_out": C, "kernel": 3}, res=res,
                       check={"output_shapes_agree": shapes_agree}, floor_bytes=None)


# ------------------------------------------------------------------------------------------------
# Spherical harmonic transform (gdl.spheres) against torch-harmonics
# ------------------------------------------------------------------------------------------------
class _Fn(nn.Module):
    """A function as a module: forward(x) = fn(x, *args)."""

    def __init__(self, fn, *args):
        super().__init__()
        self.fn, self.args = fn, args

    def forward(self, x):
        return self.fn(x, *self.args)


def _power(a_real, L):
    """Per-degree power sum_m a_lm^2 of real coefficients (..., L, 2L-1)."""
    return (a_real ** 2).sum(-1)


def _power_complex(a, L):
    """Per-degree power of torch-harmonics' complex coefficients (..., L, M) for m >= 0 of a real signal."""
    p = a.abs() ** 2
    return p[..., 0] + 2 * p[..., 1:].sum(-1)


@family("sht", "torch_harmonics.RealSHT")
def bench_sht(device, quick, record, timing):
    """Forward real SHT of a batch of 8 signals on an nlat x 2nlat Gauss-Legendre grid, bandwidth nlat."""
    import torch_harmonics as th

    from gdl.spheres import sht
    B = 8
    sizes = [16] if quick else [32, 64, 128, 256]
    for nlat in sizes:
        nlon = 2 * nlat
        torch.manual_seed(0)
        ours = _Fn(sht, nlat).to(device)
        peer = th.RealSHT(nlat, nlon, lmax=nlat, mmax=nlat, grid="legendre-gauss").to(device)
        x = torch.randn(B, nlat, nlon, device=device)
        with torch.no_grad():
            po, pp = _power(ours(x), nlat), _power_complex(peer(x), nlat)
            rel = float((po - pp).abs().max() / pp.abs().max())
        xg = x.clone().requires_grad_(True)
        for mode in MODES:
            inp = x if mode == "forward" else xg
            res = compare(runner(ours, mode, inp), runner(peer, mode, inp), **timing)
            record(case="sht", peer="torch-harmonics RealSHT", mode=mode, x=nlat,
                   size={"batch": B, "nlat": nlat, "nlon": nlon, "L": nlat}, res=res,
                   check={"degree_power_rel_diff": rel}, floor_bytes=None)


# ------------------------------------------------------------------------------------------------
# Meshes (gdl.meshes) against robust-laplacian and potpourri3d, CPU only
# ------------------------------------------------------------------------------------------------
def _mesh_sizes(quick, top):
    return [2] if quick else list(range(3, top + 1))


@family("cotan", "robust_laplacian.mesh_laplacian, potpourri3d.cotan_laplacian", cpu_only=True)
def bench_cotan(device, quick, record, timing):
    """Assemble the sparse cotangent Laplacian of an icosphere."""
    import potpourri3d as pp3d
    import robust_laplacian

    from gdl.datasets.meshes import icosphere
    from gdl.meshes import cotan_laplacian
    for s in _mesh_sizes(quick, 6):
        V, F = icosphere(s)
        L = cotan_laplacian(V, F)
        peers = [("robust-laplacian mesh_laplacian", partial(robust_laplacian.mesh_laplacian, V, F)),
                 ("potpourri3d cotan_laplacian", partial(pp3d.cotan_laplacian, V, F))]
        for peer_name, peer in peers:
            P = peer()
            P = P[0] if isinstance(P, tuple) else P
            diff = float(abs(L - P).max())
            res = compare(partial(cotan_laplacian, V, F), peer, **timing)
            record(case="cotan_laplacian", peer=peer_name, mode="assemble", x=len(V),
                   size={"vertices": len(V), "faces": len(F), "subdivisions": s}, res=res,
                   check={"max_abs_diff": diff}, floor_bytes=None)


@family("heat", "potpourri3d.compute_distance, potpourri3d.MeshHeatMethodDistanceSolver", cpu_only=True)
def bench_heat(device, quick, record, timing):
    """Geodesic distance from one vertex of an icosphere by the heat method: the one-call form (set-up
    included), repeated queries on a prefactored solver, and one query including the factorisation."""
    import potpourri3d as pp3d

    from gdl.datasets.meshes import icosphere
    from gdl.meshes import HeatMethodSolver, heat_geodesic
    for s in _mesh_sizes(quick, 5):
        V, F = icosphere(s)
        size = {"vertices": len(V), "faces": len(F), "subdivisions": s}
        d_ours, d_peer = heat_geodesic(V, F, 0), pp3d.compute_distance(V, F, 0)
        r = np.linalg.norm(V[0])
        exact = r * np.arccos(np.clip(V @ V[0] / (np.linalg.norm(V, axis=1) * r), -1, 1))
        res = compare(partial(heat_geodesic, V, F, 0), partial(pp3d.compute_distance, V, F, 0), **timing)
        record(case="heat_geodesic", peer="potpourri3d compute_distance", mode="solve", x=len(V),
               size=size, res=res,
               check={"max_abs_diff": float(np.abs(d_ours - d_peer).max()),
                      "mean_err_ours": float(np.abs(d_ours - exact).mean()),
                      "mean_err_peer": float(np.abs(d_peer - exact).mean())}, floor_bytes=None)
        # both solvers built outside the timed call: a query is two solves with the stored factors
        ours, peer = HeatMethodSolver(V, F), pp3d.MeshHeatMethodDistanceSolver(V, F)
        source = len(V) // 2
        diff = float(np.abs(ours.distance(source) - peer.compute_distance(source)).max())
        res = compare(partial(ours.distance, source), partial(peer.compute_distance, source), **timing)
        record(case="HeatMethodSolver", peer="potpourri3d MeshHeatMethodDistanceSolver", mode="query",
               x=len(V), size=size, res=res, check={"max_abs_diff": diff}, floor_bytes=None)
        res = compare(lambda V=V, F=F: HeatMethodSolver(V, F).distance(0),
                      lambda V=V, F=F: pp3d.MeshHeatMethodDistanceSolver(V, F).compute_distance(0), **timing)
        record(case="HeatMethodSolver", peer="potpourri3d MeshHeatMethodDistanceSolver", mode="factor+query",
               x=len(V), size=size, res=res, check={"max_abs_diff": float(np.abs(d_ours - d_peer).max())},
               floor_bytes=None)
