"""Imports commit in batches: a file that fails is undone alone, and nothing else is lost."""

import sqlite3
from pathlib import Path

import pytest

from annotator.core.model import AnnotationKind
from annotator.services.interchange import article_files, importing
from annotator.services.interchange.importing import (
    ImportStatus,
    import_items,
    import_paths,
    plan_import,
)
from annotator.services.project import Project, WriteError
from annotator.store.files import project_file
from tests.conftest import table_rows

MAP = {"Source": AnnotationKind.SPEAKER, "Content": AnnotationKind.CLAIM}


def brat_pair(folder: Path, name: str, words: list[str]) -> Path:
    """A text of numbered words, each one a speaker mention on line n of the .ann."""
    folder.mkdir(parents=True, exist_ok=True)
    text = " ".join(words) + "\n"
    lines, start = [], 0
    for n, word in enumerate(words, start=1):
        lines.append(f"T{n}\tSource {start} {start + len(word)}\t{word}")
        start += len(word) + 1
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / f"{name}.txt"


def poison(path: Path, quote: str) -> None:
    """Make the database itself refuse a fragment quoting ``quote``: a failure no check before
    the insert can foresee, as a constraint or trigger added later would be."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "CREATE TRIGGER poison BEFORE INSERT ON fragments "
            f"WHEN NEW.quote = '{quote}' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
        )
        conn.commit()
    finally:
        conn.close()


def committed_articles(path: Path) -> int:
    """What another connection sees: only committed rows."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def test_a_file_whose_500th_annotation_is_refused_changes_nothing(
    project: Project, project_path: Path, tmp_path: Path
):
    words = [f"Speaker{n}" for n in range(1, 601)]
    words[499] = "POISON"
    brat_pair(tmp_path / "c", "a", words)
    poison(project_path, "POISON")
    before = table_rows(project_path)
    [outcome] = import_paths(
        project, [tmp_path / "c"], format="brat", source="AFP", brat_map=MAP
    ).outcomes
    assert outcome.status is ImportStatus.REJECTED
    assert outcome.reason.startswith("T500 (line 500): the project refused this annotation")
    assert "poisoned" in outcome.reason and "nothing of this file was imported" in outcome.reason
    assert table_rows(project_path) == before  # no article, no new speaker code, no annotation


def test_good_and_bad_files_in_one_batch(project: Project, project_path: Path, tmp_path: Path):
    folder = tmp_path / "c"
    brat_pair(folder, "1-good", [f"Alpha{n}" for n in range(300)])
    brat_pair(folder, "2-bad", ["Beta", "POISON", "Gamma"])
    brat_pair(folder, "3-good", ["Delta", "Epsilon"])
    poison(project_path, "POISON")
    articles = project.store.articles.count()
    report = import_paths(project, [folder], format="brat", source="AFP", brat_map=MAP)
    assert [(o.path.name, o.status) for o in report.outcomes] == [
        ("1-good.txt", ImportStatus.IMPORTED),
        ("2-bad.txt", ImportStatus.REJECTED),
        ("3-good.txt", ImportStatus.IMPORTED),
    ]
    assert report.outcomes[1].reason.startswith("T2 (line 2): the project refused")
    assert committed_articles(project_path) == articles + 2
    counts = [
        project.store.annotations.count_for_article(o.article_id or "")
        for o in (report.outcomes[0], report.outcomes[2])
    ]
    assert counts == [300, 2]
    speakers = {c.name for c in project.store.codes.all()}
    assert {"Alpha0", "Delta"} <= speakers and not {"Beta", "Gamma"} & speakers


def test_reimporting_a_brat_folder_changes_nothing(
    project: Project, project_path: Path, tmp_path: Path
):
    folder = tmp_path / "c"
    brat_pair(folder, "a", ["Xi", "Biden", "Xi", "Scholz"])
    text = "Xi said it, Biden said it.\n"
    (folder / "b.txt").write_text(text, encoding="utf-8")
    (folder / "b.ann").write_text(
        "T1\tSource 0 2\tXi\nT2\tContent 3 10\tsaid it\nR1\tSays Arg1:T1 Arg2:T2\n"
        "A1\tStance T2 supports\n#1\tAnnotatorNotes T2\ta note\n",
        encoding="utf-8",
    )
    first = import_paths(project, [folder], format="brat", source="AFP", brat_map=MAP)
    assert first.imported == 2
    [claim] = [
        a
        for a in project.store.annotations.for_article(first.outcomes[1].article_id or "")
        if a.kind is AnnotationKind.CLAIM
    ]
    assert (claim.stance.value if claim.stance else None, claim.note) == ("supports", "a note")
    assert claim.speaker_mention_id is not None and claim.annotator == "alice"
    before = table_rows(project_path)
    again = import_paths(project, [folder], format="brat", source="AFP", brat_map=MAP)
    assert [o.status for o in again.outcomes] == [ImportStatus.DUPLICATE] * 2
    assert again.outcomes[0].details == ("4 annotation(s) already in the project, not added again",)
    assert table_rows(project_path) == before


def test_a_crash_in_one_file_loses_only_that_file(
    project: Project, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(1, 6):
        (folder / f"{n}.txt").write_text(f"Article number {n}.\n", encoding="utf-8")
    real = article_files.add_article

    def crash_on_third(project: Project, text, meta, path: Path):
        added = real(project, text, meta, path)  # written, then the crash: must be undone
        if path.name == "3.txt":
            raise RuntimeError("something unforeseen")
        return added

    monkeypatch.setattr(importing, "add_article", crash_on_third)
    before = committed_articles(project_path)
    seen = []
    with pytest.raises(RuntimeError, match="unforeseen"):
        for outcome in import_items(project, plan_import([folder]), source="AFP"):
            seen.append(outcome.path.name)
    assert seen == ["1.txt", "2.txt"]
    assert committed_articles(project_path) == before + 2  # committed, 3.txt undone
    titles = {s.title for s in project.store.articles.summaries()}
    assert {"Article number 1.", "Article number 2."} <= titles
    assert "Article number 3." not in titles


def test_files_commit_in_batches_and_a_cancel_commits_what_was_yielded(
    project: Project, project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(importing, "BATCH_FILES", 2)
    monkeypatch.setattr(importing, "BATCH_SECONDS", 3600.0)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(f"Article number {n}.\n", encoding="utf-8")
    before = committed_articles(project_path)
    steps = import_items(project, plan_import([folder]), source="AFP")
    seen = []
    for outcome in steps:
        seen.append(outcome)
        if len(seen) == 1:
            assert committed_articles(project_path) == before  # its batch is still open
        if len(seen) == 2:
            assert committed_articles(project_path) == before + 2  # the batch committed
        if len(seen) == 3:
            break  # the user pressed Cancel
    steps.close()
    assert committed_articles(project_path) == before + 3  # exactly what was reported
    assert project.store.articles.count() == before + 3


@pytest.mark.parametrize(
    ("failing_commit", "seen", "saved", "ending"),
    [
        (
            2,
            ["1.txt", "2.txt", "3.txt"],  # 4.txt was done, its batch failed to commit
            2,
            "The import stopped at 4.txt: its batch was not saved, so the 2 files imported since "
            "the last save (3.txt, 4.txt) are not in the project. The 2 files imported before "
            "them are saved.",
        ),
        (
            1,
            ["1.txt"],
            0,
            "The import stopped at 2.txt: its batch was not saved, so the 2 files imported since "
            "the last save (1.txt, 2.txt) are not in the project. Nothing of this import had "
            "been saved before.",
        ),
    ],
)
def test_a_batch_that_cannot_be_saved_says_which_files_are_saved(
    project: Project,
    project_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing_commit: int,
    seen: list[str],
    saved: int,
    ending: str,
):
    """The disk fills while a batch commits: the batches before it are in the project, and the
    message must say so, not that the project is as it was before the import."""
    monkeypatch.setattr(importing, "BATCH_FILES", 2)
    monkeypatch.setattr(importing, "BATCH_SECONDS", 3600.0)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(1, 6):
        (folder / f"{n}.txt").write_text(f"Article number {n}.\n", encoding="utf-8")
    db = project.store._db
    real = project_file.refresh_stale  # runs in every outermost transaction, before COMMIT
    commits = []

    def disk_full_at_a_commit(database):
        real(database)
        commits.append(None)
        if len(commits) == failing_commit:
            pages = database.execute("PRAGMA page_count").fetchone()[0]
            database.execute(f"PRAGMA max_page_count = {pages}")
            database.execute("CREATE TABLE filler (x)")  # needs a page: SQLITE_FULL

    monkeypatch.setattr(project_file, "refresh_stale", disk_full_at_a_commit)
    before = committed_articles(project_path)
    reported = []
    with pytest.raises(WriteError) as failed:
        for outcome in import_items(project, plan_import([folder]), source="AFP"):
            reported.append(outcome.path.name)
    db.execute("PRAGMA max_page_count = 1073741823")
    assert reported == seen
    assert committed_articles(project_path) == before + saved
    message = str(failed.value)
    assert message.startswith("Not saved: the disk is full (study.annotator: ")
    assert "as it was before" not in message
    assert message.endswith(
        f"{ending} Import the rest again: files already in the project are reported as duplicates."
    )
