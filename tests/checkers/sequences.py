"""Cases for the checkers of "Time: warping, gating and the chrono initialisation"
(gdl.exercises.sequences)."""
import math

import torch

from gdl.exercises.sequences import check_lstm_chrono, check_lstm_step, check_memory_steps, check_warp
from gdl.sequences import chrono_bias


def memory_steps(alpha):
    return -1 / math.log(1 - alpha)


def lstm_chrono(hidden_size, t_max, generator):
    b_f = chrono_bias(hidden_size, t_max, generator)
    return b_f, -b_f


def constant_log25(hidden_size, t_max, generator):  # the example
    b_f = torch.full((hidden_size,), math.log(25))
    return b_f, -b_f


def up_to_t_max(hidden_size, t_max, generator):  # T uniform on [1, t_max]: ignores the − 1
    b_f = torch.log(1 + torch.rand(hidden_size, generator=generator) * (t_max - 1))
    return b_f, -b_f


def fixed_t_max(hidden_size, t_max, generator):  # ignores t_max
    return lstm_chrono(hidden_size, 50, generator)


def log_uniform(hidden_size, t_max, generator):  # log T uniform, not T
    b_f = torch.rand(hidden_size, generator=generator) * math.log(t_max - 1)
    return b_f, -b_f


def global_rng(hidden_size, t_max, generator):  # ignores the generator
    return lstm_chrono(hidden_size, t_max, None)


def warp(x, holds):
    return x.repeat_interleave(holds, dim=1)


def lstm_step(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    i, f, g, o = (x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh).chunk(4, dim=-1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def lstm_ifog(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):  # gate order i, f, o, g (as in TF)
    i, f, o, g = (x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh).chunk(4, dim=-1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def lstm_no_output_tanh(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):  # h' = o c'
    i, f, g, o = (x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh).chunk(4, dim=-1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * c, c


def lstm_old_memory(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):  # h' reads the old c
    i, f, g, o = (x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh).chunk(4, dim=-1)
    h = torch.sigmoid(o) * torch.tanh(c)
    return h, torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)


def lstm_tied(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):  # f = 1 − i: the derived gated cell
    i, f, g, o = (x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh).chunk(4, dim=-1)
    c = (1 - torch.sigmoid(i)) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c


def lstm_no_hh_bias(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):  # forgets bias_hh
    return lstm_step(x, h, c, weight_ih, weight_hh, bias_ih, torch.zeros_like(bias_hh))


CASES = {
    "check_memory_steps": {
        "solution": lambda: check_memory_steps(memory_steps),
        "wrong": {
            "constant (the starter)": lambda: check_memory_steps(lambda alpha: 0.0),
            "1/α": lambda: check_memory_steps(lambda alpha: 1 / alpha),
            "log base 10": lambda: check_memory_steps(lambda alpha: -1 / math.log10(1 - alpha)),
            "whole steps": lambda: check_memory_steps(lambda alpha: math.ceil(memory_steps(alpha))),
            "halving time": lambda: check_memory_steps(lambda alpha: math.log(0.5) / math.log(1 - alpha)),
        },
    },
    "check_lstm_chrono": {
        "solution": lambda: check_lstm_chrono(lstm_chrono),
        "wrong": {
            "constant log 25": lambda: check_lstm_chrono(constant_log25),
            "zeros (the starter)": lambda: check_lstm_chrono(
                lambda hidden_size, t_max, generator: (torch.zeros(hidden_size), torch.zeros(hidden_size))),
            "b_i = b_f": lambda: check_lstm_chrono(
                lambda hidden_size, t_max, generator: (lstm_chrono(hidden_size, t_max, generator)[0],) * 2),
            "T up to t_max": lambda: check_lstm_chrono(up_to_t_max),
            "ignores t_max": lambda: check_lstm_chrono(fixed_t_max),
            "log T uniform": lambda: check_lstm_chrono(log_uniform),
            "ignores the generator": lambda: check_lstm_chrono(global_rng),
        },
    },
    "check_lstm_step": {
        "solution": lambda: check_lstm_step(lstm_step),
        "wrong": {
            "returns the old state (the starter)": lambda: check_lstm_step(
                lambda x, h, c, weight_ih, weight_hh, bias_ih, bias_hh: (h, c)),
            "gate order i, f, o, g": lambda: check_lstm_step(lstm_ifog),
            "no tanh on the output": lambda: check_lstm_step(lstm_no_output_tanh),
            "output reads the old memory": lambda: check_lstm_step(lstm_old_memory),
            "tied gates f = 1 − i": lambda: check_lstm_step(lstm_tied),
            "without bias_hh": lambda: check_lstm_step(lstm_no_hh_bias),
            "a single tensor": lambda: check_lstm_step(
                lambda *args: lstm_step(*args)[0]),
        },
    },
    "check_warp": {
        "solution": lambda: check_warp(warp),
        "wrong": {
            "identity (the starter)": lambda: check_warp(lambda x, holds: x),
            "zeros of the right shape": lambda: check_warp(
                lambda x, holds: x.new_zeros(x.shape[0], int(holds.sum()), x.shape[2])),
            "uniform stretch by the longest hold": lambda: check_warp(
                lambda x, holds: x.repeat_interleave(int(holds.max()), dim=1)),
            "holds reversed": lambda: check_warp(lambda x, holds: x.repeat_interleave(holds.flip(0), dim=1)),
            "tiled, not held": lambda: check_warp(
                lambda x, holds: torch.cat([x[:, t % x.shape[1]:t % x.shape[1] + 1]
                                            for t in range(int(holds.sum()))], dim=1)),
        },
    },
}
