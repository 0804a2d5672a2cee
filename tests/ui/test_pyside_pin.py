"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call that returns
nothing, and the interpreter aborts ("none_dealloc") after about 5,000 of them. The pin in
pyproject.toml avoids it; this fails loudly if an upgrade brings it back."""

import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_do_not_leak_references_to_none(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    # Checked every 100 calls so a broken PySide6 fails here, before None's count reaches
    # zero and takes the interpreter down. Others may take or drop a few references meanwhile.
    for done in range(100, 20_001, 100):
        for _ in range(100):
            widget.setObjectName("x")
        now = sys.getrefcount(None)
        assert now > before - 500, f"None lost {before - now} references after {done} calls"
