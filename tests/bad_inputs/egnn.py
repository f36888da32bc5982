"""Bad-input cases of gdl.egnn (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import egnn

MODULE = "egnn"

ring3 = torch.tensor([[0, 1, 2, 1, 2, 0], [1, 2, 0, 0, 1, 2]])  # C_3, both directions
E3 = egnn.EuclideanGroup(3)


def _egnn_element():
    return (E3.identity(), torch.tensor([2, 0, 1]))


def _particles(h=None, x=None, v=None, e=None, a=None):
    """The N-body models' inputs on a 3-particle system, with one of them replaced."""
    return (torch.ones(3, 1) if h is None else h, torch.zeros(3, 3) if x is None else x,
            torch.zeros(3, 3) if v is None else v, ring3 if e is None else e,
            torch.ones(6, 1) if a is None else a)


CASES = [
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
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {

}
