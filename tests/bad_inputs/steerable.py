"""Bad inputs of gdl.steerable (the chapter on steerable features): one case of each kind per public name."""
import torch

from bad_inputs import KINDS, Case  # noqa: F401
from gdl import steerable as st

MODULE = "steerable"

x4 = torch.randn(4, 3)
ring4 = torch.tensor([[0, 1, 2, 3, 1, 2, 3, 0], [1, 2, 3, 0, 0, 1, 2, 3]])  # C_4, both directions
h4 = torch.randn(4, 2)
owner = torch.tensor([0, 0, 1, 1])
f9 = torch.randn(4, 2, 9)


def _h(L: int = 2, C: int = 2, N: int = 4, dtype=torch.float32):
    return [torch.ones(N, C, 2 * ell + 1, dtype=dtype) for ell in range(L + 1)]


CASES = [
    Case("steerable.spherical_harmonics", "shape", "vectors",
         lambda: st.spherical_harmonics(1, torch.randn(3, 2))),
    Case("steerable.spherical_harmonics", "dtype", "vectors",
         lambda: st.spherical_harmonics(1, torch.randn(3, 3, dtype=torch.cfloat)), TypeError),
    Case("steerable.spherical_harmonics", "value", "ell", lambda: st.spherical_harmonics(9, x4)),
    Case("steerable.spherical_harmonics", "value", "vectors",
         lambda: st.spherical_harmonics(1, torch.tensor([[0.0, float("nan"), 1.0]]))),
    Case("steerable.wigner_d", "shape", "R", lambda: st.wigner_d(1, torch.randn(3, 2))),
    Case("steerable.wigner_d", "dtype", "R",
         lambda: st.wigner_d(1, torch.eye(3, dtype=torch.cfloat)), TypeError),
    Case("steerable.wigner_d", "value", "R", lambda: st.wigner_d(1, 2 * torch.eye(3)), match="orthogonal"),
    Case("steerable.wigner_d", "value", "R", lambda: st.wigner_d(1, -torch.eye(3)), match="det"),
    Case("steerable.degree_slice", "dtype", "ell", lambda: st.degree_slice(1.5)),
    Case("steerable.degree_slice", "value", "ell", lambda: st.degree_slice(-1)),
    Case("steerable.rotate_features", "shape", "f",
         lambda: st.rotate_features(torch.eye(3), torch.randn(2, 5)),
         match=r"\(L\+1\)\^2"),
    Case("steerable.rotate_features", "dtype", "Q",
         lambda: st.rotate_features(torch.eye(3, dtype=torch.cfloat), f9), TypeError),
    Case("steerable.rotate_features", "value", "Q", lambda: st.rotate_features(2 * torch.eye(3), f9),
         match="orthogonal"),
    Case("steerable.clebsch_gordan", "dtype", "l1", lambda: st.clebsch_gordan(1.5, 1, 1)),
    Case("steerable.clebsch_gordan", "value", "ell",
         lambda: st.clebsch_gordan(1, 1, 3), match=r"\|l1 - l2\|"),
    Case("steerable.tensor_product", "shape", "u",
         lambda: st.tensor_product(torch.randn(2), torch.randn(3), 1)),
    Case("steerable.tensor_product", "shape", "v",
         lambda: st.tensor_product(torch.randn(2, 3), torch.randn(3, 3), 1), match="broadcast"),
    Case("steerable.tensor_product", "dtype", "v",
         lambda: st.tensor_product(torch.randn(3), torch.randn(3, dtype=torch.cfloat), 1), TypeError),
    Case("steerable.tensor_product", "value", "ell",
         lambda: st.tensor_product(torch.randn(3), torch.randn(3), 3)),
    Case("steerable.tfn_paths", "dtype", "parity", lambda: st.tfn_paths(2, parity="yes"), TypeError),
    Case("steerable.tfn_paths", "value", "lmax", lambda: st.tfn_paths(7)),
    Case("steerable.edge_geometry", "shape", "x", lambda: st.edge_geometry(torch.randn(4, 2), ring4, 1)),
    Case("steerable.edge_geometry", "dtype", "edge_index", lambda: st.edge_geometry(x4, ring4.float(), 1),
         TypeError),
    Case("steerable.edge_geometry", "value", "edge_index", lambda: st.edge_geometry(x4[:3], ring4, 1),
         match="node 3"),
    Case("steerable.gate", "shape", "gates", lambda: st.gate(_h(), torch.ones(4, 3)), match=r"L\*C = 4"),
    Case("steerable.gate", "dtype", "h", lambda: st.gate(_h(dtype=torch.long), torch.ones(4, 4)), TypeError),
    Case("steerable.gate", "value", "h", lambda: st.gate([], None), match="empty"),
    Case("steerable.TensorProductConv", "shape", "f",
         lambda: st.TensorProductConv(2, 1)(torch.randn(4, 2, 3), x4, ring4), match="D = 4"),
    Case("steerable.TensorProductConv", "dtype", "f",
         lambda: st.TensorProductConv(2, 2)(f9.double(), x4.double(), ring4), TypeError, r"\.double\(\)"),
    Case("steerable.TensorProductConv", "value", "cutoff", lambda: st.TensorProductConv(2, cutoff=0.0)),
    Case("steerable.TFN", "shape", "h", lambda: st.TFN(3)(h4, x4, ring4), match="F = 3"),
    Case("steerable.TFN", "dtype", "h", lambda: st.TFN(2)(h4.double(), x4, ring4), TypeError),
    Case("steerable.TFN", "value", "edge_index", lambda: st.TFN(2)(h4[:3], x4[:3], ring4), match="node 3"),
    Case("steerable.to_cartesian", "shape", "f1", lambda: st.to_cartesian(torch.randn(2, 4))),
    Case("steerable.to_cartesian", "dtype", "f1",
         lambda: st.to_cartesian(torch.randn(2, 3, dtype=torch.cfloat)),
         TypeError),
    Case("steerable.invariant_readout", "shape", "f", lambda: st.invariant_readout(torch.randn(4, 5))),
    Case("steerable.invariant_readout", "dtype", "f",
         lambda: st.invariant_readout(torch.randn(4, 2, 4, dtype=torch.cfloat)), TypeError),
    Case("steerable.invariant_readout", "value", "f",
         lambda: st.invariant_readout(torch.full((4, 2, 4), float("nan"))), match="non-finite"),
    Case("steerable.kchain", "dtype", "k", lambda: st.kchain(2.5, True)),
    Case("steerable.kchain", "dtype", "same_side", lambda: st.kchain(3, "yes"), TypeError),
    Case("steerable.kchain", "value", "k", lambda: st.kchain(1, True)),
    Case("steerable.TFNVector", "shape", "owner", lambda: st.TFNVector(2)(h4, x4, ring4, owner[:3], 2)),
    Case("steerable.TFNVector", "dtype", "owner", lambda: st.TFNVector(2)(h4, x4, ring4, owner.float(), 2),
         TypeError),
    Case("steerable.TFNVector", "value", "owner",
         lambda: st.TFNVector(2)(h4, x4, ring4, owner, 1), match="graph 1"),
    Case("steerable.TFNVector", "value", "lmax", lambda: st.TFNVector(2, lmax=0)),
    Case("steerable.EGNNVector", "shape", "owner",
         lambda: st.EGNNVector(2)(h4, x4, ring4, owner[:, None], 2)),
    Case("steerable.EGNNVector", "dtype", "num_graphs", lambda: st.EGNNVector(2)(h4, x4, ring4, owner, 2.5)),
    Case("steerable.EGNNVector", "value", "owner", lambda: st.EGNNVector(2)(h4, x4, ring4, owner - 1, 2),
         match="graph -1"),
]

EXEMPT = {
    "steerable.degree_slice": {"shape": "takes a degree, no array"},
    "steerable.clebsch_gordan": {"shape": "takes three degrees, no array"},
    "steerable.tfn_paths": {"shape": "takes a degree and a flag, no array"},
    "steerable.kchain": {"shape": "takes a length and a flag, no array"},
    "steerable.to_cartesian": {"value": "reorders three components: every real value is valid"},
}
