"""gdl.tools.fit on several processes (torchrun, DistributedDataParallel, gloo on the CPU) and
fit's checkpoints: stopping and resuming.

The equality test rests on four conditions, which the test data and model meet:

* a mean-reduced loss (cross-entropy's default), so that the average of the ranks' gradients of
  their local means is the gradient of the global batch's mean;
* the same sample order: fit draws epoch e's permutation from seed + e on one process as on many,
  and rank r takes every W-th sample of it, so the ranks' local batches together are the global batch;
* a data set divisible by the global batch (96 = 6 x 16), so that every rank's batches have equal
  sizes, down to the last one, and the sampler repeats no sample;
* no BatchNorm (whose statistics would be per rank) and no dropout (whose masks would differ).

Then two processes train the same parameters as one, up to float rounding (the order of the sums
differs). One torchrun launch (module fixture) serves all the distributed tests; GPUs are hidden from
it, so that gloo runs on the CPU everywhere, also on a machine with GPUs.
"""
import inspect
import os
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from torch import nn

from gdl.tools import fit, get_device, init_distributed, seed_everything

ROOT = Path(__file__).resolve().parent.parent
CPU = torch.device("cpu")

pytestmark = pytest.mark.skipif(
    not (torch.distributed.is_available() and torch.distributed.is_gloo_available()),
    reason="this PyTorch build has no torch.distributed with the gloo backend")


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(96, 3, generator=g)
    y = (x[:, 0] * x[:, 1] > 0).long() + (x[:, 2] > 1).long()
    x_val = torch.randn(31, 3, generator=g)  # 31: the two ranks evaluate shares of unequal size
    return (x, y), (x_val, (x_val[:, 0] * x_val[:, 1] > 0).long())


def _model(seed, dropout=0.0):
    seed_everything(seed)
    return nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Dropout(dropout), nn.Linear(16, 3))


FIT_ARGS = dict(epochs=4, lr=0.02, batch_size=16, seed=0, progress=False)
FIT = {**FIT_ARGS, "device": CPU}

# Run by torchrun on every rank: the helpers above are pasted in, so the two sides train alike.
SCRIPT = '''
import sys

import torch
from torch import nn

from gdl.tools import fit, init_distributed, seed_everything

CPU = torch.device("cpu")
{helpers}
train, val = _data()
out = {{}}
model = _model(0)
out["full"] = (fit(model, train, val=val, **FIT), model.state_dict())
model = _model(0)  # the same run, stopped after 2 of 4 epochs, with a checkpoint
out["stopped"] = (fit(model, train, val=val, checkpoint=sys.argv[2], stop_after=2, **FIT), None)
model = _model(2)  # a fresh model, as after a restart: the checkpoint replaces its parameters
out["resumed"] = (fit(model, train, val=val, checkpoint=sys.argv[2], **FIT), model.state_dict())
model = _model(0)  # a DataLoader: fit rebuilds it with a DistributedSampler and half its batch size
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*train), batch_size=16, shuffle=True)
out["loader"] = (fit(model, loader, **{{**FIT, "epochs": 2}}), model.state_dict())
try:
    fit(_model(0), train, **{{**FIT, "batch_size": 15}})
except ValueError as err:
    out["error"] = str(err)
rank, world, device = init_distributed()
out["world"] = (rank, world, str(device), torch.distributed.get_backend())
torch.save(out, f"{{sys.argv[1]}}/rank{{rank}}.pt")
torch.distributed.destroy_process_group()
'''


@pytest.fixture(scope="module")
def two_ranks(tmp_path_factory):
    """Launch two CPU processes with torchrun once; return what each rank saved."""
    tmp = tmp_path_factory.mktemp("ddp")
    helpers = "\n\n".join(inspect.getsource(f) for f in (_data, _model))
    helpers += f'\nFIT = {{**{FIT_ARGS!r}, "device": CPU}}\n'
    (tmp / "train.py").write_text(SCRIPT.format(helpers=textwrap.dedent(helpers)))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": "",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
                          str(tmp / "train.py"), str(tmp), str(tmp / "checkpoint.pt")],
                         cwd=tmp, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return [torch.load(tmp / f"rank{r}.pt", weights_only=True) for r in range(2)]


def _max_diff(a: dict, b: dict) -> float:
    assert a.keys() == b.keys()
    return max((a[k] - b[k]).abs().max().item() for k in a)


def test_two_processes_train_the_same_model_as_one(two_ranks):
    """Under the conditions of the module docstring, DDP on two ranks equals one process."""
    assert two_ranks[0]["world"] == (0, 2, "cpu", "gloo") and two_ranks[1]["world"][:2] == (1, 2)
    train, val = _data()
    model = _model(0)
    history = fit(model, train, val=val, **FIT)
    ddp_history, ddp_state = two_ranks[0]["full"]
    diff = _max_diff(ddp_state, model.state_dict())
    assert diff < 1e-5, diff  # measured 1.5e-7: rounding, not a different training
    assert _max_diff(ddp_state, two_ranks[1]["full"][1]) == 0  # the replicas stay identical
    for key in ("train_loss", "val_loss", "val_metric"):  # global means, not rank 0's own
        assert ddp_history[key] == pytest.approx(history[key], rel=1e-5), key
        assert two_ranks[1]["full"][0][key] == ddp_history[key]
    # a negative control: a different sample order (seed) gives visibly different parameters
    other = _model(0)
    fit(other, train, val=val, **{**FIT, "seed": 1})
    assert _max_diff(ddp_state, other.state_dict()) > 100 * diff


def test_a_resumed_run_ends_where_an_uninterrupted_one_does_under_torchrun(two_ranks):
    stopped, _ = two_ranks[0]["stopped"]
    assert len(stopped["train_loss"]) == 2
    full_history, full_state = two_ranks[0]["full"]
    resumed_history, resumed_state = two_ranks[0]["resumed"]
    assert _max_diff(resumed_state, full_state) == 0  # bit for bit, on the CPU
    assert resumed_history["train_loss"] == full_history["train_loss"]
    assert resumed_history["val_metric"] == full_history["val_metric"]


def test_a_dataloader_is_shared_out_and_batch_size_is_global(two_ranks):
    history, state = two_ranks[0]["loader"]
    assert len(history["train_loss"]) == 2 and _max_diff(state, two_ranks[1]["loader"][1]) == 0
    assert "global batch" in two_ranks[0]["error"] and "divisible by 2" in two_ranks[0]["error"]


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_a_resumed_run_ends_where_an_uninterrupted_one_does(tmp_path, dropout):
    """One process, stopped twice and restarted with fresh models each time (checkpoints every two
    epochs, and at each stop): the same parameters, bit for bit, as an uninterrupted run. With
    dropout, this needs the random state that the checkpoint restores."""
    train, val = _data()
    kw = {**FIT, "epochs": 5, "val": val}
    whole = _model(0, dropout)
    history = fit(whole, train, **kw)
    path = tmp_path / "run" / "checkpoint.pt"
    first = fit(_model(0, dropout), train, checkpoint=path, stop_after=1, checkpoint_every=2, **kw)
    second = fit(_model(1, dropout), train, checkpoint=path, stop_after=2, checkpoint_every=2, **kw)
    resumed = _model(2, dropout)  # seeds the global generator afresh: the checkpoint's state must win
    resumed_history = fit(resumed, train, checkpoint=path, checkpoint_every=2, **kw)
    assert [len(h["train_loss"]) for h in (first, second, resumed_history)] == [1, 3, 5]
    assert _max_diff(resumed.state_dict(), whole.state_dict()) == 0
    assert resumed_history["train_loss"] == history["train_loss"]
    assert resumed_history["val_loss"] == history["val_loss"]
    # a finished checkpoint: fit loads it and returns its history without training again
    again = _model(3, dropout)
    assert fit(again, train, checkpoint=path, **kw)["train_loss"] == history["train_loss"]
    assert _max_diff(again.state_dict(), whole.state_dict()) == 0
    # a longer run continues from it: epochs 6 and 7 only
    longer = fit(_model(4, dropout), train, checkpoint=path, **{**kw, "epochs": 7})
    assert len(longer["train_loss"]) == 7 and longer["train_loss"][:5] == history["train_loss"]


def test_a_dataloader_run_resumes_too(tmp_path):
    """A DataLoader with its own generator keeps its order on one process; the checkpoint keeps
    the generator's state, so a resumed run still ends where an uninterrupted one does."""
    train, _ = _data()

    def loader():
        return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*train), batch_size=16,
                                           shuffle=True, generator=torch.Generator().manual_seed(5))

    whole = _model(0)
    fit(whole, loader(), **FIT)
    fit(_model(0), loader(), checkpoint=tmp_path / "c.pt", stop_after=3, **FIT)
    resumed = _model(1)
    fit(resumed, loader(), checkpoint=tmp_path / "c.pt", **FIT)
    assert _max_diff(resumed.state_dict(), whole.state_dict()) == 0


def test_the_single_process_order_is_the_distributed_samplers():
    """Epoch e visits torch.randperm(n) drawn from seed + e (as DistributedSampler draws it): a loss
    that records which unit vector e_i each one-sample batch holds reveals the order."""
    n, seed = 12, 7
    x = torch.eye(n, dtype=torch.float64)  # sample i is the unit vector e_i
    seen = []

    def record(output, y):
        seen.append(int(output.argmax()))
        return (output.sum() + probe.w.sum()) * 0

    probe = nn.Identity()
    probe.register_parameter("w", nn.Parameter(torch.zeros(1, dtype=torch.float64)))
    fit(probe, (x, torch.zeros(n)), epochs=2, batch_size=1, seed=seed, loss_fn=record,
        optimizer=torch.optim.SGD(probe.parameters(), lr=0.0), progress=False, device=CPU)
    expected = [torch.randperm(n, generator=torch.Generator().manual_seed(seed + e)).tolist() for e in (0, 1)]
    assert seen == expected[0] + expected[1]


def test_init_distributed_on_one_process(monkeypatch):
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    assert init_distributed() == (0, 1, get_device())
    assert init_distributed("cpu") == (0, 1, CPU)
    assert not torch.distributed.is_initialized()
    monkeypatch.setenv("WORLD_SIZE", "two")
    with pytest.raises(ValueError, match="WORLD_SIZE"):
        init_distributed()
    monkeypatch.delenv("WORLD_SIZE")
    with pytest.raises(TypeError, match="device"):
        init_distributed(0)


def test_bad_checkpoint_arguments_get_clear_errors(tmp_path):
    train, _ = _data()
    path = tmp_path / "c.pt"
    with pytest.raises(ValueError, match="stop_after"):
        fit(_model(0), train, checkpoint=path, stop_after=0, **FIT)
    with pytest.raises(ValueError, match="needs a checkpoint"):
        fit(_model(0), train, stop_after=1, **FIT)
    with pytest.raises(ValueError, match="checkpoint_every"):
        fit(_model(0), train, checkpoint=path, checkpoint_every=0, **FIT)
    with pytest.raises(TypeError, match="checkpoint must be a file path"):
        fit(_model(0), train, checkpoint=3, **FIT)
    with pytest.raises(ValueError, match="seed"):
        fit(_model(0), train, **{**FIT, "seed": -1})
    with pytest.raises(ValueError, match="batch_size"):
        fit(_model(0), train, **{**FIT, "batch_size": 0})
    with pytest.raises(TypeError, match="plain model"):
        fit(nn.parallel.DistributedDataParallel.__new__(nn.parallel.DistributedDataParallel), train, **FIT)
    fit(_model(0), train, checkpoint=path, stop_after=1, **FIT)
    with pytest.raises(ValueError, match="different model"):
        fit(nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 3)), train, checkpoint=path, **FIT)
    with pytest.raises(ValueError, match="batch_size 16, not 32"):
        fit(_model(0), train, checkpoint=path, **{**FIT, "batch_size": 32})
    with pytest.raises(ValueError, match="seed 0, not 1"):
        fit(_model(0), train, checkpoint=path, **{**FIT, "seed": 1})
    with pytest.raises(ValueError, match="optimizer state"):
        other = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=1)
        fit(_model(0), train, checkpoint=path, optimizer=other, **FIT)
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a checkpoint written by gdl.tools.fit"):
        fit(_model(0), train, checkpoint=tmp_path / "other.pt", **FIT)
    (tmp_path / "broken.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not a checkpoint written by gdl.tools.fit"):
        fit(_model(0), train, checkpoint=tmp_path / "broken.pt", **FIT)
    fit(_model(0), train, checkpoint=path, **{**FIT, "epochs": 3})
    with pytest.raises(ValueError, match="already trained 3 epochs"):
        fit(_model(0), train, checkpoint=path, **{**FIT, "epochs": 2})


def test_the_example_script_trains_stops_and_resumes(tmp_path, monkeypatch, capsys):
    """examples/train_ddp.py on one process: the same script torchrun starts on every rank."""
    script = str(ROOT / "examples" / "train_ddp.py")
    common = ["--epochs", "3", "--points", "100", "--checkpoint", str(tmp_path / "spirals.pt"),
              "--save", str(tmp_path / "model.pt"), "--device", "cpu"]
    monkeypatch.setattr(sys, "argv", [script, *common, "--stop-after", "1"])
    runpy.run_path(script, run_name="__main__")
    assert "1/3 epochs" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", [script, *common])
    runpy.run_path(script, run_name="__main__")
    assert "3/3 epochs" in capsys.readouterr().out
    assert set(torch.load(tmp_path / "model.pt", weights_only=True)) == {"0.weight", "0.bias", "2.weight",
                                                                        "2.bias", "4.weight", "4.bias"}
