"""REFI-QDA import: a round trip gives back every annotation; each bad file is one line and
imports nothing."""

import zipfile

import pytest

from annotator.core.model import CodeKind
from annotator.services.interchange.refi.qdpx_export import export_qdpx
from annotator.services.interchange.refi.qdpx_import import QdpxError, import_qdpx
from annotator.services.project import open_project
from tests.conftest import table_rows
from tests.services.test_brat_round_trip import comparable
from tests.services.test_exporting import build_study


def per_coder(project):
    """``comparable`` with each annotation's coder."""
    codes = {c.id: c.name for c in project.store.codes.all()}
    found = set()
    for summary in project.store.articles.summaries():
        article = project.store.articles.get(summary.id)
        for a in project.store.annotations.for_article(summary.id):
            found.add((
                article.sha256, a.annotator, a.kind,
                tuple((f.start, f.end, f.quote) for f in a.fragments),
                codes.get(a.code_id), codes.get(a.speaker_id),
                tuple(sorted(codes[i] for i in a.issue_ids)), a.stance, a.note,
            ))  # fmt: skip
    return found


@pytest.fixture
def qdpx(project, tmp_path):
    study = build_study(project)
    project.variables.set(study.tricky, "Outlet type", "wire 📰")
    path = tmp_path / "study.qdpx"
    export_qdpx(project.store, path)
    return path


def test_round_trip_restores_every_annotation(project, qdpx, tmp_path):
    with open_project(tmp_path / "copy.annotator", annotator="carol") as copy:
        result = import_qdpx(copy, qdpx)
        assert (result.articles, result.annotations, result.skipped) == (4, 7, ())
        assert comparable(copy) == comparable(project)  # mention links included
        assert per_coder(copy) == per_coder(project)
        titles = {s.title: s for s in copy.store.articles.summaries()}
        assert titles["Tricky"].source_name == "Test Wire"
        variables = {v.name: v.value for v in copy.variables.of_article(titles["Tricky"].id)}
        assert variables == {"Outlet type": "wire 📰"}
        again = import_qdpx(copy, qdpx)  # the same file twice adds nothing
        assert (again.articles, again.duplicates, again.annotations) == (0, 4, 0)


def test_issue_hierarchy_and_speaker_organisation_survive(project, qdpx, tmp_path):
    before = {c.name: c for c in project.store.codes.all()}
    with open_project(tmp_path / "copy.annotator", annotator="carol") as copy:
        import_qdpx(copy, qdpx)
        after = {c.name: c for c in copy.store.codes.all()}
        ids = {c.id: c.name for c in after.values()}
        for name, code in before.items():
            parent = project.store.codes.get(code.parent_id).name if code.parent_id else None
            assert ids.get(after[name].parent_id) == parent, name
            assert (after[name].kind, after[name].organisation) == (code.kind, code.organisation)


def test_a_codebook_only_file_imports_its_codes(tmp_path):
    """As ATLAS.ti writes a project with only a codebook: nested codes, no sources."""
    qde = tmp_path / "atlas.qde"
    qde.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Atlas" origin="ATLAS.ti 23">'
        '<CodeBook><Codes>'
        '<Code guid="B8D3C4F6-4D6B-4F5A-9C1D-2A3B4C5D6E7F" name="Economy" isCodable="true" '
        'color="#ff0000">'
        '<Code guid="C8D3C4F6-4D6B-4F5A-9C1D-2A3B4C5D6E7F" name="Tariffs 🚢" isCodable="true"/>'
        '</Code></Codes></CodeBook></Project>',
        encoding="utf-8",
    )  # fmt: skip
    with open_project(tmp_path / "p.annotator", annotator="carol") as project:
        result = import_qdpx(project, qde)
        assert (result.codes, result.articles) == (2, 0)
        tariffs = project.store.codes.by_name(CodeKind.ISSUE, "Tariffs 🚢")
        assert project.store.codes.get(tariffs.parent_id).name == "Economy"


def write_qdpx(path, qde: str, files=None):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def project_xml(sources: str, codes: str = "") -> str:
    return (
        '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
        f"<CodeBook><Codes>{codes or CODE}</Codes></CodeBook><Sources>{sources}</Sources></Project>"
    )


CODE = '<Code guid="11111111-1111-1111-1111-111111111111" name="Trade" isCodable="true"/>'
GUID = "22222222-2222-2222-2222-222222222222"


def selection(start, end):
    return (
        f'<PlainTextSelection guid="33333333-3333-3333-3333-333333333333" '
        f'startPosition="{start}" endPosition="{end}"><Coding guid="44444444-4444-4444-4444-'
        '444444444444"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>'
        "</PlainTextSelection>"
    )


def text_source(body="", path=f"internal://{GUID}.txt"):
    return f'<TextSource guid="{GUID}" name="Doc" plainTextPath="{path}">{body}</TextSource>'


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;'
    '&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;'
    '&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;'
    '&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;'
    '&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&i;"/>'
)


def bad_files(tmp_path):
    text = {f"sources/{GUID}.txt": "Tariffs 🚢 rose.\r\nThen fell."}
    not_zip = tmp_path / "not.qdpx"
    not_zip.write_bytes(b"PK\x03\x04 this is no zip")
    truncated = tmp_path / "truncated.qdpx"
    write_qdpx(truncated, project_xml(text_source(selection(0, 7))), text)
    truncated.write_bytes(truncated.read_bytes()[:60])
    no_project = tmp_path / "no-project.qdpx"
    with zipfile.ZipFile(no_project, "w") as archive:
        archive.writestr("readme.txt", "hello")
    long_value = (
        '<VariableValue><VariableRef targetGUID="66666666-6666-6666-6666-666666666666"/>'
        f"<TextValue>{'x' * 2000}</TextValue></VariableValue>"
    )
    variables = (
        '<Variables><Variable guid="66666666-6666-6666-6666-666666666666" name="Outlet" '
        'typeOfVariable="Text"/></Variables>'
    )
    late = project_xml(text_source(selection(0, 7) + long_value)).replace(
        "<Sources>", variables + "<Sources>"
    )
    long_title = project_xml(text_source(selection(0, 7))).replace(
        'name="Doc"', f'name="{"T" * 1500}"'
    )
    return {
        "title too long": write_qdpx(tmp_path / "title.qdpx", long_title, text),
        "too long": write_qdpx(tmp_path / "late.qdpx", late, text),
        "not a zip archive": not_zip,
        "a damaged zip archive|not a zip archive": truncated,
        "no project.qde": no_project,
        "not QDA-XML": write_qdpx(tmp_path / "html.qdpx", "<html><body>hi</body></html>"),
        "not well-formed": write_qdpx(tmp_path / "broken.qdpx", "<Project"),
        "declares a DTD": write_qdpx(tmp_path / "laughs.qdpx", BILLION_LAUGHS),
        "is outside its text": write_qdpx(
            tmp_path / "outside.qdpx", project_xml(text_source(selection(20, 99))), text
        ),
        "is not internal://": write_qdpx(
            tmp_path / "external.qdpx",
            project_xml(text_source(selection(0, 7), path="absolute:///etc/passwd")),
        ),
        "is not in the archive": write_qdpx(
            tmp_path / "missing.qdpx", project_xml(text_source(selection(0, 7)))
        ),
        "not a plain file name": write_qdpx(
            tmp_path / "escape.qdpx",
            project_xml(text_source(path="internal://../../secret.txt")),
            text,
        ),
    }


def test_each_bad_file_is_one_line_and_imports_nothing(tmp_path):
    path = tmp_path / "p.annotator"
    with open_project(path, annotator="carol"):
        pass
    before = table_rows(path)
    for expected, bad in bad_files(tmp_path).items():
        with open_project(path, annotator="carol") as project, pytest.raises(QdpxError) as err:
            import_qdpx(project, bad)
        message = str(err.value)
        assert "\n" not in message and message.startswith(bad.name), message
        assert any(part in message for part in expected.split("|")), message
        assert table_rows(path) == before, bad.name


def test_a_foreign_project_becomes_issue_passages_and_media_are_skipped(tmp_path):
    raw = "Tariffs 🚢 rose.\r\nThen fell."
    sources = text_source(selection(0, 9)) + (
        '<PDFSource guid="55555555-5555-5555-5555-555555555555" name="Scan.pdf" '
        'path="internal://55555555-5555-5555-5555-555555555555.pdf"/>'
    )
    with open_project(tmp_path / "p.annotator", annotator="carol") as project:
        result = import_qdpx(
            project,
            write_qdpx(
                tmp_path / "maxqda.qdpx", project_xml(sources), {f"sources/{GUID}.txt": raw}
            ),
        )
        assert result.skipped == ("PDF 'Scan.pdf'",)
        article = project.store.articles.summaries()[0]
        (passage,) = project.store.annotations.for_article(article.id)
        assert passage.quote == "Tariffs 🚢"
        assert project.store.codes.get(passage.code_id).name == "Trade"


def test_positions_after_a_crlf_count_the_cr_and_land_on_the_same_words(tmp_path):
    raw = "Tariffs 🚢 rose.\r\nThen fell."
    start = raw.index("Then")
    with open_project(tmp_path / "p.annotator", annotator="carol") as project:
        source = project_xml(text_source(selection(start, start + 9)))
        import_qdpx(
            project, write_qdpx(tmp_path / "crlf.qdpx", source, {f"sources/{GUID}.txt": raw})
        )
        article = project.store.articles.summaries()[0]
        (passage,) = project.store.annotations.for_article(article.id)
        assert passage.quote == "Then fell"


def test_cli_import_qdpx_prints_a_summary_or_one_refusal_line(project, qdpx, tmp_path, capsys):
    from annotator.cli import main

    copy = tmp_path / "copy.annotator"
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    args = ["--project", str(copy), "import", "--format", "qdpx", str(qdpx), str(bad)]
    assert main(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == f"{qdpx}: 4 articles (0 already in the project), 0 new codes, 7 annotations imported"
    )
    assert out[-1] == "rejected bad.qdpx: not a zip archive (a .qdpx file is one)"


def test_codebook_qdc_export_then_import_gives_the_same_codes(project, tmp_path):
    from annotator.cli import main

    project.codebook.create(CodeKind.SPEAKER, "Ursula 🇪🇺", organisation="EU Commission")
    out = tmp_path / "codebook.qdc"
    assert main(["--project", str(project.path), "codebook", "export", str(out)]) == 0
    root = out.read_text(encoding="utf-8")
    assert 'xmlns="urn:QDA-XML:codebook:1.0"' in root and "Ursula 🇪🇺" in root

    def described(store):
        names = {c.id: c.name for c in store.codes.all()}
        return {(c.kind, c.name, c.colour.lower(), names.get(c.parent_id), c.organisation,
                 c.description) for c in store.codes.all()}  # fmt: skip

    empty = tmp_path / "empty.annotator"
    with open_project(empty, annotator="carol") as other:
        for code in other.store.codes.all():  # start from no codes at all
            other.store.codes.delete(code.id)
    assert main(["--project", str(empty), "codebook", "import", str(out)]) == 0
    with open_project(empty, annotator="carol") as other:
        assert described(other.store) == described(project.store)
