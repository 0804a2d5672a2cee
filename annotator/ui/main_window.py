"""The main window."""

from PySide6.QtWidgets import QLabel, QMainWindow

from annotator.services.project import Project
from annotator.services.reports import project_stats


class MainWindow(QMainWindow):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.setWindowTitle(f"Annotator — {project.path.name if project.path else 'in memory'}")
        stats = project_stats(project.store)
        self.setCentralWidget(QLabel(f"{stats['articles']} articles"))
        self.resize(1200, 800)
