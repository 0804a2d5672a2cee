"""The main window's menus: every action, its shortcut and where it is active.

Kept apart from the window so the window holds behaviour and this file the menu bar's
layout; the slots are the window's and its controllers' own.
"""

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.model import ArticleStatus
from annotator.ui.shell.about import show_about
from annotator.ui.shell.analysis_tabs import ANNOTATE_TAB
from annotator.ui.shell.corpus_dialogs import open_retrieve, open_search
from annotator.ui.shell.shortcuts_help import NAME, show_shortcuts

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow


def _action(
    window: "MainWindow",
    menus: dict[str, QMenu],
    menu_name: str,
    text: str,
    slot: object,
    shortcut: QKeySequence | QKeySequence.StandardKey | list[QKeySequence] | None = None,
    tip: str = "",
    *,
    only_in: tuple[QWidget, ...] = (),
) -> QAction:
    """A menu action with its shortcut; ``only_in`` limits the shortcut to those widgets
    (Delete and Alt+arrows mean something else while typing a note)."""
    action = QAction(text, window)
    action.setProperty(NAME, text)  # the name the shortcut list shows (Undo's text changes)
    if shortcut is not None:
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        else:
            action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    menus[menu_name].addAction(action)
    if only_in:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for widget in only_in:
            widget.addAction(action)
    else:
        window.addAction(action)
    return action


def build_menus(window: "MainWindow") -> QMenu:
    """The menu bar of ``window``, every action with its shortcut; returns the
    Open recent menu, which the window fills when it is about to show. Long because it is the
    table of the window's actions, one line each, read top to bottom like the menus."""
    bar = window.menuBar()
    names = ("&File", "&Edit", "&View", "&Annotate", "&Help")
    menus = {name: bar.addMenu(name) for name in names}

    def add(*args: object, **kwargs: object) -> QAction:
        return _action(window, menus, *args, **kwargs)  # type: ignore[arg-type]  # _action's own

    Key = QKeySequence.StandardKey  # noqa: N806
    add("&File", "&New project…", window.files.new_project, Key.New)
    add("&File", "&Open project…", window.files.choose_project, Key.Open)
    recent = menus["&File"].addMenu("Open &recent")
    recent.aboutToShow.connect(window.files.fill_recent)
    menus["&File"].addSeparator()
    add("&File", "&Import articles…", window.files.import_files, QKeySequence("Ctrl+I"),
                 "Text, Markdown or HTML; or drop files and folders on the window")  # fmt: skip
    add("&File", "Import a &folder of articles…", window.files.import_folder)
    add("&File", "&Export annotations as CSV…", window.files.export_csv,
                 QKeySequence("Ctrl+E"))  # fmt: skip
    add("&File", "&Merge another coder's project…", window.files.merge_project)
    menus["&File"].addSeparator()
    add("&File", "Import code&book…", window.files.import_codebook)
    add("&File", "Export codeb&ook…", window.files.export_codebook)
    menus["&File"].addSeparator()
    add("&File", "Export &project as REFI-QDA…", window.files.export_qdpx)
    add("&File", "Import REFI-QDA pro&ject…", window.files.import_qdpx)
    add("&File", "Export ne&twork…", window.files.export_network)
    menus["&File"].addSeparator()
    add("&File", "Coder &name…", window.ask_annotator)
    menus["&File"].addSeparator()
    add("&File", "&Quit", window.close, Key.Quit)

    # Not QUndoStack's own actions: a note still being typed is saved before any undo.
    undo = add("&Edit", "&Undo", window.controller.undo, Key.Undo)
    redo = add("&Edit", "&Redo", window.controller.redo,
                        [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])  # fmt: skip
    undo.setEnabled(False)
    redo.setEnabled(False)
    window.stack.canUndoChanged.connect(undo.setEnabled)
    window.stack.canRedoChanged.connect(redo.setEnabled)
    window.stack.undoTextChanged.connect(lambda t: undo.setText(f"&Undo {t}".strip()))
    window.stack.redoTextChanged.connect(lambda t: redo.setText(f"&Redo {t}".strip()))
    menus["&Edit"].addSeparator()
    add("&Edit", "&Find in article…", window.view.open_find, Key.Find)
    add("&Edit", "Searc&h all articles…", lambda: open_search(window),
        QKeySequence("Ctrl+Shift+F"), "Find in every article; code every hit")  # fmt: skip
    add(
        "&Edit", "&Delete annotation", lambda: window.controller.delete(),
        [QKeySequence(Qt.Key.Key_Delete)], only_in=(window.view.text, window.panel.table),
    )  # fmt: skip

    c = window.controller
    add("&Annotate", "&Claim", c.claim, QKeySequence("C"),
                 "Label the selection a claim, then pick speaker and issues")  # fmt: skip
    add("&Annotate", "&Speaker mention", c.speaker, QKeySequence("S"))
    add("&Annotate", "&Issue passage", c.issue, QKeySequence("I"))
    add("&Annotate", "Add selection as &fragment of claim", c.add_fragment,
                 QKeySequence("F"))  # fmt: skip
    menus["&Annotate"].addSeparator()
    for text, edge, step, keys in (
        ("Extend end", "end", 1, "Alt+Right"),
        ("Shrink end", "end", -1, "Alt+Left"),
        ("Extend start", "start", -1, "Alt+Shift+Left"),
        ("Shrink start", "start", 1, "Alt+Shift+Right"),
    ):
        add(
            "&Annotate",
            text,
            lambda _=False, e=edge, s=step: c.adjust(e, s),
            QKeySequence(keys),
            only_in=(window.view.text, window.panel.table),
        )
    menus["&Annotate"].addSeparator()
    s = window.suggester
    shown = add("&Annotate", "Show s&uggested claims", window._toggle_suggestions)
    shown.setCheckable(True)
    shown.setChecked(s.enabled)
    add("&Annotate", "&Next suggestion", lambda: s.next(), QKeySequence("N"))
    add("&Annotate", "Previous suggestion", lambda: s.next(-1),
                 QKeySequence("Shift+N"))  # fmt: skip
    add("&Annotate", "&Accept suggestion", s.accept, QKeySequence("A"))
    add("&Annotate", "Reject suggestion", s.reject, QKeySequence("X"))
    add("&Annotate", "Accept all suggestions in article…", s.accept_all,
                 QKeySequence("Shift+A"))  # fmt: skip
    menus["&Annotate"].addSeparator()
    snap = add("&Annotate", "Snap selections to &words", window._toggle_snap)
    snap.setCheckable(True)
    snap.setChecked(c.snap_to_words)
    menus["&Annotate"].addSeparator()
    for status, keys in zip(ArticleStatus, ("Ctrl+1", "Ctrl+2", "Ctrl+3"), strict=True):
        add(
            "&Annotate", f"Mark article {status.value}",
            lambda _=False, s=status: window.set_status(s), QKeySequence(keys),
        )  # fmt: skip
    show = window.tabs.setCurrentIndex
    for label, tab, keys in (
        ("&Annotate", ANNOTATE_TAB, "Alt+1"),
        ("&Coverage chart", window.coverage_tab, "Alt+2"),
        ("A&greement between coders", window.agreement_tab, "Alt+3"),
        ("Ad&judicate this article", window.adjudicate_tab, "Alt+4"),
    ):
        add("&View", label, lambda _=False, t=tab: show(t), QKeySequence(keys))
    menus["&View"].addSeparator()
    add("&View", "&Retrieve coded segments…", lambda: open_retrieve(window),
        QKeySequence("Ctrl+Shift+R"), "Every passage coded with one issue or speaker")  # fmt: skip
    add("&View", "Code&book manager", window.codebook.toggle, QKeySequence("Ctrl+Shift+B"),
                 "Rename, recolour, merge, delete and arrange codes")  # fmt: skip
    add("&Help", "&Keyboard shortcuts", lambda: show_shortcuts(window),
                 QKeySequence(Key.HelpContents))  # fmt: skip
    add("&Help", "&About Annotator…", lambda: show_about(window))
    return recent
