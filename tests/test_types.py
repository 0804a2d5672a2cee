"""mypy is part of the test run (configured in pyproject's [tool.mypy]: strict on the core, the
store and the services), so a clean CI means the annotations hold.

About 15 s from cold, well under a second with the cache (.mypy_cache) of an earlier run.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A ``type: ignore`` says which error it silences, and why: a second comment on its line.
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def test_mypy_finds_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_type_ignore_names_its_error_and_a_reason():
    unexplained = []
    for path in sorted((ROOT / "annotator").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = IGNORE.search(line)
            if found and (not found["codes"] or not re.match(r"\s*#\s*\S", found["rest"])):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unexplained, "\n".join(unexplained)
