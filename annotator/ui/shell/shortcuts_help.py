"""The keyboard-shortcut help (F1), listing what the menus hold."""

import html
from typing import cast

from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

WORKFLOW = """<p><b>One claim from the keyboard:</b> select text (Shift+arrows or the mouse),
press <b>C</b>, type part of the speaker's name, <b>Enter</b>, type part of an issue,
<b>Enter</b>; <b>Esc</b> returns to the article. <b>S</b> and <b>I</b> work the same way for
speaker mentions and issue passages. Enter on a name that matches nothing creates nothing:
it shows the closest names (Down, Enter picks one); only <b>Shift+Enter</b> creates a new code
from the typed name.</p>
<p><b>Codebook manager</b> (Ctrl+Shift+B): F2 rename, Delete delete, Insert new,
Ctrl+Shift+Right / Left move an issue under the one above / out one level, Ctrl+Shift+U move
under a chosen issue, Ctrl+Shift+M merge, Ctrl+Return apply the edited fields.</p>"""


#: The Qt property holding an action's name as built: its text may be a live label
#: ("Undo Accept 9 suggestions") that the list of shortcuts should not show.
NAME = "action_name"


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(action name, keys) for every menu action with a shortcut, in menu order."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = cast(QMenu | None, menu_action.menu())  # typed QObject: QtGui knows no QMenu
        for action in menu.actions() if menu else []:
            keys = ", ".join(k.toString() for k in action.shortcuts())
            name = str(action.property(NAME) or action.text()).replace("&", "")
            if keys and name:
                rows.append((name, keys))
    return rows


def show_shortcuts(window: QMainWindow) -> None:
    rows = [
        f"<tr><td>{html.escape(name)}</td><td><b>{keys}</b></td></tr>"
        for name, keys in shortcut_rows(window)
    ]
    QMessageBox.information(
        window,
        "Keyboard shortcuts",
        WORKFLOW + "<table cellpadding='3'>" + "".join(rows) + "</table>",
    )
