"""gdl.sequences: the cells against their equations, chrono initialisation, warps and errors."""
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from gdl.datasets.sequences import adding_task, warped_recall
from gdl.sequences import (
    GatedRNNCell,
    GRUCell,
    LeakyRNNCell,
    LSTMCell,
    RecurrentClassifier,
    VanillaRNNCell,
    chrono_bias,
    chrono_init,
    delay,
    fixed_point_state,
    stretch,
    tied_lstm,
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
    with pytest.raises(ValueError, match=r"k must be in \[1, ∞\)"):
        stretch(x, 0)
    cell = VanillaRNNCell(2, 4)
    with pytest.raises(ValueError, match=r"x must have shape \(B, T, C\) with C = 2"):
        unroll(cell, torch.zeros(1, 3, 5))
    with pytest.raises(ValueError, match="mask"):
        unroll(cell, torch.zeros(1, 3, 2), mask=torch.ones(1, 4, dtype=torch.bool))
    model = RecurrentClassifier(cell, 3)
    assert model(torch.zeros(5, 3, 2)).shape == (5, 3)


@given(batch=st.integers(1, 8), inputs=st.integers(1, 6), hidden=st.integers(1, 12),
       seed=st.integers(0, 10**6))
def test_lstm_matches_torch(batch, inputs, hidden, seed):
    torch.manual_seed(seed)
    ours, reference = LSTMCell(inputs, hidden), nn.LSTMCell(inputs, hidden)
    reference.load_state_dict(ours.state_dict())
    x, h, c = torch.randn(batch, inputs), torch.randn(batch, hidden), torch.randn(batch, hidden)
    (h1, c1), (h2, c2) = ours(x, (h, c)), reference(x, (h, c))
    assert torch.allclose(h1, h2, atol=1e-6) and torch.allclose(c1, c2, atol=1e-6)
    sequence = nn.LSTM(inputs, hidden, batch_first=True)
    sequence.load_state_dict({f"{name}_l0": value for name, value in ours.state_dict().items()})
    xs = torch.randn(batch, 12, inputs)
    with torch.no_grad():
        assert torch.allclose(unroll(ours, xs), sequence(xs)[0], atol=1e-5)


def test_lstm_errors_and_masked_unroll():
    cell = LSTMCell(2, 3)
    with pytest.raises(TypeError, match=r"pair \(h, c\)"):
        cell(torch.zeros(1, 2), torch.zeros(1, 3))
    with pytest.raises(ValueError, match="hidden_size"):
        LSTMCell(2, 0)
    with pytest.raises(ValueError, match="input_size"):
        GatedRNNCell(1.5, 3)
    x = torch.randn(2, 5, 2)
    mask = torch.tensor([[False, False, True, True, True], [True] * 5])
    states = unroll(cell, x, mask=mask)  # the padded steps hold the zero state (h, c)
    assert torch.equal(states[0, :2], torch.zeros(2, 3))
    assert torch.allclose(states[0, 2:], unroll(cell, x[:1, 2:])[0], atol=1e-6)
    assert RecurrentClassifier(cell, 4)(x).shape == (2, 4)


def test_tied_lstm_runs_the_derived_update():
    torch.manual_seed(0)
    gated = GatedRNNCell(3, 8).double()
    with torch.no_grad():
        gated.h2h.weight.zero_()  # no recurrence: exact
    lstm = tied_lstm(gated)
    x = torch.randn(4, 20, 3, dtype=torch.float64)
    s, state = unroll(gated, x), lstm.zero_state(x)
    with torch.no_grad():
        for t in range(20):
            state = lstm(x[:, t], state)
            assert torch.allclose(state[1], s[:, t], atol=1e-13, rtol=0)
            assert torch.equal(state[0], torch.tanh(state[1]))  # o = σ(40) = 1
    gated_rec = GatedRNNCell(3, 8).double()  # with recurrence: close, not exact
    h_lstm, s = unroll(tied_lstm(gated_rec), x), unroll(gated_rec, x)
    gap = (torch.atanh(h_lstm) - s).abs().max().item()
    assert 1e-8 < gap < 0.2
    with pytest.raises(TypeError, match="gated"):
        tied_lstm(LSTMCell(3, 8))
    with pytest.raises(ValueError, match="output_bias"):
        tied_lstm(gated, output_bias=-1.0)


@settings(max_examples=20, deadline=None)
@given(kind=st.sampled_from(["plain", "gated", "GRU", "LSTM"]), shift=st.integers(1, 6),
       seed=st.integers(0, 10**6))
def test_delay_equivariance_needs_a_fixed_point_initial_state(kind, shift, seed):
    """From a fixed point h0 = F(h0, 0), delaying the input delays the outputs (to round-off);
    from the zero state, which the biases move, it does not."""
    torch.manual_seed(seed)
    cell = {"plain": VanillaRNNCell, "gated": GatedRNNCell, "GRU": GRUCell, "LSTM": LSTMCell}[kind](3, 8)
    cell = cell.double()
    x = torch.randn(3, 10, 3, dtype=torch.float64)

    def delay_error(h0):
        with torch.no_grad():
            out, out_delayed = unroll(cell, x, h0), unroll(cell, delay(x, shift), h0)
        first = h0[0] if isinstance(h0, tuple) else h0
        expected = torch.cat([first[:, None].expand(-1, shift, -1), out], dim=1)
        return (out_delayed - expected).abs().max().item()

    assert delay_error(fixed_point_state(cell, 3)) < 1e-10
    assert delay_error(cell.zero_state(x)) > 1e-6  # random biases move the zero state


def test_fixed_point_state_and_delay_errors():
    torch.manual_seed(0)
    cell = VanillaRNNCell(2, 4).double()
    h0 = fixed_point_state(cell, 5)
    assert h0.shape == (5, 4) and h0.dtype == torch.float64
    with torch.no_grad():
        assert torch.allclose(cell(torch.zeros(5, 2, dtype=torch.float64), h0), h0, atol=1e-12)
    with pytest.raises(ValueError, match="batch_size"):
        fixed_point_state(cell, 0)
    with pytest.raises(ValueError, match="tol"):
        fixed_point_state(cell, tol=0.0)
    with pytest.raises(RuntimeError, match="no fixed point"):
        fixed_point_state(cell, max_steps=1, tol=1e-300)
    assert delay(torch.ones(2, 3, 1), 2)[:, :2].abs().sum() == 0
    with pytest.raises(ValueError, match="s must be"):
        delay(torch.ones(2, 3, 1), -1)
    with pytest.raises(ValueError, match=r"\(B, T, C\)"):
        delay(torch.ones(2, 3), 1)


def test_chrono_init_lstms():
    g = torch.Generator().manual_seed(0)
    H = 400
    for lstm in (LSTMCell(3, H), nn.LSTMCell(3, H)):
        chrono_init(lstm, 50, g)
        b_f, b_i = lstm.bias_ih[H:2 * H].detach(), lstm.bias_ih[:H].detach()
        assert torch.equal(b_i, -b_f) and torch.all(lstm.bias_hh[:2 * H] == 0)
        T = b_f.exp()
        assert T.min() >= 1 - 1e-5 and T.max() <= 49 * (1 + 1e-5) and 15 < T.median() < 35
    deep = chrono_init(nn.LSTM(3, H, num_layers=2, bidirectional=True), 50, g)
    forget_biases = [value[H:2 * H].detach() for name, value in deep.named_parameters()
                     if name.startswith("bias_ih")]
    assert len(forget_biases) == 4 and not torch.equal(forget_biases[0], forget_biases[1])
    for name, value in deep.named_parameters():
        if name.startswith("bias_ih"):
            assert torch.equal(value[:H], -value[H:2 * H]) and value[H:2 * H].min() >= 0
        elif name.startswith("bias_hh"):
            assert torch.all(value[:2 * H] == 0)
    with pytest.raises(ValueError, match="bias"):
        chrono_init(nn.LSTM(3, 4, bias=False), 50)
    with pytest.raises(ValueError, match="bias"):
        chrono_init(nn.LSTMCell(3, 4, bias=False), 50)


@given(n=st.integers(1, 20), length=st.integers(2, 30), seed=st.integers(0, 1000))
def test_adding_task_structure(n, length, seed):
    x, y = adding_task(n, length, generator=torch.Generator().manual_seed(seed))
    assert x.shape == (n, length, 2) and y.shape == (n,)
    markers = x[..., 1]
    assert torch.all(markers.sum(1) == 2)
    assert torch.all(markers[:, :length // 2].sum(1) == 1)
    assert torch.allclose(y, (x[..., 0] * markers).sum(1))
    assert torch.all((x[..., 0] >= 0) & (x[..., 0] <= 1))


def test_adding_task_errors():
    with pytest.raises(ValueError, match="length"):
        adding_task(3, 1)
    with pytest.raises(ValueError, match="n must"):
        adding_task(0, 5)


def test_unroll_checks_the_sequence_once_and_the_cell_checks_again_afterwards():
    cell = GatedRNNCell(2, 4)
    with pytest.raises(ValueError, match=r"h must have shape \(B, H\)"):
        unroll(cell, torch.zeros(3, 5, 2), h0=torch.zeros(3, 5))
    with pytest.raises(ValueError, match="time_scale"):
        unroll(cell, torch.zeros(3, 5, 2), time_scale=0.0)

    def failing(x, h, **kwargs):  # a step that raises midway leaves the cell checking again
        raise RuntimeError("stop")
    original = cell.forward
    cell.forward = failing
    with pytest.raises(RuntimeError, match="stop"):
        unroll(cell, torch.zeros(3, 5, 2))
    cell.forward = original
    assert not cell._checked
    with pytest.raises(ValueError, match="x must have shape"):
        cell(torch.zeros(3, 7), torch.zeros(3, 4))
