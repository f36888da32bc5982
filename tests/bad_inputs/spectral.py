"""Bad-input cases of gdl.spectral (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import spectral

MODULE = "spectral"

ring = torch.tensor([[0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 0, 0, 1, 2, 3, 4, 5]])  # C_6


CASES = [
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
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {

}
