"""Shared fixtures. Every test runs with its own application-data folder, so nothing ever
touches a real user's projects, and Qt (where a test loads it) runs offscreen."""

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.model import Annotation, AnnotationKind, CodeKind
from annotator.core.spans.fragments import make_fragments
from annotator.services.project import Project, open_project
from annotator.store import Store

#: Emoji (two UTF-16 units each), curly quotes, an ellipsis, CRLF line ends and a NUL:
#: everything that makes code points, UTF-16 units and bytes disagree.
TRICKY_TEXT = (
    "Flags 🇺🇸🇨🇳 first.\r\n"
    "“We will not sit back,” Xi said 😠 — and Biden’s aide replied… “fine.”\r\n"
    "Done.\x00"
)


@pytest.fixture(autouse=True)
def _summary_matches_recount(request: pytest.FixtureRequest, monkeypatch) -> Iterator[None]:
    """After every test, each project it wrote to has a coverage summary equal to a recount
    (what ``annotator check`` compares): checked as each store closes, and at the end for the
    stores still open. A test that damages the summary on purpose is marked
    ``summary_may_differ``."""
    if request.node.get_closest_marker("summary_may_differ"):
        yield
        return
    opened: list[Store] = []
    found: list[str] = []
    original_init, original_close = Store.__init__, Store.close

    def init(self: Store, db: Database, path: Path | None) -> None:
        original_init(self, db, path)
        opened.append(self)

    def close(self: Store) -> None:
        if self in opened:
            opened.remove(self)
            found.extend(_summary_differences(self, original_init))
        original_close(self)

    monkeypatch.setattr(Store, "__init__", init)
    monkeypatch.setattr(Store, "close", close)
    yield
    for store in opened:
        found.extend(_summary_differences(store, original_init))
    assert not found, found[:5]


def _summary_differences(store: Store, init: Callable[..., None]) -> list[str]:
    """Compared on an in-memory copy: the comparison recomputes inside a savepoint, which
    would still bump the file's change counter, and tests compare files byte for byte."""
    try:
        if store.in_transaction:
            return []
        copy = sqlite3.connect(":memory:")
        store._db.conn.backup(copy)
    except sqlite3.ProgrammingError:  # closed already (a test closed the connection itself)
        return []
    try:
        checked = Store.__new__(Store)
        init(checked, Database(copy), None)
        return checked.coverage.summary_differences()
    finally:
        copy.close()


@pytest.fixture(autouse=True)
def _isolated_app_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "study.annotator"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    """A real project file with the starter codebook and one tricky article."""
    with open_project(project_path, annotator="alice") as opened:
        opened.articles.add(TRICKY_TEXT, source="Test Wire", title="Tricky")
        yield opened


@pytest.fixture
def article_id(project: Project) -> str:
    return project.store.articles.summaries()[0].id


def code_id(project: Project, kind: CodeKind, name: str) -> str:
    code = project.store.codes.by_name(kind, name)
    assert code is not None, name
    return code.id


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two equal results mean two equal databases."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def loose_annotation(
    text: str, annotation_id: str, kind: AnnotationKind, spans: Iterable[tuple[int, int]]
) -> Annotation:
    """An annotation of ``text`` outside any project, for the span index and painting tests."""
    return Annotation(
        id=annotation_id, article_id="a", kind=kind, fragments=make_fragments(text, spans),
        annotator="t", created_at="", updated_at="",
    )  # fmt: skip
