"""Finding the data folders (``resources/``, ``sample_articles/``) wherever the app runs.

Three layouts hold them: the PyInstaller bundle (``sys._MEIPASS``), the source tree or an
editable install (the repository root), and an installed wheel (``annotator/_data``). Every
lookup goes through here so no other module needs to know which one it is in.
"""

import sys
from functools import cache
from pathlib import Path

from annotator.core.errors import AnnotatorError

_PACKAGE_DIR = Path(__file__).resolve().parent
#: A file every real resources folder holds.
MARKER = "starter_codebook.yaml"


@cache
def data_root() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle))
    # A wheel's own copy first: beside an installed package lies site-packages, where another
    # distribution may have a "resources" folder of its own.
    candidates += [_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent]
    for candidate in candidates:
        if (candidate / "resources" / MARKER).is_file():
            return candidate
    raise AnnotatorError(
        "Annotator's resources folder is missing; searched: "
        + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    return data_root().joinpath("resources", *parts)


def sample_articles_dir() -> Path:
    return data_root() / "sample_articles"
