"""Cases for the checkers of the chapter on meshes (gdl.exercises.meshes): the solution and wrong answers."""
import numpy as np
import scipy.sparse as sp

from gdl.datasets.meshes import icosphere
from gdl.exercises.meshes import check_hks, check_non_delaunay, check_weyl_area
from gdl.meshes import cotan_laplacian, heat_kernel_signature, mesh_edges


def weyl_area(evals):
    k = np.arange(len(evals))
    slope = (k @ evals) / (k @ k)
    return 4 * np.pi / slope


def my_hks(evals, evecs, times):
    return (evecs ** 2) @ np.exp(-np.outer(evals, times))


def non_delaunay_edges(V, F):
    L = sp.triu(cotan_laplacian(V, F), k=1).tocoo()
    neg = L.data > 1e-12
    return np.stack([L.row[neg], L.col[neg]], axis=1)


def _slope(evals):
    k = np.arange(len(evals))
    return (k @ evals) / (k @ k)


def _memorised():
    """The answer on the exercise's mesh, returned whatever the mesh."""
    rng = np.random.default_rng(3)
    V, F = icosphere(2)
    answer = non_delaunay_edges(V * np.array([1.0, 1.0, 0.25]) + 0.04 * rng.normal(size=V.shape), F)
    return lambda V, F: answer.copy()


def _one_angle(V, F):
    """Edges with an obtuse angle opposite them in one triangle: ignores the sum of the two angles."""
    out = set()
    for c in range(3):
        o, i, j = F[:, c], F[:, (c + 1) % 3], F[:, (c + 2) % 3]
        obtuse = np.einsum("fd,fd->f", V[i] - V[o], V[j] - V[o]) < 0
        out |= {(min(a, b), max(a, b)) for a, b in zip(i[obtuse].tolist(), j[obtuse].tolist(), strict=True)}
    return np.array(sorted(out), dtype=np.int64).reshape(-1, 2)


def _both_ways(V, F):
    e = non_delaunay_edges(V, F)
    return np.concatenate([e, e[:, ::-1]])


CASES = {
    "check_weyl_area": {
        "solution": lambda: check_weyl_area(weyl_area),
        "wrong": {
            "constant: the chapter torus's area": lambda: check_weyl_area(lambda evals: 13.8),
            "a number of the right type: the mean eigenvalue": lambda: check_weyl_area(lambda e: e.mean()),
            "forgets the 4π": lambda: check_weyl_area(lambda evals: 1 / _slope(evals)),
            "only the first nonzero eigenvalue": lambda: check_weyl_area(lambda evals: 4 * np.pi / evals[1]),
            "not scale covariant: + 0.3": lambda: check_weyl_area(lambda e: 4 * np.pi / _slope(e) + 0.3),
            "returns None": lambda: check_weyl_area(lambda evals: None),
        },
    },
    "check_hks": {
        "solution": lambda: check_hks(my_hks),
        "wrong": {
            "constant": lambda: check_hks(lambda e, v, t: np.full((len(v), len(t)), 0.1)),
            "shape only: zeros": lambda: check_hks(lambda e, v, t: np.zeros((len(v), len(t)))),
            "forgets the square": lambda: check_hks(lambda e, v, t: v @ np.exp(-np.outer(e, t))),
            "forgets the decay": lambda: check_hks(lambda e, v, t: np.repeat((v ** 2).sum(1, keepdims=True),
                                                                             len(t), 1)),
            "calls heat_kernel_signature": lambda: check_hks(lambda e, v, t: heat_kernel_signature(e, v, t)),
            "transposed (T, V)": lambda: check_hks(lambda e, v, t: my_hks(e, v, t).T),
            "first time only": lambda: check_hks(lambda e, v, t: np.repeat(my_hks(e, v, t[:1]), len(t), 1)),
        },
    },
    "check_non_delaunay": {
        "solution": lambda: check_non_delaunay(non_delaunay_edges),
        "wrong": {
            "constant: no edge": lambda: check_non_delaunay(lambda V, F: np.zeros((0, 2), dtype=np.int64)),
            "shape only: the first five edges": lambda: check_non_delaunay(lambda V, F: mesh_edges(F)[:5]),
            "sign flipped: the Delaunay edges": lambda: check_non_delaunay(
                lambda V, F: np.stack(sp.triu(-cotan_laplacian(V, F), k=1).tocoo().coords, 1)[
                    sp.triu(-cotan_laplacian(V, F), k=1).tocoo().data > 1e-12]),
            "one opposite angle instead of the sum": lambda: check_non_delaunay(_one_angle),
            "ignores i < j: both directions": lambda: check_non_delaunay(_both_ways),
            "memorised the exercise's mesh": lambda: check_non_delaunay(_memorised()),
        },
    },
}
