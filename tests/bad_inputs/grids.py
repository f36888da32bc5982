"""Bad-input cases of gdl.grids (see tests/bad_inputs/__init__.py)."""
import torch

from bad_inputs import Case
from gdl import grids

MODULE = "grids"

x8 = torch.randn(2, 8)
img = torch.randn(2, 1, 8, 8)


CASES = [
    Case("grids.circular_shift", "shape", "g", lambda: grids.circular_shift((1, 2, 3, 4), x8), match="shape"),
    Case("grids.circular_shift", "dtype", "g", lambda: grids.circular_shift(1.5, x8)),
    Case("grids.circular_shift", "dtype", "x", lambda: grids.circular_shift(1, [1, 2, 3]), TypeError),
    Case("grids.shift_matrix", "value", "n", lambda: grids.shift_matrix(0)),
    Case("grids.shift_matrix", "dtype", "n", lambda: grids.shift_matrix(True)),
    Case("grids.shift_matrix", "dtype", "dtype", lambda: grids.shift_matrix(3, dtype="float"), TypeError),
    Case("grids.commutant", "shape", "generators", lambda: grids.commutant([torch.randn(2, 3)])),
    Case("grids.commutant", "dtype", "generators",
         lambda: grids.commutant([torch.eye(2, dtype=torch.complex64)]), TypeError),
    Case("grids.commutant", "value", "tol", lambda: grids.commutant([torch.eye(2)], tol=-1.0)),
    Case("grids.circulant", "shape", "w", lambda: grids.circulant(torch.zeros(3, 0))),
    Case("grids.circulant", "dtype", "w", lambda: grids.circulant([1.0, 2.0]), TypeError),
    Case("grids.dft_matrix", "value", "n", lambda: grids.dft_matrix(-2)),
    Case("grids.dft_matrix", "dtype", "dtype", lambda: grids.dft_matrix(4, dtype=torch.float64), TypeError),
    Case("grids.circular_conv", "shape", "w", lambda: grids.circular_conv(torch.randn(4, 5), torch.randn(6))),
    Case("grids.circular_conv", "dtype", "w",
         lambda: grids.circular_conv(x8, torch.ones(3, dtype=torch.complex64)), TypeError),
    Case("grids.circular_conv", "value", "x", lambda: grids.circular_conv(torch.zeros(2, 0), torch.ones(1))),
    Case("grids.fft_conv", "shape", "w", lambda: grids.fft_conv(x8, torch.ones(3, 3))),
    Case("grids.fft_conv", "dtype", "x",
         lambda: grids.fft_conv(x8.to(torch.complex64), torch.ones(3)), TypeError),
    Case("grids.fft_conv", "value", "w", lambda: grids.fft_conv(x8, torch.ones(9))),
    Case("grids.GridConv", "shape", "x", lambda: grids.GridConv(1, 2)(torch.randn(8, 8))),
    Case("grids.GridConv", "dtype", "x",
         lambda: grids.GridConv(1, 2)(img.double()), TypeError, r"\.double\(\)"),
    Case("grids.GridConv", "value", "kernel_size", lambda: grids.GridConv(1, 2, kernel_size=4)),
    Case("grids.GridConv", "value", "in_channels", lambda: grids.GridConv(0, 2)),
    Case("grids.LocalPool", "shape", "x", lambda: grids.LocalPool()(torch.randn(2, 8, 8))),
    Case("grids.LocalPool", "dtype", "x", lambda: grids.LocalPool()(torch.ones(2, 1, 4, 4, dtype=torch.long)),
         TypeError),
    Case("grids.LocalPool", "value", "size", lambda: grids.LocalPool(size=0)),
    Case("grids.GlobalAvgPool", "shape", "x", lambda: grids.GlobalAvgPool(dim=1)(img)),
    Case("grids.GlobalAvgPool", "dtype", "x",
         lambda: grids.GlobalAvgPool()(torch.ones(2, 1, 4, 4, dtype=torch.long)),
         TypeError),
    Case("grids.GlobalAvgPool", "value", "x", lambda: grids.GlobalAvgPool()(torch.ones(2, 1, 0, 4))),
    Case("grids.ConvBlock", "shape", "x", lambda: grids.ConvBlock(1, 2)(torch.randn(1, 8, 8))),
    Case("grids.ConvBlock", "dtype", "x", lambda: grids.ConvBlock(1, 2)(img.double()), TypeError),
    Case("grids.ConvBlock", "value", "out_channels", lambda: grids.ConvBlock(1, -2)),
    Case("grids.GridCNN", "shape", "x", lambda: grids.GridCNN(1, 10)(torch.randn(1, 3, 8, 8)), match="C = 1"),
    Case("grids.GridCNN", "dtype", "x", lambda: grids.GridCNN(1, 10)(img.double()), TypeError),
    Case("grids.GridCNN", "value", "num_classes", lambda: grids.GridCNN(1, 0)),
    Case("grids.random_displacement", "shape", "shape", lambda: grids.random_displacement(2, (4, 4, 4))),
    Case("grids.random_displacement", "dtype", "batch", lambda: grids.random_displacement(2.0, (8,))),
    Case("grids.random_displacement", "value", "num_modes",
         lambda: grids.random_displacement(2, (8,), num_modes=0)),
    Case("grids.warp", "shape", "displacement", lambda: grids.warp(img, torch.zeros(2, 1, 8, 8))),
    Case("grids.warp", "dtype", "displacement",
         lambda: grids.warp(img, torch.zeros(2, 2, 8, 8, dtype=torch.complex64)), TypeError),
    Case("grids.warp", "value", "displacement",
         lambda: grids.warp(img, torch.full((2, 2, 8, 8), float("nan")))),
    Case("grids.smooth_warp", "shape", "x", lambda: grids.smooth_warp(torch.randn(8, 8), 1.0)),
    Case("grids.smooth_warp", "dtype", "x",
         lambda: grids.smooth_warp(img.to(torch.complex64), 1.0), TypeError),
    Case("grids.smooth_warp", "value", "amplitude", lambda: grids.smooth_warp(img, -1.0)),
]

# name -> {kind: why that kind of bad input does not exist for it}
EXEMPT = {
    "grids.shift_matrix": {"shape": "takes a size and a dtype, no array"},
    "grids.dft_matrix": {"shape": "takes a size and a dtype, no array"},
    "grids.circulant": {"value": "every finite or non-finite filter has a circulant; values are not checked"},
    "grids.circular_shift": {"value": "every integer shift is valid on a periodic grid"},
}
