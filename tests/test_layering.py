"""The rules of DESIGN.md that keep the code easy to change, checked on every run.

import-linter checks the layer order (pyproject's [tool.importlinter]); the plain walk below
checks the same import bans without it, and also looks for SQL outside the store, which no
import rule can see.
"""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "annotator"
QT = {"PySide6", "shiboken6", "pyqtgraph"}
SQLITE = {"sqlite3", "sqlite_utils"}
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)|PRAGMA\s+\w+)\b",
    re.DOTALL,  # upper case, as this project writes SQL, so prose such as "Select ... from" passes
)


def modules_in(*parts: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*parts).rglob("*.py")) if parts else []


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def qt_free_modules() -> list[Path]:
    return [
        *modules_in("core"), *modules_in("store"), *modules_in("services"),
        *modules_in("cli"), PACKAGE / "resources.py",
    ]  # fmt: skip


@pytest.mark.parametrize("path", qt_free_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_qt_outside_the_ui(path):
    assert not imported_roots(path) & QT


def sqlite_free_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts]


@pytest.mark.parametrize("path", sqlite_free_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_sqlite_and_no_sql_outside_the_store(path):
    assert not imported_roots(path) & SQLITE
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert not [s for s in strings if SQL.search(s)]


def test_sql_pattern_catches_sql_and_spares_prose():
    assert SQL.search("SELECT id FROM codes")
    assert SQL.search("PRAGMA user_version")
    assert not SQL.search("Select text, then press C to create a claim from the selection")


def test_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the test extra"
    result = subprocess.run([lint], capture_output=True, text=True, cwd=PACKAGE.parent, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
