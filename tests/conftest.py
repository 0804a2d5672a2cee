"""Shared fixtures. Every test runs with its own application-data folder, so nothing ever
touches a real user's projects, and Qt (where a test loads it) runs offscreen."""

import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.fragments import make_fragments
from annotator.core.model import Annotation, AnnotationKind, CodeKind
from annotator.services.project import Project, open_project

#: Emoji (two UTF-16 units each), curly quotes, an ellipsis, CRLF line ends and a NUL:
#: everything that makes code points, UTF-16 units and bytes disagree.
TRICKY_TEXT = (
    "Flags 🇺🇸🇨🇳 first.\r\n"
    "“We will not sit back,” Xi said 😠 — and Biden’s aide replied… “fine.”\r\n"
    "Done.\x00"
)


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
