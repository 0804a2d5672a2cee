from annotator.services.project import open_project
from annotator.ui.shell.main_window import MainWindow


def test_window_opens_on_the_default_project(qtbot):
    with open_project() as project:
        window = MainWindow(project)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert "default.annotator" in window.windowTitle()
