"""Sharing a codebook as CSV or JSON: exact round trips, additions only, differences reported,
and bad files refused with the row named and nothing added."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import ValidationError
from annotator.core.model import CodeKind
from annotator.services.interchange import codebook_files
from annotator.services.interchange.codebook_files import (
    CODEBOOK_COLUMNS,
    codebook_records,
    export_codebook,
    import_codebook,
    read_codebook,
)
from annotator.services.project import open_project
from annotator.store import Store
from tests.conftest import code_id

HEADER = ",".join(CODEBOOK_COLUMNS) + "\n"


@pytest.fixture
def shared(project):
    """The starter codebook plus codes that stress the formats."""
    book = project.codebook
    export = code_id(project, CodeKind.ISSUE, "Export controls / high-tech trade")
    chips = book.create(
        CodeKind.ISSUE, "Chips", colour="#123456", shortcut="1",
        description='Semiconductors, "fabs",\nand 🇹🇼 supply chains',
    ).code  # fmt: skip
    book.reparent(chips.id, export)
    nested = book.create(CodeKind.ISSUE, "=SUM(A1)", description="-starts with a minus").code
    book.reparent(nested.id, chips.id)
    book.create(CodeKind.ISSUE, "'=already quoted", description="@mention")
    book.create(CodeKind.SPEAKER, "Émile Zola", organisation="L’Aurore", shortcut="z")
    return project


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_export_then_import_into_an_empty_codebook_is_exact(shared, tmp_path, suffix):
    path = tmp_path / f"codebook{suffix}"
    assert export_codebook(shared.store, path) == len(shared.store.codes.all()) == 23
    with Store.in_memory() as fresh:
        result = import_codebook(fresh, path)
        assert len(result.added) == 23 and result.conflicts == () and result.unchanged == 0
        assert codebook_records(fresh) == codebook_records(shared.store)


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_import_into_a_new_project_gives_the_same_codebook(shared, tmp_path, suffix):
    path = tmp_path / f"codebook{suffix}"
    export_codebook(shared.store, path)
    with open_project(tmp_path / "fresh.annotator") as fresh:
        result = import_codebook(fresh.store, path)
        assert (len(result.added), result.unchanged, result.conflicts) == (4, 19, ())
        assert codebook_records(fresh.store) == codebook_records(shared.store)
        again = import_codebook(fresh.store, path)
        assert (again.added, again.unchanged) == ((), 23)


def test_csv_cells_that_would_run_are_quoted_and_restored(shared, tmp_path):
    path = tmp_path / "codebook.csv"
    export_codebook(shared.store, path)
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("kind,name,colour,description,shortcut,parent,organisation\r\n")
    assert "issue,'=SUM(A1),#" in text and ",'-starts with a minus," in text
    assert "issue,''=already quoted," in text and ",'@mention," in text
    assert "Chips" in text and "Export controls / high-tech trade" in text


@given(st.text(alphabet="'=+-@\t\rab", max_size=8))
def test_quoting_is_undone_exactly(value):
    assert codebook_files._unescape(codebook_files._escape(value)) == value
    if not value.lstrip("'").startswith(("=", "+", "-", "@", "\t", "\r")):
        assert codebook_files._escape(value) == value


def test_json_is_a_list_of_records_with_every_key(shared, tmp_path):
    path = tmp_path / "codebook.json"
    export_codebook(shared.store, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    chips = next(item for item in data if item["name"] == "Chips")
    assert list(chips) == list(CODEBOOK_COLUMNS)
    assert chips["parent"] == "Export controls / high-tech trade" and chips["shortcut"] == "1"
    assert "🇹🇼" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


def test_existing_codes_match_ignoring_case_and_differences_are_reported(project, tmp_path):
    path = write(
        tmp_path,
        "team.csv",
        HEADER
        + "issue,taiwan,#000000,,,South China Sea,\n"
        + "issue,TIKTOK AND DATA SECURITY,#F0E442,,,,\n"  # same colour, other case: no conflict
        + "speaker,xi jinping,#af6249,,,,\n"
        + "issue,Semiconductors,,,,Taiwan,\n",
    )
    taiwan_before = project.store.codes.by_name(CodeKind.ISSUE, "Taiwan")
    result = import_codebook(project.store, path)
    assert [c.name for c in result.added] == ["Semiconductors"]
    assert result.unchanged == 2
    assert result.conflicts == (
        "issue 'Taiwan' differs: colour #000000 in the file, #56b4e9 in the project; "
        "parent 'South China Sea' in the file, none in the project (kept the project's)",
    )
    assert project.store.codes.by_name(CodeKind.ISSUE, "Taiwan") == taiwan_before
    semis = project.store.codes.by_name(CodeKind.ISSUE, "Semiconductors")
    assert semis.parent_id == taiwan_before.id


def test_a_file_without_a_parent_differs_from_a_child_code(shared, tmp_path):
    path = write(tmp_path, "team.csv", HEADER + "issue,Chips,#123456,,,,\n")
    result = import_codebook(shared.store, path)
    assert len(result.conflicts) == 1
    assert "parent none in the file, 'Export controls / high-tech trade'" in result.conflicts[0]


def test_friendly_variants_are_read(project, tmp_path):
    variants = {
        "bom.csv": "\ufeffkind,name,color\nissue,Bom,#010101\n".encode(),
        "semi.csv": b"name;kind;parent\nChild;issue;Semi\nSemi;issue;\n",
        "utf16.csv": "kind,name\nissue,Wide\n".encode("utf-16"),
        "numbers.json": b'[{"kind": "Issue", "name": "Seven", "shortcut": 7, "parent": null}]',
    }
    for name, content in variants.items():
        import_codebook(project.store, write(tmp_path, name, content))
    codes = project.store.codes
    assert codes.by_name(CodeKind.ISSUE, "Bom").colour == "#010101"
    assert (
        codes.by_name(CodeKind.ISSUE, "Child").parent_id == codes.by_name(CodeKind.ISSUE, "Semi").id
    )
    assert codes.by_name(CodeKind.ISSUE, "Wide") is not None
    assert codes.by_name(CodeKind.ISSUE, "Seven").shortcut == "7"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty"),
        ("blank.json", b"  \n\n", "blank.json is empty"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("latin1.csv", "kind,name\nissue,Café\n".encode("latin-1"), "not UTF-8 text"),
        ("codes.txt", b"kind,name\n", "use a .csv or .json"),
        ("cells.csv", HEADER.encode() + b"issue,A,#111111,,,,,extra\n", "row 2 has 8 cells"),
        ("quote.csv", b'kind,name\nissue,"ab"c\n', "line 2: not valid CSV"),
        ("kind.csv", b"kind,name\nissue,A\ntopic,B\n", r"row 3: unknown kind 'topic'"),
        ("colour.csv", b"kind,name,colour\nissue,A,red\n", r"row 2: colour 'red' is not"),
        ("noname.csv", b"kind,name\nissue,  \n", "row 2 has no name"),
        ("column.csv", b"kind,name,colr\n", r"header has unknown columns: colr"),
        ("nokind.csv", b"name\nA\n", "lacks the column 'kind'"),
        ("twice.csv", b"kind,name\nissue,A\nissue,a\n", r"row 3: issue 'a' is listed twice"),
        ("speaker.csv", b"kind,name,parent\nspeaker,A,Taiwan\n", "only issues can have a"),
        ("self.csv", b"kind,name,parent\nissue,A,a\n", "cannot be its own parent"),
        ("parent.csv", b"kind,name,parent\nissue,A,Nowhere\n", r"row 2: the parent 'Nowhere'"),
        ("reserved.csv", b"kind,name,shortcut\nissue,A,c\n", r"row 2: 'c' is taken"),
        ("clash.csv", b"kind,name,shortcut\nissue,A,q\nissue,B,Q\n", r"row 3: 'Q' is already"),
        ("loop.csv", b"kind,name,parent\nissue,A,B\nissue,B,A\n", "loop"),
        ("bad.json", b'[{"kind": "issue", "name": "A"},]', "not valid JSON"),
        ("dict.json", b'{"kind": "issue", "name": "A"}', "must hold a list"),
        ("item.json", b'[{"kind": "issue", "name": "A"}, "B"]', "item 2 must be an object"),
        ("list.json", b'[{"kind": "issue", "name": ["A"]}]', r"item 1: 'name' must be text"),
        ("key.json", b'[{"kind": "issue", "name": "A", "size": 3}]', "unknown keys: size"),
    ],
)
def test_bad_files_are_refused_with_the_row_named_and_add_nothing(
    project, tmp_path, name, content, message
):
    path = write(tmp_path, name, content)
    before = codebook_records(project.store)
    with pytest.raises(ValidationError, match=message):
        import_codebook(project.store, path)
    assert codebook_records(project.store) == before


def test_a_bad_last_row_undoes_the_good_rows_before_it(project, tmp_path):
    rows = "".join(f"issue,Good {n},,,,,\n" for n in range(5))
    path = write(tmp_path, "team.csv", HEADER + rows + "issue,Bad,,,,Nowhere,\n")
    count = len(project.store.codes.all())
    with pytest.raises(ValidationError, match=r"team\.csv row 7"):
        import_codebook(project.store, path)
    assert len(project.store.codes.all()) == count


def test_reading_checks_without_touching_the_project(tmp_path):
    path = write(tmp_path, "team.csv", HEADER + "speaker,Ann,,Analyst,,,Uni\n\n,,,,,,\n")
    (entry,) = read_codebook(path)
    assert (entry.where, entry.kind, entry.name) == ("team.csv row 2", CodeKind.SPEAKER, "Ann")
    assert (entry.description, entry.organisation, entry.colour) == ("Analyst", "Uni", None)


def test_export_is_written_atomically_and_never_over_the_project(project, tmp_path):
    with pytest.raises(ValidationError, match=r"use a \.csv or \.json"):
        export_codebook(project.store, tmp_path / "codebook.yaml")
    from annotator.services.interchange.files import ExportError

    with pytest.raises(ExportError, match="does not exist"):
        export_codebook(project.store, tmp_path / "missing" / "codebook.csv")
    assert not list(tmp_path.glob(".*.tmp"))
