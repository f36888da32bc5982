"""Tests for the Cora loader of gdl.datasets.graphs, on small fixtures in the LINQS format.

Nothing here touches the network: the download path is exercised with a fake ``urlopen``.
"""
import io
import socket
import tarfile
import urllib.request

import pytest
import torch

from gdl.datasets.graphs import (
    CORA_SIZES,
    CitationGraph,
    data_home,
    load_cora,
    make_planted_citation_graph,
    online_allowed,
    read_cora,
)

# A tiny citation graph: 5 papers, 4 words, 3 classes, 6 citation lines of which one repeats a pair
# in the other direction and one is a self-citation: 4 undirected edges remain.
PAPERS = [(31, "1 0 0 1", "Theory"), (7, "0 1 0 0", "Neural_Networks"), (1002, "0 0 1 1", "Theory"),
          (58, "1 1 0 0", "Rule_Learning"), (9, "0 0 0 0", "Neural_Networks")]
CITES = [(31, 7), (7, 31), (1002, 31), (58, 9), (9, 9), (7, 1002)]
SIZES = {"papers": 5, "citations": 6, "words": 4, "classes": 3}


def _content(papers=PAPERS):
    return "".join(f"{pid}\t{words.replace(' ', chr(9))}\t{label}\n" for pid, words, label in papers)


def _cites(cites=CITES):
    return "".join(f"{a}\t{b}\n" for a, b in cites)


def _write(directory, content=None, cites=None):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "cora.content").write_text(_content() if content is None else content)
    (directory / "cora.cites").write_text(_cites() if cites is None else cites)
    return directory


def _tgz(members):
    """A .tgz in memory holding {name: bytes} as regular files (or (type, target) for links)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(data, tuple):
                info.type, info.linkname = data
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the network was touched")
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_read_cora_parses_the_fixture(tmp_path):
    g = read_cora(_write(tmp_path), sizes=SIZES)
    assert isinstance(g, CitationGraph)
    assert g.classes == ("Neural_Networks", "Rule_Learning", "Theory")
    assert g.y.tolist() == [2, 0, 2, 1, 0] and g.paper_ids.tolist() == [31, 7, 1002, 58, 9]
    assert g.x.dtype == torch.float32 and g.x.tolist()[0] == [1, 0, 0, 1] and g.x.tolist()[4] == [0] * 4
    assert g.num_citations == 6 and g.num_nodes == 5
    # undirected, deduplicated, without the self-citation: {31,7}, {1002,31}, {58,9}, {7,1002}
    pairs = {tuple(sorted(p)) for p in g.edge_index.T.tolist()}
    assert pairs == {(0, 1), (0, 2), (3, 4), (1, 2)} and g.num_edges == 4
    assert g.edge_index.shape == (2, 8)
    assert set(map(tuple, g.edge_index.T.tolist())) == set(map(tuple, g.edge_index.flip(0).T.tolist()))


def test_read_cora_checks_the_default_sizes(tmp_path):
    assert CORA_SIZES == {"papers": 2708, "citations": 5429, "words": 1433, "classes": 7}
    with pytest.raises(ValueError, match="fields"):  # 4 words, where Cora has 1433
        read_cora(_write(tmp_path))


@pytest.mark.parametrize("content, cites, message", [
    (_content(PAPERS[:4]), None, "4 papers, expected 5"),
    (None, _cites(CITES[:5]), "5 citations, expected 6"),
    (_content([*PAPERS[:3], (58, "1 1 0 0", "Theory"), PAPERS[4]]), None, "2 classes, expected 3"),
    (_content([*PAPERS[:4], (9, "0 0 0", "Theory")]), None, "line 5: expected 6 fields"),
    (_content([*PAPERS[:4], (9, "0 0 2 0", "Theory")]), None, "0 or 1"),
    (_content([*PAPERS[:4], ("x9", "0 0 0 0", "Theory")]), None, "integers"),
    (_content([*PAPERS[:4], (31, "0 0 0 0", "Theory")]), None, "more than once"),
    (None, _cites([*CITES[:5], (7, 4242)]), "paper 4242 is not in cora.content"),
    (None, _cites(CITES[:5]) + "7\t31\t9\n", "expected 2 fields"),
])
def test_read_cora_refuses_what_differs(tmp_path, content, cites, message):
    with pytest.raises(ValueError, match=message):
        read_cora(_write(tmp_path, content, cites), sizes=SIZES)


def test_read_cora_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="cora.content"):
        read_cora(tmp_path, sizes=SIZES)
    for sizes in ({"papers": 5}, {**SIZES, "words": 0}, {**SIZES, "words": 2.0}):
        with pytest.raises(ValueError, match="sizes"):
            read_cora(_write(tmp_path), sizes=sizes)


def test_offline_by_default_and_never_touches_the_network(tmp_path, monkeypatch, no_network):
    monkeypatch.delenv("GDL_ONLINE", raising=False)
    monkeypatch.setenv("GDL_DATA", str(tmp_path))
    assert not online_allowed() and data_home() == tmp_path
    with pytest.raises(RuntimeError, match="GDL_ONLINE=1"):
        load_cora()
    monkeypatch.setenv("GDL_ONLINE", "yes")  # only "1" allows a download
    assert not online_allowed()
    with pytest.raises(RuntimeError, match="GDL_ONLINE=1"):
        load_cora(tmp_path / "elsewhere")
    assert not (tmp_path / "cora").exists()


def test_load_cora_reads_the_cache_without_the_network(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv("GDL_ONLINE", "1")
    _write(tmp_path / "cora")
    with pytest.raises(ValueError, match="fields"):  # the cache is checked like a download
        load_cora(tmp_path)
    with pytest.raises(ValueError, match="timeout"):
        load_cora(tmp_path, timeout=0)


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _fake_urlopen(archive, calls):
    def urlopen(url, timeout):
        calls.append((url, timeout))
        return _Response(archive)
    return urlopen


def test_download_extracts_two_files_checks_them_and_keeps_nothing_bad(tmp_path, monkeypatch):
    import gdl.datasets.graphs as graphs
    monkeypatch.setenv("GDL_ONLINE", "1")
    calls = []
    archive = _tgz({"cora/README": b"x", "cora/cora.content": _content().encode(),
                    "cora/cora.cites": _cites().encode(), "../evil": b"x", "/evil2": b"x"})
    monkeypatch.setattr(urllib.request, "urlopen", _fake_urlopen(archive, calls))
    with pytest.raises(ValueError, match="fields"):  # sizes are Cora's: the fixture is refused...
        load_cora(tmp_path, timeout=3)
    assert calls == [(graphs.CORA_URL, 3)]
    assert not (tmp_path / "cora").exists() and not (tmp_path / "cora.partial").exists()  # ...not kept
    assert not (tmp_path.parent / "evil").exists()
    monkeypatch.setattr(graphs, "CORA_SIZES", SIZES)  # with the fixture's sizes it is accepted
    g = load_cora(tmp_path, timeout=3)
    assert g.num_edges == 4 and sorted(p.name for p in (tmp_path / "cora").iterdir()) == [
        "cora.cites", "cora.content"]
    load_cora(tmp_path)  # now from the cache: no second download
    assert len(calls) == 2


@pytest.mark.parametrize("members, message", [
    ({"cora/cora.content": b"1\t0\tA\n"}, "lacks cora/cora.cites"),
    ({"cora/cora.content": (tarfile.SYMTYPE, "/etc/passwd"), "cora/cora.cites": b""}, "regular file"),
])
def test_download_refuses_bad_archives(tmp_path, monkeypatch, members, message):
    monkeypatch.setenv("GDL_ONLINE", "1")
    monkeypatch.setattr(urllib.request, "urlopen", _fake_urlopen(_tgz(members), []))
    with pytest.raises(ValueError, match=message):
        load_cora(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_planted_citation_graph():
    g = make_planted_citation_graph(num_nodes=300, num_classes=4, num_words=50, num_edges=600, seed=1)
    assert g.x.shape == (300, 50) and g.num_edges == 600 and g.edge_index.shape == (2, 1200)
    assert set(g.y.tolist()) == {0, 1, 2, 3} and ((g.x == 0) | (g.x == 1)).all()
    assert (g.x.sum(1) <= 18).all() and (g.x.sum(1) >= 1).all()
    assert (g.edge_index[0] != g.edge_index[1]).all()
    assert len({tuple(p) for p in g.edge_index.T.tolist()}) == 1200  # no duplicates
    same = (g.y[g.edge_index[0]] == g.y[g.edge_index[1]]).float().mean().item()
    assert 0.62 < same < 0.78  # homophily 0.7
    g2 = make_planted_citation_graph(num_nodes=300, num_classes=4, num_words=50, num_edges=600, seed=1)
    assert torch.equal(g.x, g2.x) and torch.equal(g.edge_index, g2.edge_index)
    assert make_planted_citation_graph(num_nodes=300, num_edges=600, homophily=0.0, seed=0).edge_index.numel()
    for kwargs in ({"num_nodes": 0}, {"num_classes": 1}, {"homophily": 1.5}, {"topic_share": -0.1},
                   {"num_nodes": 10, "num_edges": 40}, {"words_per_node": True}):
        with pytest.raises(ValueError, match=next(iter(kwargs))):
            make_planted_citation_graph(**kwargs)
