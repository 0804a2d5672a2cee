"""Import and export from the window: the same services as the CLI, behind dialogs."""

import csv
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.core.model import CodeKind
from annotator.services.interchange.csv_export import CSV_COLUMNS
from annotator.services.project import WriteError
from annotator.ui.shell import transfer
from tests.conftest import code_id


def make_folder(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text("Headline one\n\nBody “quoted” 😠.\n", encoding="utf-8")
    (folder / "two.md").write_text(
        "---\ntitle: Second\nsource: Reuters\n---\nBody two.\n", encoding="utf-8"
    )
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return folder


def quiet_dialogs(monkeypatch, source="Wire"):
    shown = []
    monkeypatch.setattr(transfer, "ask_source", lambda parent, default, count=0: source)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    return shown


def test_import_a_folder_with_a_bad_file(qtbot, window, gui_project, tmp_path, monkeypatch):
    shown = quiet_dialogs(monkeypatch)
    window.files.import_paths([make_folder(tmp_path)])
    titles = {s.title: s.source_name for s in gui_project.store.articles.summaries()}
    assert titles["Headline one"] == "Wire"
    assert titles["Second"] == "Reuters"
    assert len(titles) == 3  # the tricky article, plus the two good files
    assert "1 rejected" in shown[0]
    assert len(window.articles.article_ids()) == 3


def test_drop_files_on_the_window(qtbot, window, gui_project, tmp_path, monkeypatch):
    quiet_dialogs(monkeypatch)
    folder = make_folder(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "one.txt"))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(event)
    assert "Headline one" in {s.title for s in gui_project.store.articles.summaries()}


def test_export_csv_from_the_window(qtbot, window, gui_project, tmp_path, monkeypatch):
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    gui_project.annotations.create_speaker_mention(article_id, [(0, 5)], xi)
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.files.export_csv()
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["code"] == "Xi Jinping"
    assert "1 annotation exported" in window.statusBar().currentMessage()


def test_first_import_into_an_empty_project_opens_an_article(
    qtbot, tmp_path, settings, monkeypatch
):
    from annotator.services.project import open_project
    from annotator.ui.shell.main_window import MainWindow

    quiet_dialogs(monkeypatch)
    with open_project(tmp_path / "empty.annotator", annotator="alice") as project:
        window = MainWindow(project, settings)
        qtbot.addWidget(window)
        assert window.view.article is None
        window.files.import_paths([make_folder(tmp_path)])
        assert window.view.article is not None


def test_codebook_export_then_import_from_the_window(
    qtbot, window, gui_project, tmp_path, monkeypatch
):
    target = tmp_path / "codebook.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.files.export_codebook()
    assert "19 codes exported" in window.statusBar().currentMessage()
    gui_project.codebook.delete(code_id(gui_project, CodeKind.ISSUE, "Taiwan"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    window.files.import_codebook()
    assert gui_project.store.codes.by_name(CodeKind.ISSUE, "Taiwan") is not None
    assert window.panel.issues.model.rowCount() == 12


def test_a_save_that_fails_at_the_end_of_an_import_is_reported(
    qtbot, window, gui_project, tmp_path, monkeypatch
):
    """The last batch commits when the import's iterator is closed; a failure there (a full
    disk, say) must reach the researcher, not vanish with the generator."""
    details = []
    monkeypatch.setattr(transfer, "ask_source", lambda parent, default, count=0: "Wire")
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: details.append(box.detailedText() or box.text()) or 0
    )
    real = transfer.importing.import_items

    def failing_at_close(*args, **kwargs):
        try:
            yield from real(*args, **kwargs)
        finally:
            raise WriteError("Not saved: the disk is full.")

    monkeypatch.setattr(transfer.importing, "import_items", failing_at_close)
    window.files.import_paths([make_folder(tmp_path)])
    assert "The import stopped: Not saved: the disk is full." in details[0]
    assert "import them again" in details[0]


def test_import_asks_no_source_when_every_file_names_one(
    qtbot, window, gui_project, tmp_path, monkeypatch
):
    asked = []
    monkeypatch.setattr(transfer, "ask_source", lambda *args: asked.append(args) or "Wire")
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    (tmp_path / "a.md").write_text("---\ntitle: A\nsource: Reuters\n---\nBody “a” 😠.\n")
    (tmp_path / "b.md").write_text("---\ntitle: B\nsource: AP\n---\nBody b.\n")
    window.files.import_paths([tmp_path / "a.md", tmp_path / "b.md"])
    assert asked == []
    titles = {s.title: s.source_name for s in gui_project.store.articles.summaries()}
    assert (titles["A"], titles["B"]) == ("Reuters", "AP")


def test_import_asks_only_for_the_files_lacking_a_source_and_remembers_per_project(
    qtbot, window, gui_project, tmp_path, monkeypatch, settings
):
    asked = []

    def ask(parent, default, count):
        asked.append((default, count))
        return "Wire"

    monkeypatch.setattr(transfer, "ask_source", ask)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    window.files.import_paths([make_folder(tmp_path)])
    assert asked == [("", 1)]  # one.txt; two.md names Reuters, broken.txt is unreadable
    titles = {s.title: s.source_name for s in gui_project.store.articles.summaries()}
    assert (titles["Headline one"], titles["Second"]) == ("Wire", "Reuters")
    assert "1 rejected" in shown[0]
    assert settings.last_import_source(gui_project.path) == "Wire"
    assert settings.last_import_source(tmp_path / "other.annotator") == ""
    (tmp_path / "three.txt").write_text("Headline three\n\nBody three.\n", encoding="utf-8")
    window.files.import_paths([tmp_path / "three.txt"])
    assert asked[-1] == ("Wire", 1)


def test_cancelling_the_source_leaves_those_files_out_and_says_so(
    qtbot, window, gui_project, tmp_path, monkeypatch
):
    monkeypatch.setattr(transfer, "ask_source", lambda *args: None)
    details = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: details.append(box.detailedText() or box.text()) or 0
    )
    window.files.import_paths([make_folder(tmp_path)])
    titles = {s.title for s in gui_project.store.articles.summaries()}
    assert "Second" in titles and "Headline one" not in titles
    assert "no source" in details[0]


def test_exports_start_in_documents_and_remember_the_last_folder_per_kind(
    qtbot, window, gui_project, tmp_path, monkeypatch
):
    from annotator.ui.save_dialog import documents_folder

    proposed = []
    chosen = tmp_path / "exports 😠"
    chosen.mkdir()

    def save_as(_parent, _title, where, _filter):
        proposed.append(Path(where))
        return str(chosen / Path(where).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    window.files.export_csv()
    assert proposed[-1] == documents_folder() / "gui.csv"
    assert documents_folder() != Path.cwd()
    window.files.export_csv()
    assert proposed[-1] == chosen / "gui.csv"
    window.files.export_codebook()  # another kind: its own folder, documents at first
    assert proposed[-1] == documents_folder() / "codebook.csv"
    assert (chosen / "gui.csv").exists() and (chosen / "codebook.csv").exists()


def test_counts_of_one_are_said_in_the_singular(qtbot, window, gui_project, tmp_path, monkeypatch):
    from annotator.core.wording import plural

    assert (plural(1, "annotation"), plural(0, "annotation")) == ("1 annotation", "0 annotations")
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    gui_project.annotations.create_speaker_mention(article_id, [(0, 5)], xi)
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.files.export_csv()
    assert "1 annotation exported" in window.statusBar().currentMessage()
    assert "1 annotations" not in window.statusBar().currentMessage()


def test_the_import_dialog_opens_in_documents_then_where_the_last_import_was(
    qtbot, window, tmp_path, monkeypatch
):
    from annotator.ui.save_dialog import documents_folder

    started = []
    picked = tmp_path / "wire 😠" / "one.txt"
    picked.parent.mkdir()

    def open_names(_parent, _title, where, _filter):
        started.append(Path(where))
        return [str(picked)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_names)
    assert transfer.choose_import_paths(window) == [picked]
    assert transfer.choose_import_paths(window) == [picked]
    assert started == [documents_folder(), picked.parent]
    assert documents_folder().is_dir()
