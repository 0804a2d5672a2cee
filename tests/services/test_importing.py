"""Importing text, Markdown and HTML files, folders and manifests; every kind of bad input."""

import builtins
import itertools
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from annotator.services.interchange import article_files
from annotator.services.interchange import manifest as manifest_module
from annotator.services.interchange.importing import (
    ImportFormat,
    ImportItem,
    ImportReport,
    ImportStatus,
    import_items,
    import_paths,
    plan_import,
)
from annotator.services.project import Project

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
BODY = "President Biden and Xi Jinping spoke by phone on Tuesday, the White House said.\n"

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Biden and Xi agree to keep talking | Example News</title>
<meta property="og:title" content="Biden and Xi agree to keep talking">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-04-02T10:00:00Z">
<link rel="stylesheet" href="file:///dev/zero">
<script src="http://example.invalid/tracker.js"></script>
<script>window.ads = "SCRIPTED-AD-TEXT";</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">NAV-WORLD-LINK</a></li></ul></nav>
<div class="cookie-banner" id="cookie-consent">We use cookies. COOKIE-BANNER-TEXT Accept all</div>
<div class="ad">ADVERT-TEXT: cheap flights to everywhere</div>
<article>
<h1>Biden and Xi agree to keep talking</h1>
<img src="/dev/zero" alt="zero">
<img src="http://example.invalid/x.png">
<iframe src="/dev/zero"></iframe>
<p>President Joe Biden and Chinese leader Xi Jinping spoke by phone on Tuesday, their first
conversation since a summit in California last November, the White House said.</p>
<p>“We will not sit back,” Xi said, according to Chinese state media, warning Washington
over export controls on advanced chips. The two leaders agreed to keep channels open.</p>
<p>Officials on both sides described the call as candid and constructive, and said that
further talks on trade, climate and military communication would follow within weeks.</p>
</article>
<footer><p>FOOTER-TEXT © 2024 Example News. All rights reserved. Privacy policy.</p></footer>
</body></html>
"""
BOILERPLATE = ("SCRIPTED-AD-TEXT", "NAV-WORLD-LINK", "COOKIE-BANNER-TEXT", "ADVERT-TEXT", "FOOTER")


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def only(report: ImportReport, status: ImportStatus) -> list:
    return [o for o in report.outcomes if o.status is status]


def article(project: Project, article_id: str | None):
    assert article_id is not None
    found = project.store.articles.get(article_id)
    return found, project.store.sources.get(found.source_id).name


# -- text and Markdown -----------------------------------------------------------------------


def test_front_matter_gives_the_metadata_and_crlf_nul_are_canonicalised(project, tmp_path):
    path = write(
        tmp_path / "a.txt",
        "---\r\ntitle: Call\r\nsource: AFP\r\npublished: 2024-04-02\r\nauthor: Ann\r\n"
        "url: https://example.org/a\r\ntags: [x]\r\n---\r\nLine one.\r\nLine\x00 two.\r\n",
    )
    report = import_paths(project, [path])
    [outcome] = report.outcomes
    assert outcome.status is ImportStatus.IMPORTED
    stored, source = article(project, outcome.article_id)
    assert (stored.title, source, stored.published, stored.author, stored.url) == (
        "Call", "AFP", "2024-04-02", "Ann", "https://example.org/a",
    )  # fmt: skip
    assert stored.text == "Line one.\nLine two.\n"
    assert stored.imported_from == str(path.resolve())


def test_without_front_matter_the_first_non_empty_line_is_the_title(project, tmp_path):
    path = write(tmp_path / "b.md", "\n\n  # Xi warns Biden  \n\nBody.\n")
    [outcome] = import_paths(project, [path], source="Reuters").outcomes
    stored, source = article(project, outcome.article_id)
    assert stored.title == "# Xi warns Biden" and source == "Reuters"


def test_metadata_precedence_manifest_then_file_then_flag(project, tmp_path):
    write(tmp_path / "a.txt", "---\ntitle: From file\nsource: FileSource\n---\nText A.\n")
    write(tmp_path / "b.txt", "---\nauthor: Bea\n---\nText B.\n")
    manifest = write(tmp_path / "m.csv", "file,title,source\na.txt,From manifest,\nb.txt,,\n")
    report = import_paths(project, [], manifest=manifest, source="Flag")
    first, second = (article(project, o.article_id) for o in report.outcomes)
    assert (first[0].title, first[1]) == ("From manifest", "FileSource")
    assert (second[0].title, second[0].author, second[1]) == ("Text B.", "Bea", "Flag")


def test_a_file_without_a_source_is_rejected_and_nothing_is_stored(project, tmp_path):
    before = project.store.articles.count()
    [outcome] = import_paths(project, [write(tmp_path / "a.txt", "Text.")]).outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert outcome.reason.startswith("no source")
    assert project.store.articles.count() == before


def test_duplicates_are_reported_not_stored_twice(project, tmp_path):
    folder = tmp_path / "in"
    write(folder / "one.txt", BODY)
    write(folder / "two.txt", BODY.replace("\n", "\r\n"))  # the same canonical text
    report = import_paths(project, [folder], source="AFP")
    assert [o.status for o in report.outcomes] == [ImportStatus.IMPORTED, ImportStatus.DUPLICATE]
    assert report.outcomes[1].article_id == report.outcomes[0].article_id
    assert "already in the project" in report.outcomes[1].reason
    again = import_paths(project, [folder / "one.txt"], source="AFP")
    assert again.duplicates == 1 and project.store.articles.count() == 2


# -- HTML ------------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_html_main_text_and_metadata_without_loading_anything(project, tmp_path, no_network):
    path = write(tmp_path / "page.html", HTML_PAGE)
    drafts = []
    worker = threading.Thread(
        target=lambda: drafts.append(article_files.read_article(path, ImportFormat.HTML)),
        daemon=True,  # were /dev/zero ever read, the test would fail here instead of hanging
    )
    started = time.monotonic()
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "reading the page hung"
    assert time.monotonic() - started < 30
    assert drafts and drafts[0].metadata.title == "Biden and Xi agree to keep talking"
    outcomes = import_paths(project, [path], source="Example").outcomes
    [outcome] = outcomes
    assert outcome.status is ImportStatus.IMPORTED, outcome.reason
    stored, source = article(project, outcome.article_id)
    assert stored.title == "Biden and Xi agree to keep talking"
    assert (stored.author, stored.published, source) == ("Jane Reporter", "2024-04-02", "Example")
    assert "“We will not sit back,” Xi said" in stored.text
    assert "military communication" in stored.text
    for boilerplate in BOILERPLATE:
        assert boilerplate not in stored.text


def test_html_in_a_legacy_encoding_is_decoded_before_extraction(project, tmp_path, no_network):
    page = HTML_PAGE.replace("utf-8", "windows-1252").replace("© ", "")
    path = write(tmp_path / "page.htm", page.encode("cp1252"))
    [outcome] = import_paths(project, [path], source="Example").outcomes
    stored, _ = article(project, outcome.article_id)
    assert "“We will not sit back,” Xi said" in stored.text


@pytest.mark.parametrize(
    "error",
    [
        ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean"),
        # What lxml.html.clean itself raises when the package is missing (pip < 24 skipped the
        # extra lxml[html_clean] that justext asks for): an ImportError naming no module.
        ImportError(
            "lxml.html.clean module is now a separate project lxml_html_clean.\n"
            "Install lxml[html-clean] or lxml_html_clean directly."
        ),
    ],
    ids=["module-not-found", "lxml-html-clean"],
)
def test_a_missing_html_component_is_one_clear_line_and_text_files_import(
    project, tmp_path, monkeypatch, error
):
    real_import = builtins.__import__

    def without_trafilatura(name, *args, **kwargs):
        if name == "trafilatura":
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_trafilatura)
    folder = tmp_path / "in"
    write(folder / "a.txt", "Article A.\n")
    write(folder / "b.html", HTML_PAGE)
    write(folder / "c.md", "Article C.\n")
    report = import_paths(project, [folder], source="Wire")
    assert [(o.path.name, o.status, o.reason) for o in report.outcomes] == [
        ("a.txt", ImportStatus.IMPORTED, "as 'Article A.'"),
        ("b.html", ImportStatus.REJECTED,
         "HTML import needs the lxml_html_clean package; "
         "reinstall Annotator with: pip install -e ."),
        ("c.md", ImportStatus.IMPORTED, "as 'Article C.'"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Empty</title></head><body></body></html>",
        "<html><body><script>var x = 1;</script><style>p {}</style></body></html>",
    ],
)
def test_html_without_text_is_rejected(project, tmp_path, page):
    [outcome] = import_paths(project, [write(tmp_path / "x.html", page)], source="S").outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert "no article text" in outcome.reason


# -- folders ---------------------------------------------------------------------------------


def test_a_folder_with_mixed_files(project, tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.txt", "Article A.\n")
    write(folder / "deeper" / "b.md", "Article B.\n")
    write(folder / "deeper" / "c.html", HTML_PAGE)
    write(folder / "picture.jpg", b"\xff\xd8\xff\xe0")
    write(folder / "notes.docx", b"PK\x03\x04")
    write(folder / ".hidden.txt", "Hidden.\n")
    write(folder / ".git" / "d.txt", "Hidden folder.\n")
    write(folder / "png.txt", PNG)
    write(folder / "empty.txt", "")
    report = import_paths(project, [folder], source="Wire")
    by_name = {o.path.name: o for o in report.outcomes}
    assert set(by_name) == {"a.txt", "b.md", "c.html", "picture.jpg", "notes.docx", "png.txt",
                            "empty.txt"}  # fmt: skip
    assert (report.imported, report.duplicates, report.rejected, report.skipped) == (3, 0, 2, 2)
    assert by_name["picture.jpg"].status is ImportStatus.SKIPPED
    assert "not a text or HTML file" in by_name["picture.jpg"].reason
    assert by_name["png.txt"].reason == "binary file (image/png), not text"
    assert by_name["empty.txt"].reason == "empty file"
    lines = report.summary_lines()
    assert len(lines) == 5  # one per file not imported, then the totals
    assert lines[-1] == "Import finished: 3 imported, 0 duplicate, 2 rejected, 2 skipped."
    assert all(str(folder) in line for line in lines[:-1])


def test_format_text_reads_named_files_of_any_extension_but_filters_folders(project, tmp_path):
    notes = write(tmp_path / "notes.rst", "Plain notes.\n")
    write(tmp_path / "dir" / "page.html", HTML_PAGE)
    write(tmp_path / "dir" / "a.txt", "A text.\n")
    items = plan_import([notes, tmp_path / "dir"], format="text")
    assert [(i.path.name, i.format, i.verdict) for i in items] == [
        ("notes.rst", ImportFormat.TEXT, None),
        ("a.txt", ImportFormat.TEXT, None),
        ("page.html", ImportFormat.AUTO, ImportStatus.SKIPPED),
    ]


def test_missing_paths_and_special_files_are_rejected_without_hanging(project, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    named = [tmp_path / "nope", fifo, Path("/dev/zero")]
    report = import_paths(project, named, source="S", format="text")
    reasons = [o.reason for o in report.outcomes]
    assert reasons == ["no such file or folder", "not a regular file", "not a regular file"]


# -- bad input -------------------------------------------------------------------------------


def test_each_bad_file_gets_one_line_and_the_rest_imports(project, tmp_path, monkeypatch):
    tmp_path = tmp_path / "in"
    write(tmp_path / "1-good.txt", "A good article.\n")
    write(tmp_path / "2-empty.txt", "  \n")
    write(tmp_path / "3-png.txt", PNG)
    write(tmp_path / "4-undecodable.txt", b"\xff\xfe" + b"abc")  # UTF-16 mark, odd length
    write(tmp_path / "5-large.txt", "x" * 200)
    write(tmp_path / "6-bad-yaml.md", "---\ntitle: [unclosed\n---\nBody.\n")
    write(tmp_path / "7-only-front-matter.txt", "---\ntitle: T\n---\n\n")
    write(tmp_path / "8-no-closing-fence.txt", "---\ntitle: T\nBody.\n")
    monkeypatch.setattr(article_files, "MAX_FILE_BYTES", 100)
    report = import_paths(project, [tmp_path], source="Wire")
    assert [o.status for o in report.outcomes] == [ImportStatus.IMPORTED] + [
        ImportStatus.REJECTED
    ] * 7
    reasons = [o.reason for o in report.outcomes[1:]]
    assert reasons[0] == "empty file"
    assert "binary file" in reasons[1]
    assert "not valid utf-16-le" in reasons[2]
    assert reasons[3] == "file too large (200 bytes; the limit is 100 bytes)"
    assert reasons[4].startswith("Front matter is not valid YAML")
    assert reasons[5] == "no article text after the front matter"
    assert "never closed" in reasons[6]
    assert all("\n" not in line for line in report.summary_lines())
    assert project.store.articles.count() == 2  # the fixture's article and the good one


def test_a_rejected_file_leaves_no_trace(project, tmp_path):
    tmp_path = tmp_path / "in"
    sources = {s.name for s in project.store.sources.all()}
    write(tmp_path / "a.txt", "---\nsource: Ghost Outlet\n---\n   \n")
    assert import_paths(project, [tmp_path]).rejected == 1
    assert {s.name for s in project.store.sources.all()} == sources


# -- the manifest ----------------------------------------------------------------------------


def test_manifest_rows_and_their_problems(project, tmp_path):
    write(tmp_path / "docs" / "a.txt", "Article A.\n")
    write(tmp_path / "docs" / "b.html", HTML_PAGE)
    write(tmp_path / "docs" / "c.txt", "Article C.\n")
    manifest = write(
        tmp_path / "docs" / "list.csv",
        "file,title,source,published,author,url,notes,words\n"
        "a.txt,Title A,AFP,2024-01-02,Ann,https://a.example,ignored,12\n"
        "b.html,,Example,,,,,\n"
        "missing.txt,T,AFP,,,,,\n"
        ",No file,AFP,,,,,\n"
        "c.txt,too,short\n"
        "a.txt,Again,AFP,,,,,\n"
        "\n",
    )
    report = import_paths(project, [], manifest=manifest)
    lines = report.summary_lines()
    # The extra columns (notes, words) are article variables since migration 0009.
    assert lines == [
        f"rejected: {tmp_path / 'docs' / 'missing.txt'}: list.csv line 4: file not found",
        f"rejected: {manifest}: list.csv line 5: no file named",
        f"rejected: {manifest}: list.csv line 6: 3 values for 8 columns",
        f"rejected: {tmp_path / 'docs' / 'a.txt'}: list.csv line 7: listed again (line 2 is used)",
        "Import finished: 2 imported, 0 duplicate, 4 rejected, 0 skipped.",
    ]
    first, source = article(project, report.outcomes[0].article_id)
    assert (first.title, source, first.published, first.author, first.url) == (
        "Title A", "AFP", "2024-01-02", "Ann", "https://a.example",
    )  # fmt: skip
    variables = {v.name: v.value for v in project.variables.of_article(first.id)}
    assert variables == {"notes": "ignored", "words": "12"}
    assert project.variables.of_article(report.outcomes[1].article_id) == []  # blank cells


def test_manifest_files_also_in_a_folder_are_imported_once(project, tmp_path):
    tmp_path = tmp_path / "in"
    write(tmp_path / "a.txt", "Article A.\n")
    manifest = write(tmp_path / "m.csv", "file,source\na.txt,AFP\n")
    items = plan_import([tmp_path], manifest=manifest)
    assert [(i.path.name, i.metadata.source) for i in items] == [
        ("a.txt", "AFP"),
        ("m.csv", None),  # the folder's CSV is no article: skipped
    ]


def test_manifest_with_bom_and_semicolons(project, tmp_path):
    write(tmp_path / "a.txt", "Article A.\n")
    manifest = write(tmp_path / "m.csv", "\ufefffile;title;source\r\na.txt;Semi;Le Monde\r\n")
    [outcome] = import_paths(project, [], manifest=manifest).outcomes
    stored, source = article(project, outcome.article_id)
    assert (stored.title, source) == ("Semi", "Le Monde")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("file,title\nä.txt,Caf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        (PNG, "not UTF-8 text"),
        ('{"articles": ["a.txt"]}\n', "no 'file' column"),
        ("file,title,title\na.txt,x,y\n", "'title' appears more than once"),
        ("", "empty file"),
        ('file,title\n"a.txt,unterminated\n' + "x" * 200_000, "not a readable CSV file"),
    ],
    ids=["latin-1", "binary", "json", "repeated-column", "empty", "huge-field"],
)
def test_an_unreadable_manifest_is_one_line_and_the_paths_still_import(
    project, tmp_path, content, reason
):
    manifest = write(tmp_path / "m.csv", content)
    good = write(tmp_path / "good.txt", "Good article.\n")
    report = import_paths(project, [good], manifest=manifest, source="S")
    assert [o.status for o in report.outcomes] == [ImportStatus.REJECTED, ImportStatus.IMPORTED]
    assert report.outcomes[0].path == manifest
    assert report.outcomes[0].reason.startswith("manifest not imported: ")
    assert reason in report.outcomes[0].reason


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(13, "Permission denied"), "cannot read the file (Permission denied)"),
        (RuntimeError("a bug"), "unexpected error (RuntimeError: a bug)"),
    ],
)
def test_a_manifest_that_fails_to_read_is_one_line_and_the_paths_still_import(
    project, tmp_path, monkeypatch, error, reason
):
    def failing(path, **kwargs):
        raise error

    monkeypatch.setattr(manifest_module, "read_capped", failing)
    manifest = write(tmp_path / "m.csv", "file\ngood.txt\n")
    good = write(tmp_path / "good.txt", "Good article.\n")
    report = import_paths(project, [good], manifest=manifest, source="S")
    assert [(o.status, o.reason) for o in report.outcomes] == [
        (ImportStatus.REJECTED, f"manifest not imported: {reason}"),
        (ImportStatus.IMPORTED, "as 'Good article.'"),
    ]


def test_a_missing_manifest_is_reported(project, tmp_path):
    [outcome] = import_paths(project, [], manifest=tmp_path / "nope.csv").outcomes
    assert outcome.status is ImportStatus.REJECTED and "file not found" in outcome.reason


# -- the API a progress dialog needs ---------------------------------------------------------


def test_planning_reads_no_article_and_importing_can_stop_at_any_item(project, tmp_path):
    tmp_path = tmp_path / "in"
    for n in range(3):
        write(tmp_path / f"{n}.txt", f"Article number {n}.\n")
    items = plan_import([tmp_path])
    assert all(isinstance(i, ImportItem) and i.verdict is None for i in items)
    (tmp_path / "2.txt").unlink()  # planning did not read it; importing will notice
    before = project.store.articles.count()
    steps = import_items(project, items, source="AFP")
    first = next(steps)
    assert first.status is ImportStatus.IMPORTED
    assert project.store.articles.count() == before + 1  # committed before it was yielded
    steps.close()  # the user pressed Cancel
    assert project.store.articles.count() == before + 1
    rest = list(import_items(project, items[1:], source="AFP"))
    assert [o.status for o in rest] == [ImportStatus.IMPORTED, ImportStatus.REJECTED]
    assert rest[1].reason == "file not found"


def test_report_counts_and_frozen_values(project, tmp_path):
    report = import_paths(project, [write(tmp_path / "a.txt", "A.\n")], source="S")
    assert (report.imported, report.duplicates, report.rejected, report.skipped) == (1, 0, 0, 0)
    assert report.summary_lines() == [
        "Import finished: 1 imported, 0 duplicate, 0 rejected, 0 skipped."
    ]
    with pytest.raises(AttributeError):
        report.outcomes[0].status = ImportStatus.REJECTED  # type: ignore[misc]
    assert ImportReport.from_outcomes(iter(report.outcomes)) == report


def test_html_date_is_only_taken_when_the_page_states_it(project, tmp_path, no_network):
    page = (
        "<html><head><title>Yellen warns</title></head><body><article><h1>Yellen warns</h1>"
        "<p>Treasury Secretary Janet Yellen said on Monday that overcapacity threatens "
        "American workers, according to remarks released by the Treasury.</p></article>"
        "<footer>© 2024 Example News</footer></body></html>"
    )
    guessed = write(tmp_path / "no-date.html", page)
    stated = write(
        tmp_path / "dated.html",
        page.replace(
            "<head>", '<head><meta property="article:published_time" content="2024-04-02">'
        ).replace("Monday", "Tuesday"),
    )
    report = import_paths(project, [guessed, stated], source="Example")
    published = {
        o.path.name: project.store.articles.get(o.article_id).published for o in report.outcomes
    }
    assert published == {"no-date.html": None, "dated.html": "2024-04-02"}


# -- hostile and unlucky files ---------------------------------------------------------------


def alias_bomb(levels: int) -> str:
    """Billion laughs: each level a list of nine aliases to the one before."""
    names = "abcdefghi"[:levels]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['x'] * 9)}]"]
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in itertools.pairwise(names)]
    return "---\n" + "\n".join(lines) + f"\ntitle: *{names[-1]}\nsource: AFP\n---\nBody.\n"


def test_an_alias_bomb_is_refused_at_once_and_the_other_files_import(project, tmp_path):
    folder = tmp_path / "in"
    write(folder / "1-good.txt", "A good article.\n")
    write(folder / "2-bomb.md", alias_bomb(9))  # 9**9 strings once expanded
    write(folder / "3-good.txt", "Another good article.\n")
    started = time.perf_counter()
    report = import_paths(project, [folder], source="Wire")
    assert time.perf_counter() - started < 2  # a guard against the expansion, not a benchmark
    assert [o.status for o in report.outcomes] == [
        ImportStatus.IMPORTED, ImportStatus.REJECTED, ImportStatus.IMPORTED,
    ]  # fmt: skip
    assert report.outcomes[1].reason == (
        "Front matter uses YAML aliases (&/*), which are not allowed."
    )


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", 1_000), ("source", 200), ("published", 100), ("author", 1_000), ("url", 2_000)],
)
def test_an_overlong_field_refuses_the_file_and_says_which(project, tmp_path, field, limit):
    folder = tmp_path / "in"
    write(folder / "fits.txt", f"---\n{field}: {'y' * limit}\n---\nThis one fits.\n")
    write(folder / "long.txt", f"---\n{field}: {'z' * (limit + 1)}\n---\nThis one does not.\n")
    report = import_paths(project, [folder], source="Wire")
    fits, long = report.outcomes
    assert fits.status is ImportStatus.IMPORTED, fits.reason
    stored, source = article(project, fits.article_id)
    assert (source if field == "source" else getattr(stored, field)) == "y" * limit
    assert long.status is ImportStatus.REJECTED
    assert long.reason == (
        f"{field} too long in the front matter ({limit + 1:,} characters; the limit is {limit:,})"
    )


def test_only_the_value_stored_is_measured_and_its_origin_is_named(project, tmp_path):
    folder = tmp_path / "in"
    long_title = "---\ntitle: " + "t" * 1_001 + "\n---\n"
    write(folder / "a.txt", long_title + "Overridden by the manifest.\n")
    write(folder / "b.txt", "Given a long author by the manifest.\n")
    manifest = write(folder / "m.csv", f"file,title,author\na.txt,Short,\nb.txt,,{'a' * 1_001}\n")
    report = import_paths(project, [], manifest=manifest, source="AFP")
    assert [(o.path.name, o.status, o.reason) for o in report.outcomes] == [
        ("a.txt", ImportStatus.IMPORTED, "as 'Short'"),
        ("b.txt", ImportStatus.REJECTED,
         "author too long in the manifest (1,001 characters; the limit is 1,000)"),
    ]  # fmt: skip
    [flag] = import_paths(project, [write(folder / "c.txt", "C.\n")], source="S" * 201).outcomes
    assert flag.reason == "source too long given for the import (201 characters; the limit is 200)"


def test_brat_metadata_is_measured_too(project, tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.txt", "Xi spoke.\n")
    write(folder / "a.ann", "T1\tSource 0 2\tXi\n")
    [outcome] = import_paths(project, [folder], format="brat", source="S" * 201).outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert (
        outcome.reason == "source too long given for the import (201 characters; the limit is 200)"
    )


def test_an_unexpected_error_in_one_file_is_one_refused_line(project, tmp_path, monkeypatch):
    real = article_files.split_front_matter

    def parser_with_a_bug(text: str):
        if "TRIGGER" in text:
            raise RuntimeError("a bug in the parser\nspanning lines")
        return real(text)

    monkeypatch.setattr(article_files, "split_front_matter", parser_with_a_bug)
    folder = tmp_path / "in"
    write(folder / "1.txt", "First article.\n")
    write(folder / "2.txt", "---\ntitle: TRIGGER\n---\nSecond article.\n")
    write(folder / "3.txt", "Third article.\n")
    report = import_paths(project, [folder], source="Wire")
    assert [o.status for o in report.outcomes] == [
        ImportStatus.IMPORTED, ImportStatus.REJECTED, ImportStatus.IMPORTED,
    ]  # fmt: skip
    assert report.outcomes[1].reason == (
        "could not be read: unexpected error (RuntimeError: a bug in the parser spanning lines)"
    )
    assert report.summary_lines()[-1] == (
        "Import finished: 2 imported, 0 duplicate, 1 rejected, 0 skipped."
    )


# -- files outside the imported folder -------------------------------------------------------


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file beside the imported folders, standing for /etc/hostname or ~/.ssh/config."""
    return write(tmp_path / "private" / "secret.txt", "Not for the project.\n")


def test_manifest_rows_leaving_its_folder_are_refused(project, tmp_path, secret):
    docs = tmp_path / "corpus" / "docs"
    write(docs / "a.txt", "Article A.\n")
    write(docs / "sub" / "b.txt", "Article B.\n")
    (docs / "link-out.txt").symlink_to(secret)
    (docs / "link-in.txt").symlink_to(docs / "sub" / "b.txt")
    manifest = write(
        docs / "list.csv",
        "file,source\n"
        "a.txt,AFP\n"
        "../../private/secret.txt,AFP\n"
        f"{secret},AFP\n"
        "link-out.txt,AFP\n"
        f"{docs / 'sub' / '..' / 'sub' / 'b.txt'},AFP\n"  # absolute, but inside: fine
        "link-in.txt,AFP\n"  # the same file again, through a link that stays inside
        "a\x00.txt,AFP\n",
    )
    report = import_paths(project, [], manifest=manifest)
    assert [(o.status, o.reason) for o in report.outcomes] == [
        (ImportStatus.IMPORTED, "as 'Article A.'"),
        (ImportStatus.IMPORTED, "as 'Article B.'"),
        *[
            (ImportStatus.REJECTED,
             f"list.csv line {n}: leads outside the manifest's folder (to {secret})")
            for n in (3, 4, 5)
        ],
        (ImportStatus.REJECTED, "list.csv line 7: listed again (line 6 is used)"),
        (ImportStatus.REJECTED, "list.csv line 8: not a usable file name"),
    ]  # fmt: skip
    titles = {s.title for s in project.store.articles.summaries()}
    assert "Not for the project." not in titles


def test_links_leaving_an_imported_folder_are_refused_and_links_inside_it_kept(
    project, tmp_path, secret
):
    folder = tmp_path / "in"
    write(folder / "a.txt", "Article A.\n")
    write(folder / "sub" / "real.dat", "Reached through a link inside the folder.\n")
    (folder / "hostname.txt").symlink_to("/etc/hostname")
    (folder / "inside.txt").symlink_to(Path("sub", "real.dat"))
    (folder / "sub" / "out.txt").symlink_to(Path("..", "..", "private", "secret.txt"))
    (folder / "loop.txt").symlink_to("loop.txt")
    report = import_paths(project, [folder], source="Wire")
    by_name = {o.path.name: (o.status, o.reason) for o in report.outcomes}
    assert by_name == {
        "a.txt": (ImportStatus.IMPORTED, "as 'Article A.'"),
        "hostname.txt": (
            ImportStatus.REJECTED,
            f"leads outside the imported folder (to {Path('/etc/hostname').resolve()})",
        ),
        "inside.txt": (ImportStatus.IMPORTED, "as 'Reached through a link inside the folder.'"),
        "loop.txt": (ImportStatus.REJECTED, "cannot be followed (a link loop)"),
        "out.txt": (ImportStatus.REJECTED, f"leads outside the imported folder (to {secret})"),
        "real.dat": (ImportStatus.SKIPPED, "not a text or HTML file (.txt, .md, .html, .htm)"),
    }


def test_a_brat_ann_leaving_the_folder_is_refused(project, tmp_path, secret):
    folder = tmp_path / "in"
    write(folder / "a.txt", "Xi spoke.\n")
    (folder / "a.ann").symlink_to(secret)
    [outcome] = import_paths(project, [folder], format="brat", source="W").outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert outcome.reason == f"its .ann leads outside the imported folder (to {secret})"


def test_a_file_named_explicitly_may_be_a_link_anywhere(project, tmp_path, secret):
    link = tmp_path / "in" / "named.txt"
    link.parent.mkdir()
    link.symlink_to(secret)
    [outcome] = import_paths(project, [link], source="Wire").outcomes
    assert outcome.status is ImportStatus.IMPORTED
