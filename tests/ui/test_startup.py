"""What the window loads at start: numpy and pyqtgraph wait for the Coverage tab, the
importers for File > Import, the agreement measures for their tab; and started as
``annotator``, no command's module."""

import os
import subprocess
import sys
from pathlib import Path

STARTUP = """
import sys
from pathlib import Path
import annotator.cli  # as the `annotator` command starts the window
from annotator.app import create_application
app = create_application()
from annotator.services.project import open_project
from annotator.ui.shell.main_window import MainWindow
project = open_project(Path(sys.argv[1]), annotator="tester")
window = MainWindow(project)
window.show()
app.processEvents()
heavy = {"numpy", "pyqtgraph", "trafilatura", "chardet", "lxml",
         "annotator.services.interchange.importing", "annotator.services.team.agreement",
         "annotator.cli.export", "annotator.cli.import_articles", "annotator.cli.coverage"}
loaded = sorted((set(sys.modules) | {m.split(".")[0] for m in sys.modules}) & heavy)
window.close()
project.close()
print(",".join(loaded) or "none")
"""


def test_the_window_starts_without_what_it_does_not_show_yet(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", STARTUP, str(tmp_path / "p.annotator")],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "none"
