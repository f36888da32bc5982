"""Bad-input cases of gdl.priors (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import priors

MODULE = "priors"

x8 = torch.randn(2, 8)


CASES = [
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
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "priors.draw_blueprint": {"shape": "takes numbers, labels and an axes, no array"},
    "priors.blueprint_model": {"shape": "takes numbers, no array"},
}
