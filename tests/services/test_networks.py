"""Discourse networks: weights on a hand-computed fixture, read back as GraphML."""

import pytest
from lxml import etree

from annotator.cli import main
from annotator.core.model import CodeKind, Stance
from annotator.core.networks import NetworkMode, Statement, build_network
from annotator.services.interchange.networks import export_network
from annotator.services.interchange.statements import statement_table

S, OPP = Stance.SUPPORTS, Stance.OPPOSES
#: Seven claims: (speaker, issues, stance). The last has no speaker, the sixth no issue.
CLAIMS = [
    ("A", ["X", "Y"], S), ("A", ["X"], S), ("B", ["X"], OPP), ("B", ["Y"], S), ("C", ["X"], S),
    ("C", [], None), (None, ["X", "Y"], OPP),
]  # fmt: skip
#: By hand: actor-issue weights with their stance counts; congruence (shared issue-stance
#: pairs: A and B both support Y, A and C both support X); conflict (A supports X, B opposes
#: it; B opposes X, C supports it); co-occurrence (claims one and seven tag X and Y).
EXPECTED = {
    NetworkMode.ACTOR_ISSUE: {
        ("A", "X"): 2,
        ("A", "Y"): 1,
        ("B", "X"): 1,
        ("B", "Y"): 1,
        ("C", "X"): 1,
    },
    NetworkMode.ACTOR_CONGRUENCE: {("A", "B"): 1, ("A", "C"): 1},
    NetworkMode.ACTOR_CONFLICT: {("A", "B"): 1, ("B", "C"): 1},
    NetworkMode.ISSUE_COOCCURRENCE: {("X", "Y"): 2},
}


@pytest.mark.parametrize("mode", list(NetworkMode))
def test_weights_by_hand(mode):
    statements = [Statement(s, tuple(i), st) for s, i, st in CLAIMS]
    network = build_network(mode, statements)
    assert {pair: edge.weight for pair, edge in network.edges.items()} == EXPECTED[mode]


@pytest.fixture
def claims(project):
    """The fixture's claims in a project, with speakers and issues named as above."""
    codes = {}
    for name in ("A", "B", "C"):
        change = project.codebook.create(CodeKind.SPEAKER, f"Speaker {name}", organisation="Org")
        codes[name] = change.code.id
    for name in ("X", "Y"):
        codes[name] = project.codebook.create(CodeKind.ISSUE, f"Issue {name} 🌍").code.id
    text = "".join(f"Claim {n}. " for n in range(len(CLAIMS)))
    article = project.articles.add(text, source="Wire", title="Seven", published="2024-03-01")
    for n, (speaker, issues, stance) in enumerate(CLAIMS):
        start = text.index(f"Claim {n}.")
        project.annotations.create_claim(
            article.article.id, [(start, start + 8)], speaker_id=codes.get(speaker),
            issue_ids=[codes[i] for i in issues], stance=stance,
        )  # fmt: skip
    return codes


def read_graphml(path):
    """Nodes' labels and edges' data by label pair, read with lxml (always) and networkx
    (where installed, as in CI)."""
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = etree.parse(str(path)).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iterfind("g:key", ns)}
    labels = {}
    for node in root.iterfind("g:graph/g:node", ns):
        data = {names[d.get("key")]: d.text for d in node.iterfind("g:data", ns)}
        labels[node.get("id")] = data["label"]
    edges = {}
    for edge in root.iterfind("g:graph/g:edge", ns):
        data = {names[d.get("key")]: d.text for d in edge.iterfind("g:data", ns)}
        edges[frozenset((labels[edge.get("source")], labels[edge.get("target")]))] = data
    return labels, edges


def named(expected):
    def name(code):
        return f"Speaker {code}" if code in "ABC" else f"Issue {code} 🌍"

    return {frozenset((name(a), name(b))): w for (a, b), w in expected.items()}


@pytest.mark.parametrize("mode", list(NetworkMode))
def test_graphml_weights_equal_the_hand_count(project, claims, tmp_path, mode):
    path = tmp_path / f"{mode.value}.graphml"
    result = export_network(project.store, path, mode)
    _, edges = read_graphml(path)
    assert {pair: int(data["weight"]) for pair, data in edges.items()} == named(EXPECTED[mode])
    assert result.edges == len(EXPECTED[mode])


def test_actor_issue_weights_equal_the_statement_counts(project, claims, tmp_path):
    path = tmp_path / "ai.graphml"
    export_network(project.store, path, "actor-issue")
    header, rows = statement_table(project.store)
    counted: dict[frozenset, int] = {}
    for row in rows:
        r = dict(zip(header, row, strict=True))
        if r["speaker"] and r["issue"]:
            pair = frozenset((r["speaker"], r["issue"]))
            counted[pair] = counted.get(pair, 0) + 1
    _, edges = read_graphml(path)
    assert {pair: int(data["weight"]) for pair, data in edges.items()} == counted
    a_x = edges[frozenset(("Speaker A", "Issue X 🌍"))]
    assert (a_x["supports"], a_x["opposes"], a_x["unstated"]) == ("2", "0", "0")


def test_networkx_reads_the_file(project, claims, tmp_path):
    nx = pytest.importorskip("networkx")
    path = tmp_path / "ai.graphml"
    export_network(project.store, path, "actor-issue")
    graph = nx.read_graphml(path)
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    weights = {frozenset((labels[a], labels[b])): d["weight"] for a, b, d in graph.edges(data=True)}
    assert weights == named(EXPECTED[NetworkMode.ACTOR_ISSUE])
    types = {d["label"]: (d["type"], d["organisation"]) for _, d in graph.nodes(data=True)}
    assert types["Speaker A"] == ("speaker", "Org") and types["Issue X 🌍"][0] == "issue"


def test_filters_and_cli(project, claims, tmp_path, capsys):
    out = tmp_path / "net.graphml"
    base = ["--project", str(project.path), "export", "--network", str(out)]
    assert main([*base, "--mode", "issue-cooccurrence"]) == 0
    assert capsys.readouterr().out == (
        f"Wrote the issue-cooccurrence network (2 nodes, 1 edge) to {out}\n"
    )
    assert main([*base, "--from", "2024-04"]) == 0
    assert "(0 nodes, 0 edges)" in capsys.readouterr().out
    assert main([*base, "--to", "2024-03", "--source", "Wire"]) == 0
    assert "(5 nodes, 5 edges)" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # argparse names the choices
        main([*base, "--mode", "ego"])
    capsys.readouterr()
    assert main([*base[:-1], str(tmp_path / "no" / "x.graphml")]) == 2
