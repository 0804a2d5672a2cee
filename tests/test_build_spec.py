"""build_app.spec's lists, checked against the tree: a moved resource, an icon that is gone or
an excluded module the app imports fails here, loudly, instead of in a user's first start.

The spec runs only inside PyInstaller, so its UPPER_CASE lists are read as literals.
"""

import ast
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.resources import MARKER, data_root
from annotator.services.import_files import html_article

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build_app.spec"


def spec_constants() -> dict[str, Any]:
    constants = {}
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.isupper():
                try:
                    constants[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue  # computed at build time, e.g. ROOT from SPECPATH
    return constants


CONSTANTS = spec_constants()


def test_the_spec_names_its_lists_as_literals():
    expected = {"ENTRY", "APP_NAME", "DATA_FOLDERS", "ICONS", "COLLECT_DATA", "EXCLUDED_MODULES",
                "QT_PLUGINS", "LEFT_OUT_PATHS", "DATA_LEFT_OUT"}  # fmt: skip
    assert expected <= set(CONSTANTS)
    assert CONSTANTS["APP_NAME"] == "Annotator"
    assert (ROOT / CONSTANTS["ENTRY"]).is_file()


def test_bundled_data_folders_are_the_ones_the_app_finds():
    bundled = {dest: ROOT / src for src, dest in CONSTANTS["DATA_FOLDERS"]}
    assert set(bundled) == {"resources", "sample_articles"}
    # In the bundle, data_root() is the bundle's top: each folder keeps its name there.
    assert bundled["resources"] == data_root() / "resources"
    assert bundled["sample_articles"] == data_root() / "sample_articles"
    assert (bundled["resources"] / MARKER).is_file()
    assert list(bundled["sample_articles"].glob("*.txt"))


def test_nothing_the_app_needs_is_left_out_of_the_data():
    for path in CONSTANTS["DATA_LEFT_OUT"]:
        assert path.startswith(("resources/", "sample_articles/"))
        assert not path.endswith((MARKER, ".txt", ".yaml"))
        assert not path.startswith("resources/icons/")


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_every_platform_has_an_icon(platform):
    icon = ROOT / CONSTANTS["ICONS"][platform]
    assert icon.is_file() and icon.stat().st_size > 0
    assert icon.is_relative_to(ROOT / "resources" / "icons")


@pytest.mark.parametrize("package", CONSTANTS["COLLECT_DATA"])
def test_packages_collected_for_their_data_still_have_data(package):
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin, package
    files = [p for p in Path(spec.origin).parent.rglob("*") if p.is_file()]
    assert [p for p in files if p.suffix not in {".py", ".pyc", ".pyi", ".typed"}], package


def test_trafilatura_reads_its_settings_file():
    spec = importlib.util.find_spec("trafilatura")
    assert spec is not None and spec.origin
    assert (Path(spec.origin).parent / "settings.cfg").is_file()  # read when it is imported


def app_imports() -> set[str]:
    names = set()
    for path in (ROOT / "annotator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_no_module_the_app_imports_is_excluded():
    excluded = CONSTANTS["EXCLUDED_MODULES"]
    clashes = {
        name for name in app_imports() for gone in excluded
        if name == gone or name.startswith(gone + ".")
    }  # fmt: skip
    assert not clashes


def test_modules_pyqtgraph_needs_at_start_up_stay():
    # pyqtgraph 0.14 imports these when it loads; without them the chart cannot open.
    for needed in ("PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvg", "numpy"):
        assert needed not in CONSTANTS["EXCLUDED_MODULES"]


def test_each_platform_keeps_its_qt_platform_plugin():
    kept = CONSTANTS["QT_PLUGINS"]["platforms"]
    for plugin in ("qxcb", "qwayland", "qwindows", "qcocoa", "qoffscreen"):  # offscreen: self-test
        assert plugin in kept


def test_an_html_date_never_needs_dateparser_which_the_bundle_leaves_out(monkeypatch):
    """htmldate calls dateparser only in an extensive date search; html_article turns that
    off. Should it ever be turned on, dateparser must come back into the bundle."""
    assert "dateparser" in CONSTANTS["EXCLUDED_MODULES"]
    monkeypatch.setitem(sys.modules, "dateparser", None)  # importing it now fails
    page = (
        "<html><head><title>Talks resume</title></head><body><article>"
        "<p>Publicado 2 abril de 2024.</p>"  # a date only dateparser reads
        "<p>Negotiators met again in Geneva to discuss export controls on chips, "
        "officials said, describing the talks as frank and detailed.</p>"
        "</article></body></html>"
    )
    draft = html_article(page)
    assert "Negotiators met again in Geneva" in draft.text
