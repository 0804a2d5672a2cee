"""REFI-QDA export: valid against the standard's schema, positions in code points."""

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotator.core.formats.qde import PROJECT_NS
from annotator.services.interchange.refi.qdpx_export import export_qdpx
from tests.services.test_exporting import build_study

SCHEMA = Path(__file__).parents[2] / "resources" / "refi-qda" / "Project.xsd"
NS = {"q": PROJECT_NS}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def exported(project, tmp_path, **filters):
    study = build_study(project)
    project.variables.set(study.tricky, "Outlet type", "wire 📰")
    path = tmp_path / "study.qdpx"
    result = export_qdpx(project.store, path, **filters)
    archive = zipfile.ZipFile(path)
    return study, result, archive, etree.fromstring(archive.read("project.qde"))


def test_the_export_is_valid_qda_xml(project, tmp_path, schema):
    _, result, archive, root = exported(project, tmp_path)
    assert schema.validate(root.getroottree()), schema.error_log
    assert (result.articles, result.annotations) == (4, 7)
    assert archive.namelist()[0] == "project.qde"
    sources = root.findall(".//q:TextSource", NS)
    assert len(sources) == 4
    for source in sources:
        name = source.get("plainTextPath").removeprefix("internal://")
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert f"sources/{name}" in archive.namelist()


def test_every_selection_gives_back_its_text_in_code_points(project, tmp_path):
    _, _, archive, root = exported(project, tmp_path)
    quotes = {
        (a.article_id, f.start, f.end): f.quote
        for s in project.store.articles.summaries()
        for a in project.store.annotations.for_article(s.id)
        for f in a.fragments
    }
    titles = {s.title: s.id for s in project.store.articles.summaries()}
    seen = 0
    for source in root.findall(".//q:TextSource", NS):
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == quotes[(titles[source.get("name")], start, end)]
            seen += 1
    assert seen == 8  # seven annotations, one of them in two fragments
    emoji = next(q for q in quotes.values() if "🇺🇸" in q)
    assert emoji.startswith("Flags 🇺🇸🇨🇳")


def test_a_claim_is_filed_under_its_speaker_issues_and_stance(project, tmp_path):
    study, _, _, root = exported(project, tmp_path)
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    claim = project.store.annotations.get(study.claim)
    start = str(claim.fragments[0].start)
    selection = next(
        s
        for s in root.iter(f"{{{PROJECT_NS}}}PlainTextSelection")
        if s.get("startPosition") == start and len(s.findall("q:Coding", NS)) > 1
    )
    coded = {names[r.get("targetGUID")] for r in selection.iterfind("q:Coding/q:CodeRef", NS)}
    assert coded == {
        "claim", "Xi Jinping", "Taiwan", "Export controls / high-tech trade",
        "AI risk and safety", "opposes",
    }  # fmt: skip
    note_guid = selection.find("q:NoteRef", NS).get("targetGUID")
    note = root.find(f".//q:Notes/q:Note[@guid='{note_guid}']/q:PlainTextContent", NS)
    assert note.text == "Said “firmly” 😠"
    groups = [c.get("name") for c in root.find("q:CodeBook/q:Codes", NS)]
    assert groups == [
        "Annotator: issues", "Annotator: speakers", "Annotator: annotation kinds",
        "Annotator: stances",
    ]  # fmt: skip


def test_variables_and_metadata_are_variables_of_the_source(project, tmp_path):
    _, _, _, root = exported(project, tmp_path)
    declared = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    tricky = next(s for s in root.iterfind(".//q:TextSource", NS) if s.get("name") == "Tricky")
    values = {
        declared[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
        for v in tricky.iterfind("q:VariableValue", NS)
    }
    assert values == {"source": "Test Wire", "Outlet type": "wire 📰"}


def test_filters_apply_and_the_same_project_exports_the_same_xml(project, tmp_path):
    _, result, archive, _ = exported(project, tmp_path, annotators=["bob"])
    assert result.annotations == 3
    first = archive.read("project.qde")
    again = tmp_path / "again.qdpx"
    export_qdpx(project.store, again, annotators=["bob"])
    assert _without_root(zipfile.ZipFile(again).read("project.qde")) == _without_root(first)


def _without_root(data: bytes) -> list[bytes]:
    """The document but its root's line (the project's name and the time of the export)."""
    return [line for line in data.splitlines() if b"<Project " not in line]


def test_cli_export_qdpx_and_its_errors(project, tmp_path, capsys):
    from annotator.cli import main

    build_study(project)
    out = tmp_path / "out.qdpx"
    assert main(["--project", str(project.path), "export", "--qdpx", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote 4 articles with 7 annotations to {out}\n"
    for bad in (tmp_path / "missing" / "x.qdpx", tmp_path, project.path):
        assert main(["--project", str(project.path), "export", "--qdpx", str(bad)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("annotator: ") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".qdpx") == ["out.qdpx"]
