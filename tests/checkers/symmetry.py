"""Cases for the checkers of "The Erlangen Programme" (gdl.exercises.symmetry)."""
import math

import torch

from gdl.exercises.symmetry import (
    check_count_necklaces,
    check_invariant_features,
    check_multiplicities,
    check_symmetrize,
)
from gdl.symmetry import character, irreps


def count_necklaces(n):
    return sum(2 ** math.gcd(k, n) for k in range(n)) // n


def count_bracelets(n):  # orbits of the dihedral group: mirror images are identified too
    necklaces = count_necklaces(n)
    return (2 * necklaces + 3 * 2 ** (n // 2)) // 4 if n % 2 == 0 else (necklaces + 2 ** ((n + 1) // 2)) // 2


OEIS_1_TO_10 = {1: 2, 2: 3, 3: 4, 4: 6, 5: 8, 6: 14, 7: 20, 8: 36, 9: 60, 10: 108}


def power_spectrum(x):
    return torch.fft.rfft(x, dim=-1).abs() ** 2


def symmetrize(f, group, act_in, act_out):
    def f_bar(x):
        return torch.stack([act_out(group.inverse(g), f(act_in(g, x))) for g in group.elements()]).mean(0)
    return f_bar


def swapped(f, group, act_in, act_out):  # the example: act_in and act_out exchanged
    return symmetrize(f, group, act_out, act_in)


def no_inverse(f, group, act_in, act_out):
    return lambda x: torch.stack([act_out(g, f(act_in(g, x))) for g in group.elements()]).mean(0)


def summed(f, group, act_in, act_out):
    terms = lambda x: [act_out(group.inverse(g), f(act_in(g, x))) for g in group.elements()]  # noqa: E731
    return lambda x: torch.stack(terms(x)).sum(0)


def invariant_average(f, group, act_in, act_out):  # ignores act_out
    return lambda x: torch.stack([f(act_in(g, x)) for g in group.elements()]).mean(0)


def rotations_only(f, group, act_in, act_out):  # ignores the reflections of a dihedral group
    elements = [g for g in group.elements() if not isinstance(g, tuple) or g[1] == 0]
    return lambda x: torch.stack([act_out(group.inverse(g), f(act_in(g, x))) for g in elements]).mean(0)


def _inner(chi, mats, conjugate=True, mean=True):
    psi = character(mats).to(torch.complex128)
    terms = chi.to(torch.complex128) * (psi.conj() if conjugate else psi)
    return float((terms.mean() if mean else terms.sum()).real)


def multiplicities(chi, group):
    return {name: round(_inner(chi, m)) for name, m in irreps(group).items()}


def no_conjugate(chi, group):  # reads off the mode n - k instead of k for C_n
    return {name: round(_inner(chi, m, conjugate=False)) for name, m in irreps(group).items()}


def summed_characters(chi, group):  # forgets the 1/|G|
    return {name: round(_inner(chi, m, mean=False)) for name, m in irreps(group).items()}


def one_dimensional_only(chi, group):  # a partial answer: the 2-D irreps are left at 0
    return {name: round(_inner(chi, m)) if m.shape[-1] == 1 else 0 for name, m in irreps(group).items()}


def only_those_present(chi, group):  # drops the irreps with multiplicity 0
    return {name: k for name, k in multiplicities(chi, group).items() if k}


CASES = {
    "check_count_necklaces": {
        "solution": lambda: check_count_necklaces(count_necklaces),
        "wrong": {
            "constant": lambda: check_count_necklaces(lambda n: 2),
            "the starter (None)": lambda: check_count_necklaces(lambda n: None),
            "strings, not orbits": lambda: check_count_necklaces(lambda n: 2 ** n),
            "2^n / n": lambda: check_count_necklaces(lambda n: 2 ** n // n),
            "forgets the identity": lambda: check_count_necklaces(
                lambda n: sum(2 ** math.gcd(k, n) for k in range(1, n)) // n),
            "a table for n = 1..10": lambda: check_count_necklaces(lambda n: OEIS_1_TO_10[n]),
            "bracelets (reflections too)": lambda: check_count_necklaces(count_bracelets),
        },
    },
    "check_invariant_features": {
        "solution": lambda: check_invariant_features(power_spectrum),
        "wrong": {
            "constant": lambda: check_invariant_features(lambda x: torch.zeros(len(x), 3)),
            "the starter (total only)": lambda: check_invariant_features(lambda x: x.sum(-1, keepdim=True)),
            "the issue's bead test": lambda: check_invariant_features(
                lambda x: torch.stack([x.sum(-1), (x[:, 1] == 1).float()], -1)),
            "sorted values": lambda: check_invariant_features(lambda x: x.sort(-1).values),
            "the signal itself": lambda: check_invariant_features(lambda x: x),
            "normalised over the batch": lambda: check_invariant_features(
                lambda x: power_spectrum(x) / power_spectrum(x).amax(0)),
            "wrong shape": lambda: check_invariant_features(lambda x: power_spectrum(x).flatten()),
        },
    },
    "check_symmetrize": {
        "solution": lambda: check_symmetrize(symmetrize),
        "wrong": {
            "the zero map": lambda: check_symmetrize(lambda f, group, act_in, act_out: torch.zeros_like),
            "the starter (None)": lambda: check_symmetrize(lambda f, group, act_in, act_out: None),
            "f itself": lambda: check_symmetrize(lambda f, group, act_in, act_out: f),
            "act_in and act_out swapped": lambda: check_symmetrize(swapped),
            "no inverse": lambda: check_symmetrize(no_inverse),
            "a sum, not a mean": lambda: check_symmetrize(summed),
            "ignores act_out": lambda: check_symmetrize(invariant_average),
            "rotations only": lambda: check_symmetrize(rotations_only),
        },
    },
    "check_multiplicities": {
        "solution": lambda: check_multiplicities(multiplicities),
        "wrong": {
            "the starter (all zero)": lambda: check_multiplicities(
                lambda chi, group: {n: 0 for n in irreps(group)}),
            "None": lambda: check_multiplicities(lambda chi, group: None),
            "shape only (the dimensions)": lambda: check_multiplicities(
                lambda chi, group: {n: m.shape[-1] for n, m in irreps(group).items()}),
            "no complex conjugate": lambda: check_multiplicities(no_conjugate),
            "a sum, not a mean": lambda: check_multiplicities(summed_characters),
            "partial: one-dimensional irreps only": lambda: check_multiplicities(one_dimensional_only),
            "drops the zeros": lambda: check_multiplicities(only_those_present),
        },
    },
}
