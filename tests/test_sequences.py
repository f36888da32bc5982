"""gdl.sequences: the cells against their equations, chrono initialisation, warps and errors."""
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from gdl.datasets.sequences import warped_recall
from gdl.sequences import (
    GatedRNNCell,
    GRUCell,
    LeakyRNNCell,
    RecurrentClassifier,
    VanillaRNNCell,
    chrono_bias,
    chrono_init,
    stretch,
    unroll,
    warp_error,
)
from gdl.symmetry import check_equivariance


@given(batch=st.integers(1, 8), inputs=st.integers(1, 6), hidden=st.integers(1, 12),
       seed=st.integers(0, 10**6))
def test_gru_matches_torch(batch, inputs, hidden, seed):
    torch.manual_seed(seed)
    ours, reference = GRUCell(inputs, hidden), nn.GRUCell(inputs, hidden)
    reference.load_state_dict(ours.state_dict())
    x, h = torch.randn(batch, inputs), torch.randn(batch, hidden)
    assert torch.allclose(ours(x, h), reference(x, h), atol=1e-6)


@given(seed=st.integers(0, 10**6), shift=st.integers(1, 7))
def test_unroll_is_translation_equivariant_in_time(seed, shift):
    """Delaying the input by `shift` steps, after a zero-state prefix, delays the states: a shared
    update is equivariant to translations of the time grid (up to the start, held by the mask)."""
    torch.manual_seed(seed)
    cell = GatedRNNCell(3, 8).double()
    x = torch.randn(2, 10, 3, dtype=torch.float64)

    def f(x_and_mask):
        x, mask = x_and_mask
        return unroll(cell, x, mask=mask)

    def delay(s, x_and_mask):
        x, mask = x_and_mask
        pad = x.new_zeros(x.shape[0], s, x.shape[2])
        return torch.cat([pad, x], 1), torch.cat([torch.zeros(x.shape[0], s, dtype=torch.bool), mask], 1)

    mask = torch.ones(2, 10, dtype=torch.bool)
    err = check_equivariance(f, (x, mask), delay,
                             lambda s, y: torch.cat([y.new_zeros(y.shape[0], s, y.shape[2]), y], 1), [shift])
    assert err < 1e-12


@settings(max_examples=6)
@given(k=st.integers(2, 4), seed=st.integers(0, 1000))
def test_gated_cell_absorbs_uniform_warps_to_first_order(k, seed):
    torch.manual_seed(seed)
    t = torch.arange(0, 3, 0.02, dtype=torch.float64)
    x = torch.sin(t[None, :, None] * torch.rand(3, 1, 4, dtype=torch.float64) * 2 + 1.0)
    cell = GatedRNNCell(4, 16).double()
    fine, coarse = warp_error(cell, x, k, 0.02), warp_error(cell, x[:, ::2], k, 0.04)
    assert fine < 0.02 and 1.6 < coarse / fine < 2.4  # halving the step halves the gap


def test_plain_rnn_does_not_absorb_warps():
    torch.manual_seed(0)
    x = torch.randn(4, 20, 3, dtype=torch.float64)
    assert warp_error(VanillaRNNCell(3, 16).double(), x, 3) > 0.1


def test_chrono_sets_time_constants_in_range():
    g = torch.Generator().manual_seed(0)
    b = chrono_bias(5000, 40, g)
    assert b.min() >= 0 and b.max() <= math.log(39) + 1e-6
    gated = chrono_init(GatedRNNCell(2, 500), 40, g)
    T = 1 / torch.sigmoid(gated.gate_bias.detach())
    assert T.min() > 1.5 and T.max() < 41 and T.median() > 10
    gru = chrono_init(GRUCell(2, 500), 40, g)
    z = torch.sigmoid(gru.bias_ih[500:1000].detach())
    assert (1 / (1 - z)).median() > 10  # 1 − z is the write gate
    leaky = chrono_init(LeakyRNNCell(2, 500), 40, g)
    assert (1 / torch.sigmoid(leaky.leak_logit.detach())).median() > 10
    with pytest.raises(TypeError, match="gated or leaky"):
        chrono_init(VanillaRNNCell(2, 4), 40)
    with pytest.raises(ValueError, match="t_max"):
        chrono_bias(4, 2)


@given(n=st.integers(1, 20), warp=st.integers(1, 4), seed=st.integers(0, 1000))
def test_warped_recall_structure(n, warp, seed):
    x, mask, y = warped_recall(n, warp, generator=torch.Generator().manual_seed(seed))
    assert x.shape == (n, 8 * warp, 8) and mask.shape == (n, 8 * warp)
    first = x.argmax(-1)[torch.arange(n), mask.float().argmax(1)]  # the first unpadded step
    assert torch.equal(first, y)
    assert torch.all(x[~mask] == 0) and torch.all(x[mask].sum(-1) == 1)
    runs = (torch.diff(x.argmax(-1), dim=1) != 0) & mask[:, 1:] & mask[:, :-1]
    assert torch.all(runs.sum(1) == 7)  # 8 symbols, consecutive ones distinct


def test_stretch_and_errors():
    x = torch.arange(6.0).reshape(1, 3, 2)
    assert torch.equal(stretch(x, 2)[0, :, 0], torch.tensor([0.0, 0, 2, 2, 4, 4]))
    with pytest.raises(ValueError, match=r"\(B, T, C\)"):
        stretch(torch.zeros(3, 2), 2)
    with pytest.raises(ValueError, match="positive int"):
        stretch(x, 0)
    cell = VanillaRNNCell(2, 4)
    with pytest.raises(ValueError, match=r"expected inputs \(B, T, 2\)"):
        unroll(cell, torch.zeros(1, 3, 5))
    with pytest.raises(ValueError, match="mask"):
        unroll(cell, torch.zeros(1, 3, 2), mask=torch.ones(1, 4, dtype=torch.bool))
    model = RecurrentClassifier(cell, 3)
    assert model(torch.zeros(5, 3, 2)).shape == (5, 3)
