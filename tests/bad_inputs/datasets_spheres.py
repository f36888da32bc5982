"""Bad inputs to gdl.datasets.spheres: the projection of planar images onto the sphere."""
import torch

from bad_inputs import Case
from gdl.datasets import spheres as data

MODULE = "datasets.spheres"

images = torch.rand(2, 1, 8, 8)

CASES = [
    Case("datasets.spheres.project_to_sphere", "shape", "images",
         lambda: data.project_to_sphere(images[0, 0], 4)),
    Case("datasets.spheres.project_to_sphere", "shape", "rotations",
         lambda: data.project_to_sphere(images, 4, torch.eye(3).expand(3, 3, 3)), match="B = 2"),
    Case("datasets.spheres.project_to_sphere", "dtype", "images",
         lambda: data.project_to_sphere(images.to(torch.complex64), 4), TypeError),
    Case("datasets.spheres.project_to_sphere", "dtype", "nlat", lambda: data.project_to_sphere(images, 4.5)),
    Case("datasets.spheres.project_to_sphere", "value", "extent",
         lambda: data.project_to_sphere(images, 4, extent=0)),
    Case("datasets.spheres.project_to_sphere", "value", "nlat", lambda: data.project_to_sphere(images, 0)),
    Case("datasets.spheres.project_to_sphere", "value", "rotations",
         lambda: data.project_to_sphere(images, 4, torch.full((2, 3, 3), float("nan")))),
]

EXEMPT = {}
