"""Cases for the checkers of "How to use this book" (gdl.exercises.tools)."""
import torch
from torch import nn

from gdl.exercises.tools import check_n_params, check_same_history, check_slope
from gdl.tools import count_parameters, fit, mlp, seed_everything


def same_history(h1, h2):
    return h1["train_loss"] == h2["train_loss"]


def fitted_slope(xs, ys):
    seed_everything(0)
    line = nn.Linear(1, 1)
    fit(line, (xs, ys), loss_fn=nn.functional.mse_loss, epochs=100, lr=5e-2, progress=False)
    return line.weight.item()


def fitted_intercept(xs, ys):
    seed_everything(0)
    line = nn.Linear(1, 1)
    fit(line, (xs, ys), loss_fn=nn.functional.mse_loss, epochs=100, lr=5e-2, progress=False)
    return line.bias.item()


def untrained_slope(xs, ys):
    seed_everything(0)
    return nn.Linear(1, 1).weight.item()


def chapter_data_slope(xs, ys):  # ignores its arguments: fits the chapter's own line of slope 3
    xs = torch.linspace(-1, 1, 256).unsqueeze(1)
    ys = 3 * xs + 0.5 + 0.05 * torch.randn(256, 1, generator=torch.Generator().manual_seed(0))
    return fitted_slope(xs, ys)


def n_params(widths):
    return sum(i * o + o for i, o in zip(widths[:-1], widths[1:], strict=False))


CASES = {
    "check_same_history": {
        "solution": lambda: check_same_history(same_history),
        "wrong": {
            "constant True": lambda: check_same_history(lambda h1, h2: True),
            "the starter (None)": lambda: check_same_history(lambda h1, h2: None),
            "only the last loss": lambda: check_same_history(
                lambda h1, h2: h1["train_loss"][-1] == h2["train_loss"][-1]),
            "only the first loss": lambda: check_same_history(
                lambda h1, h2: h1["train_loss"][0] == h2["train_loss"][0]),
            "the whole dict, wall time included": lambda: check_same_history(lambda h1, h2: h1 == h2),
            "close, not identical": lambda: check_same_history(lambda h1, h2: len(h1["train_loss"]) == len(
                h2["train_loss"]) and bool(torch.allclose(torch.tensor(h1["train_loss"]),
                                                          torch.tensor(h2["train_loss"])))),
            "same length only": lambda: check_same_history(
                lambda h1, h2: len(h1["train_loss"]) == len(h2["train_loss"])),
        },
    },
    "check_slope": {
        "solution": lambda: check_slope(fitted_slope),
        "wrong": {
            "constant 3": lambda: check_slope(lambda xs, ys: 3.0),
            "the starter (0)": lambda: check_slope(lambda xs, ys: 0.0),
            "the intercept": lambda: check_slope(fitted_intercept),
            "untrained weight": lambda: check_slope(untrained_slope),
            "ignores its data": lambda: check_slope(chapter_data_slope),
            "y range over x range": lambda: check_slope(
                lambda xs, ys: float((ys.max() - ys.min()) / (xs.max() - xs.min()))),
        },
    },
    "check_n_params": {
        "solution": lambda: check_n_params(n_params),
        "wrong": {
            "constant 12674": lambda: check_n_params(lambda widths: 12674),
            "weights only": lambda: check_n_params(
                lambda widths: sum(i * o for i, o in zip(widths[:-1], widths[1:], strict=False))),
            "biases sized by the input": lambda: check_n_params(
                lambda widths: sum(i * o + i for i, o in zip(widths[:-1], widths[1:], strict=False))),
            "first layer only": lambda: check_n_params(lambda widths: widths[0] * widths[1] + widths[1]),
            "one layer too many": lambda: check_n_params(lambda widths: n_params((*widths, 1))),
            "builds the model (forbidden)": lambda: check_n_params(
                lambda widths: count_parameters(mlp(*widths))),
        },
    },
}
