"""gdl.tools: seeding, fit, evaluate and their errors."""
import pytest
import torch
from torch import nn

from gdl.tools import accuracy, count_parameters, evaluate, fit, get_device, plot_history, seed_everything


def _blobs(n=200, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=g)
    y = (x[:, 0] + x[:, 1] > 0).long()
    return x, y


def test_seed_everything_reproduces_torch_and_generator():
    g1 = seed_everything(3)
    a, ga = torch.rand(4), torch.rand(4, generator=g1)
    g2 = seed_everything(3)
    assert torch.equal(a, torch.rand(4)) and torch.equal(ga, torch.rand(4, generator=g2))
    with pytest.raises(ValueError, match="non-negative int"):
        seed_everything(-1)


def test_fit_learns_a_separable_problem_and_is_reproducible():
    data = _blobs()
    runs = []
    for _ in range(2):
        seed_everything(0)
        model = nn.Linear(2, 2)
        history = fit(model, data, val=_blobs(100, 1), epochs=15, lr=0.05, progress=False, seed=0,
                      device=torch.device("cpu"))
        runs.append(history)
    assert runs[0]["train_loss"] == runs[1]["train_loss"]
    assert runs[0]["train_loss"][-1] < runs[0]["train_loss"][0] / 2
    assert runs[0]["val_metric"][-1] > 0.9
    val_acc = evaluate(model, _blobs(100, 1), device=torch.device("cpu"))
    assert val_acc == pytest.approx(runs[1]["val_metric"][-1])


def test_fit_regression_with_several_inputs():
    x1, x2 = torch.randn(128, 1), torch.randn(128, 1)
    y = 2 * x1 - x2

    class Sum(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(1, 1, bias=False), nn.Linear(1, 1, bias=False)

        def forward(self, u, v):
            return self.a(u) + self.b(v)

    model = Sum()
    history = fit(model, (x1, x2, y), loss_fn=nn.functional.mse_loss, epochs=60, lr=0.05,
                  progress=False, device=torch.device("cpu"))
    assert history["val_metric"] == [] and history["train_loss"][-1] < 1e-3
    assert model.a.weight.item() == pytest.approx(2, abs=0.05)


def test_fit_and_evaluate_take_dataloaders():
    cpu = torch.device("cpu")
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*_blobs()), batch_size=32,
                                        shuffle=True, generator=torch.Generator().manual_seed(0))
    val = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*_blobs(100, 1)), batch_size=30)
    seed_everything(0)
    model = nn.Linear(2, 2)
    history = fit(model, train, val=val, epochs=10, lr=0.05, progress=False, device=cpu)
    assert len(history["val_loss"]) == 10 and history["val_metric"][-1] > 0.9
    assert evaluate(model, val, device=cpu) == pytest.approx(history["val_metric"][-1])
    assert evaluate(model, _blobs(100, 1), device=cpu) == pytest.approx(history["val_metric"][-1])
    with pytest.raises(ValueError, match="no samples"):
        evaluate(model, (torch.zeros(0, 2), torch.zeros(0).long()), device=cpu)


def test_bad_inputs_get_clear_errors():
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="tuple of tensors"):
        fit(model, [[0.0, 1.0]], progress=False)
    with pytest.raises(ValueError, match="same first dimension"):
        fit(model, (torch.zeros(3, 2), torch.zeros(4).long()), progress=False)
    with pytest.raises(ValueError, match="epochs"):
        fit(model, _blobs(), epochs=0)
    with pytest.raises(ValueError, match="no samples"):
        fit(model, (torch.zeros(0, 2), torch.zeros(0).long()), progress=False)
    with pytest.raises(ValueError, match=r"logits \(N, classes\)"):
        accuracy(torch.zeros(3), torch.zeros(3))
    with pytest.raises(ValueError, match="history"):
        plot_history({})


def test_small_helpers():
    assert count_parameters(nn.Linear(3, 4)) == 16
    assert accuracy(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 0])) == 0.5
    assert get_device() is get_device()


def test_animate_renders_an_offline_player_and_enforces_its_budget():
    import matplotlib.pyplot as plt

    from gdl.tools import animate, animate_equivariance

    fig, ax = plt.subplots(figsize=(2, 2))
    player = animate(lambda i: ax.plot([0, i], [0, i]), 3, fig=fig, dpi=40)
    assert player.num_frames == 3 and "<script" in player._repr_html_() and player.nbytes > 1000
    fig, ax = plt.subplots(figsize=(4, 4))
    with pytest.raises(ValueError, match="max_bytes"):
        animate(lambda i: ax.imshow(torch.rand(64, 64)), 4, fig=fig, max_bytes=10_000)
    draw = ("x", lambda ax, i: ax.plot([i]))
    with pytest.raises(ValueError, match="errors must be finite"):
        animate_equivariance([draw], [0.0, float("nan")])
    with pytest.raises(ValueError, match="frame_labels"):
        animate_equivariance([draw], [0.0, 1e-7], frame_labels=["a"])
    with pytest.raises(TypeError, match="panels"):
        animate_equivariance([], [0.0])


def test_forbidding_bans_functions_and_namespace_attributes():
    import numpy as np

    from gdl.tools import forbidding

    def learner(a):
        return torch.linalg.eigh(a)[0], np.linalg.eigh(a.numpy())[0]

    a = torch.eye(3, dtype=torch.float64)
    eigh, np_eigh = torch.linalg.eigh, np.linalg.eigh
    with forbidding(learner, (torch.linalg, "eigh"), (np.linalg, "eigh")):
        with pytest.raises(RuntimeError, match="torch.linalg.eigh is not allowed"):
            learner(a)
    assert torch.linalg.eigh is eigh and np.linalg.eigh is np_eigh  # restored
    assert torch.equal(learner(a)[0], torch.ones(3, dtype=torch.float64))
    with pytest.raises(ValueError, match="banned pair"):
        with forbidding(learner, (torch.linalg, "no_such_solver")):
            pass
    with pytest.raises(TypeError, match="banned entries"):
        with forbidding(learner, 3):
            pass
