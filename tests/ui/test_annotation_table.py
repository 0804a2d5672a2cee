"""The annotation table after a merge: a Coder column, and sorting by any column."""

from PySide6.QtCore import QPoint, Qt

from annotator.core.model import CodeKind
from annotator.services.annotations import AnnotationService
from annotator.services.team.adjudication import CurationService
from tests.conftest import TRICKY_TEXT, code_id

CODER = 5
FLAGS, EMOJI = TRICKY_TEXT[0:5], TRICKY_TEXT[6:9]


def click_header(qtbot, table, column: int) -> None:
    header = table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)


def shown(table, column: int) -> list[str]:
    model = table.table_model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_coder_column_tells_identical_rows_apart_and_sorts(qtbot, window, gui_project):
    store = gui_project.store
    article_id = window.view.article.id
    xi = code_id(gui_project, CodeKind.SPEAKER, "Xi Jinping")
    for coder, spans in (("bob", [(0, 5), (6, 9)]), ("alice", [(0, 5), (6, 9)])):
        for span in spans:
            AnnotationService(store, coder).create_speaker_mention(article_id, [span], xi)
    CurationService(store, "alice", "bob").adjudicate(prefer="A")
    window.hub.annotations_changed.emit(article_id)
    table = window.panel.table
    model = table.table_model
    assert model.headerData(CODER, Qt.Orientation.Horizontal) == "Coder"
    # Reading order: three identical-looking rows per span, told apart by their coder.
    assert shown(table, 2) == [FLAGS] * 3 + [EMOJI] * 3
    assert sorted(shown(table, CODER)[:3]) == ["alice", "bob", "gold"]

    table.selectRow(1)
    chosen = table.current_id()
    click_header(qtbot, table, CODER)
    assert shown(table, CODER) == ["alice", "alice", "bob", "bob", "gold", "gold"]
    assert shown(table, 2) == [FLAGS, EMOJI] * 3  # ties keep reading order
    assert table.current_id() == chosen  # the selection follows its annotation
    click_header(qtbot, table, CODER)
    assert shown(table, CODER) == ["gold", "gold", "bob", "bob", "alice", "alice"]
    assert shown(table, 2) == [FLAGS, EMOJI] * 3  # also descending

    window.hub.annotations_changed.emit(article_id)  # reloaded: still sorted
    assert shown(table, CODER)[0] == "gold"
    click_header(qtbot, table, CODER)  # a third click: reading order again
    assert shown(table, 2) == [FLAGS] * 3 + [EMOJI] * 3
    assert table.current_id() == chosen
