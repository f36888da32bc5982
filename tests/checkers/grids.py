"""Cases for the checkers of the chapter "Grids" (gdl.exercises.grids): solutions and wrong answers."""
import torch

from gdl.exercises.grids import check_band_width, check_exact_shifts, check_fft_conv, check_sym_dim
from gdl.grids import circular_conv, fft_conv


def fft_conv_solution(x, w):
    n = x.shape[-1]
    return torch.fft.ifft(torch.fft.fft(x, n=n) * torch.fft.fft(w, n=n), n=n).real


def fft_conv_by_rolls(x, w):
    """A direct convolution by shifts: right values, but not through the FFT."""
    return sum(w[v] * torch.roll(x, v, -1) for v in range(len(w)))


def fft_correlation(x, w):
    """Ignores the orientation of the filter: a circular cross-correlation."""
    n = x.shape[-1]
    return torch.fft.ifft(torch.fft.fft(x, n=n) * torch.fft.fft(w, n=n).conj(), n=n).real


def fft_conv_centred(x, w):
    """Ignores 'zero-pad the filter': centres the filter on 0 instead of starting it there."""
    n, k = x.shape[-1], len(w)
    wpad = torch.cat([w[k // 2:], w.new_zeros(n - k), w[: k // 2]])
    return torch.fft.ifft(torch.fft.fft(x) * torch.fft.fft(wpad)).real


def fft_conv_3_taps(x, w):
    """Right only for the first test's filter length."""
    return fft_conv_solution(x, w[:3]) if len(w) >= 3 else fft_conv_solution(x, w)


CASES = {
    "check_sym_dim": {
        "solution": lambda: check_sym_dim(lambda n: n // 2 + 1),
        "wrong": {
            "constant": lambda: check_sym_dim(lambda n: 3),
            "right type, shift-only dimension n": lambda: check_sym_dim(lambda n: n),
            "ignores even n": lambda: check_sym_dim(lambda n: (n + 1) // 2),
            "off by one": lambda: check_sym_dim(lambda n: n // 2),
            "a table for n <= 12": lambda: check_sym_dim(lambda n: n // 2 + 1 if n <= 12 else 7),
            "starter": lambda: check_sym_dim(lambda n: None),
        },
    },
    "check_fft_conv": {
        "solution": lambda: check_fft_conv(fft_conv_solution),
        "wrong": {
            "constant": lambda: check_fft_conv(lambda x, w: torch.zeros_like(x)),
            "shape only": lambda: check_fft_conv(lambda x, w: x.clone()),
            "the library's circular_conv": lambda: check_fft_conv(circular_conv),
            "a call to circular_conv": lambda: check_fft_conv(lambda x, w: circular_conv(x, w)),
            "the library's fft_conv": lambda: check_fft_conv(lambda x, w: fft_conv(x, w)),
            "direct by torch.roll": lambda: check_fft_conv(fft_conv_by_rolls),
            "conv1d": lambda: check_fft_conv(
                lambda x, w: torch.nn.functional.conv1d(
                    torch.nn.functional.pad(x.reshape(-1, 1, x.shape[-1]), (len(w) - 1, 0), mode="circular"),
                    w.flip(0).view(1, 1, -1)).reshape(x.shape)),
            "correlation, ignores the orientation": lambda: check_fft_conv(fft_correlation),
            "centred filter, ignores the zero-padding": lambda: check_fft_conv(fft_conv_centred),
            "no padding": lambda: check_fft_conv(
                lambda x, w: torch.fft.ifft(torch.fft.fft(x) * torch.fft.fft(w)).real),
            "only three taps": lambda: check_fft_conv(fft_conv_3_taps),
        },
    },
    "check_band_width": {
        "solution": lambda: check_band_width(lambda ks: sum((k - 1) // 2 for k in ks)),
        "wrong": {
            "constant": lambda: check_band_width(lambda ks: 1),
            "right type, the number of layers": lambda: check_band_width(lambda ks: len(ks)),
            "ignores the stacking: the largest kernel": lambda: check_band_width(
                lambda ks: (max(ks) - 1) // 2),
            "only the first layer": lambda: check_band_width(lambda ks: (ks[0] - 1) // 2),
            "the receptive field's diameter": lambda: check_band_width(lambda ks: sum(k - 1 for k in ks)),
            "starter": lambda: check_band_width(lambda ks: None),
        },
    },
    "check_exact_shifts": {
        "solution": lambda: check_exact_shifts(lambda p, n=16: list(range(0, n, 2 ** p))),
        "wrong": {
            "constant": lambda: check_exact_shifts(lambda p, n=16: [0]),
            "right type, every shift": lambda: check_exact_shifts(lambda p, n=16: list(range(n))),
            "ignores p": lambda: check_exact_shifts(lambda p, n=16: list(range(0, n, 2))),
            "ignores n": lambda: check_exact_shifts(lambda p, n=16: list(range(0, 16, 2 ** p))),
            "one pooling too many": lambda: check_exact_shifts(
                lambda p, n=16: list(range(0, n, 2 ** (p + 1)))),
            "not a list": lambda: check_exact_shifts(lambda p, n=16: 2 ** p),
        },
    },
}
