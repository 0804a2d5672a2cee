"""The codebook manager's Reassign clashing colours: one undo step, said in the status line,
and the article view draws the new colour."""

import contextlib

from annotator.core.errors import ValidationError
from annotator.core.model import CodeKind
from annotator.core.palette import MIN_DISTANCE, distance, next_colour
from tests.ui.test_codebook_manager import open_manager


def test_reassign_clashing_colours_is_one_undo_step(qtbot, window, gui_project):
    with contextlib.suppress(ValidationError):  # the starter's last codes, see the service test
        gui_project.codebook.spread_colours()
    shipping = next_colour(c.colour for c in gui_project.store.codes.all())
    gui_project.codebook.create(CodeKind.ISSUE, "Shipping", colour=shipping)
    gui_project.codebook.create(CodeKind.ISSUE, "Ports", colour=shipping)  # the same colour
    manager = open_manager(window, qtbot, CodeKind.ISSUE, "Ports")
    messages: list[str] = []
    manager.message.connect(messages.append)
    manager.qactions["spread"].trigger()
    ports = gui_project.store.codes.by_name(CodeKind.ISSUE, "Ports")
    assert distance(ports.colour, shipping) >= MIN_DISTANCE
    assert messages == ["New colours for “Ports”; Undo restores them."]
    assert window.stack.count() == 1
    assert window.stack.undoText() == "Reassign 1 clashing colour"
    window.controller.undo()
    assert gui_project.store.codes.by_name(CodeKind.ISSUE, "Ports").colour == shipping
    manager.qactions["spread"].trigger()
    manager.qactions["spread"].trigger()  # nothing left: a line, no step
    assert messages[-1] == "No two codes have colours too close to tell apart."
    assert window.stack.count() == 1
