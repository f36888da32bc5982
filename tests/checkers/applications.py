"""Cases for the checkers of chapters/15_applications.md: the solutions, and wrong answers each must
reject."""
import torch

from gdl.exercises.applications import check_cutoff_edges, check_extent, check_invariance_gap

BOHR = 0.529177

# --- the nuclear spatial extent -------------------------------------------------------------------


def extent(weighted_centre: bool = True, weighted_sum: bool = True, unit: float = BOHR**2):
    """The solution (defaults), or a variant: the plain centroid, no weights in the sum, or Å²."""
    def nuclear_extent(z, pos):
        w = z.to(pos.dtype)
        centre = (w[:, None] * pos).sum(0) / w.sum() if weighted_centre else pos.mean(0)
        sq = ((pos - centre) ** 2).sum(1)
        return float((w * sq).sum() if weighted_sum else sq.sum()) / unit
    return nuclear_extent


# --- the invariance gap ---------------------------------------------------------------------------


def gap(transpose: bool = True, translate: bool = True, relative: bool = True):
    """The solution (defaults), or a variant: x Q instead of x Q^T, no translation, an absolute gap."""
    def invariance_gap(predict, zs, positions, elements):
        moved = [pos @ (q.T if transpose else q).to(pos) + (t.to(pos) if translate else 0)
                 for pos, (q, t) in zip(positions, elements, strict=True)]
        before, after = predict(zs, positions), predict(zs, moved)
        diff = (after - before).abs().max()
        return float(diff / before.abs().max() if relative else diff)
    return invariance_gap


# --- cutoff edges ---------------------------------------------------------------------------------


def edges(self_loops: bool = False, ignore_cutoff: bool = False, one_direction: bool = False):
    """The solution (defaults), or a variant: with self-loops, the complete graph, i < j only."""
    def cutoff_edges(pos, cutoff):
        d = torch.cdist(pos, pos)
        close = d < cutoff
        if ignore_cutoff:
            close = torch.ones_like(d, dtype=torch.bool)
        if not self_loops:
            close &= ~torch.eye(len(pos), dtype=torch.bool)
        if one_direction:
            close = torch.triu(close)
        target, source = close.nonzero(as_tuple=True)
        return torch.stack([source, target])
    return cutoff_edges


CASES = {
    "check_extent": {
        "solution": lambda: check_extent(extent()),
        "wrong": {
            "constant (the starter)": lambda: check_extent(lambda z, pos: 0.0),
            "centroid instead of the centre of charge": lambda: check_extent(extent(weighted_centre=False)),
            "no charges in the sum": lambda: check_extent(extent(weighted_sum=False)),
            "in Å² instead of bohr²": lambda: check_extent(extent(unit=1.0)),
            "returns a tensor of the wrong shape": lambda: check_extent(lambda z, pos: pos),
        },
    },
    "check_invariance_gap": {
        "solution": lambda: check_invariance_gap(gap()),
        "wrong": {
            "constant (the starter)": lambda: check_invariance_gap(lambda *args: 0.0),
            "x Q instead of x Q^T": lambda: check_invariance_gap(gap(transpose=False)),
            "forgets the translation": lambda: check_invariance_gap(gap(translate=False)),
            "absolute, not relative": lambda: check_invariance_gap(gap(relative=False)),
            "shape only (a vector of zeros)": lambda: check_invariance_gap(lambda *args: torch.zeros(5)),
        },
    },
    "check_cutoff_edges": {
        "solution": lambda: check_cutoff_edges(edges()),
        "wrong": {
            "empty (the starter)": lambda: check_cutoff_edges(lambda pos, c: torch.empty(2, 0).long()),
            "self-loops": lambda: check_cutoff_edges(edges(self_loops=True)),
            "ignores the cutoff": lambda: check_cutoff_edges(edges(ignore_cutoff=True)),
            "one direction only": lambda: check_cutoff_edges(edges(one_direction=True)),
            "shape only": lambda: check_cutoff_edges(lambda pos, c: torch.zeros(2, len(pos)).long()),
            "edges listed twice": lambda: check_cutoff_edges(lambda pos, c: edges()(pos, c).repeat(1, 2)),
        },
    },
}
