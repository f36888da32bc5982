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
    with pytest.raises(ValueError, match=r"logits must have shape \(N, classes\)"):
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


# ---- the argument checks every module uses (section "Clear errors for bad input") ----
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gdl.tools import as_float, check_dtype_matches, check_index, check_number, check_tensor  # noqa: E402


@given(st.lists(st.integers(0, 4), min_size=0, max_size=4), st.integers(0, 3))
def test_check_tensor_binds_names_to_sizes_and_refuses_a_mismatch(dims, lead):
    x = torch.zeros(tuple([2] * lead + dims))
    names = [f"a{i}" for i in range(len(dims))]
    shape = " ".join(["..."] + names) if lead or not dims else " ".join(names)
    sizes = check_tensor(x, "x", shape if dims else None)
    assert all(sizes[n] == d for n, d in zip(names, dims, strict=True))
    if dims:
        with pytest.raises(ValueError, match=r"x must have shape \(.*\) with a0 = "):
            check_tensor(x, "x", shape, sizes={"a0": dims[0] + 1})


def test_check_tensor_messages_name_the_argument_and_what_was_expected():
    with pytest.raises(TypeError, match=r"edge_index must be a torch.Tensor of shape \(2, E\), got list"):
        check_tensor([[0, 1]], "edge_index", "2 E")
    with pytest.raises(ValueError, match=r"edge_index must have shape \(2, E\), got \(5, 2\)"):
        check_tensor(torch.zeros(5, 2, dtype=torch.long), "edge_index", "2 E")
    with pytest.raises(ValueError, match=r"x must have shape \(B, C, H, W\) with C = 3, got \(8, 4, 5, 5\)"):
        check_tensor(torch.zeros(8, 4, 5, 5), "x", "B C H W", sizes={"C": 3})
    with pytest.raises(TypeError, match="index must be an integer tensor, got dtype torch.float32"):
        check_tensor(torch.zeros(3), "index", dtype="int")
    with pytest.raises(TypeError, match="mask must be a boolean tensor"):
        check_tensor(torch.zeros(3), "mask", dtype="bool")
    with pytest.raises(ValueError, match=r"x holds 2 non-finite value\(s\)"):
        check_tensor(torch.tensor([1.0, float("nan"), float("inf")]), "x", finite=True)
    with pytest.raises(ValueError, match="points is empty"):
        check_tensor(torch.zeros(0, 3), "points", "N 3", nonempty=True)
    with pytest.raises(ValueError, match="'...' may only stand first"):
        check_tensor(torch.zeros(3), "x", "n ...")
    sizes = {"N": 4}
    check_tensor(torch.zeros(4, 7), "x", "N F", sizes=sizes)
    assert sizes == {"N": 4, "F": 7}  # bindings are added for the next argument


def test_as_float_promotes_integers_and_never_truncates():
    x = as_float(torch.arange(5), "x")
    assert x.dtype == torch.get_default_dtype() and x.tolist() == [0, 1, 2, 3, 4]
    y = torch.ones(3, dtype=torch.float64)
    assert as_float(y, "y") is y
    assert as_float(torch.tensor([True, False]), "m").tolist() == [1.0, 0.0]
    with pytest.raises(TypeError, match="z must be a real-valued tensor"):
        as_float(torch.ones(2, dtype=torch.complex64), "z")


def test_check_index():
    check_index(torch.tensor([[0, 1], [1, 39]]), "edge_index", 40, "node")
    check_index(torch.zeros(2, 0, dtype=torch.long), "edge_index", 0, "node")  # empty is fine
    with pytest.raises(ValueError, match="edge_index refers to node 57, but node indices run from 0 to 39"):
        check_index(torch.tensor([[0, 1], [1, 57]]), "edge_index", 40, "node")
    with pytest.raises(ValueError, match="batch refers to graph -1"):
        check_index(torch.tensor([0, -1]), "batch", 3, "graph")
    with pytest.raises(ValueError, match="faces refers to vertex 0, but there is no vertex"):
        check_index(torch.tensor([0]), "faces", 0, "vertex")
    with pytest.raises(TypeError, match="batch must be an integer tensor"):
        check_index(torch.tensor([0.0]), "batch", 3, "graph")


def test_check_number():
    assert check_number(3, "k", integer=True, low=1) == 3
    assert check_number(-7, "g", integer=True) == -7 and check_number(2.5, "x", high=3) == 2.5
    assert check_number(torch.tensor(0.5), "t", low=0, low_inclusive=False) == 0.5
    for bad, kwargs, match in [(True, {"integer": True}, "k must be a finite int"),
                               (2.5, {"integer": True}, "k must be a finite int"),
                               (float("nan"), {}, "k must be a finite number"),
                               ("3", {}, "k must be a finite number"),
                               (0, {"low": 0, "low_inclusive": False}, r"k must be in \(0, ∞\), got 0"),
                               (11, {"low": 1, "high": 10}, r"k must be in \[1, 10\], got 11")]:
        with pytest.raises(ValueError, match=match):
            check_number(bad, "k", **kwargs)


def test_check_dtype_matches_names_the_fix():
    layer = nn.Linear(3, 2)
    check_dtype_matches(torch.zeros(1, 3), layer)
    with pytest.raises(TypeError, match=r"Linear: x is torch.float64 but the parameters are torch.float32; "
                                        r"convert the model with `model.double\(\)`"):
        check_dtype_matches(torch.zeros(1, 3, dtype=torch.float64), layer)
    check_dtype_matches(torch.zeros(1, 3, dtype=torch.float64), layer.double())


def test_index_range_is_computed_once_per_tensor_until_it_is_edited(monkeypatch):
    import gc

    from gdl import tools

    calls = []
    real = torch.aminmax

    def counting(t, *args, **kwargs):
        calls.append(1)
        return real(t, *args, **kwargs)

    monkeypatch.setattr(torch, "aminmax", counting)
    edges = torch.tensor([[0, 1, 2], [1, 2, 0]])
    for _ in range(3):
        tools.check_index(edges, "edge_index", 3, "node")
    assert tools.index_range(edges) == (0, 2) and len(calls) == 1
    edges[0, 0] = 5  # an edit in place: the range is computed again and the check fails
    with pytest.raises(ValueError, match="node 5"):
        tools.check_index(edges, "edge_index", 3, "node")
    assert len(calls) == 2
    twin = edges.clone()  # another tensor object with the same values has its own entry
    assert tools.index_range(twin) == (0, 5) and len(calls) == 3
    keys = {id(edges), id(twin)}
    assert keys <= set(tools._CACHE)
    del edges, twin
    gc.collect()
    assert not keys & set(tools._CACHE)  # freed tensors leave the cache


def test_cached_on_keeps_one_value_per_key_until_the_tensor_changes():
    from gdl import tools

    calls = []

    def compute(tag):
        calls.append(tag)
        return len(calls)

    t = torch.zeros(3)
    assert tools.cached_on(t, "a", lambda: compute("a")) == 1
    assert tools.cached_on(t, "b", lambda: compute("b")) == 2  # another key: computed
    assert tools.cached_on(t, "a", lambda: compute("a")) == 1 and calls == ["a", "b"]
    assert tools.cached_on(t.clone(), "a", lambda: compute("a")) == 3  # another tensor object
    t.add_(1)  # edited in place: every key is computed again
    assert tools.cached_on(t, "b", lambda: compute("b")) == 4
    with pytest.raises(TypeError, match="tensor must be a torch.Tensor"):
        tools.cached_on([1, 2], "a", lambda: 0)


def test_evaluate_restores_the_training_flag_however_it_exits():
    data = (torch.randn(4, 2), torch.zeros(4, dtype=torch.long))
    for training in (True, False):
        model = nn.Linear(2, 2).train(training)
        evaluate(model, data)
        assert model.training is training
        with pytest.raises(ZeroDivisionError):
            evaluate(model, data, metric=lambda out, y: 1 / 0)
        assert model.training is training
