"""The bundle carries the notice of every component it redistributes: Qt's and PySide6's
(LGPL v3, their wheels ship none) written in resources/licenses/, the other packages' licence
files through their metadata. build_app.spec's lists are read as literals (test_build_spec)."""

from importlib.metadata import PackageNotFoundError, distribution

# packaging comes with pytest.
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.test_build_spec import CONSTANTS, ROOT

#: Written by hand in resources/licenses/NOTICE.txt: their wheels carry no licence file.
NOTICED = {"pyside6-essentials", "shiboken6"}


def runtime_distributions() -> set[str]:
    """Every distribution installing annotator brings, without development extras."""
    seen: set[str] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [("annotator", ())]
    while todo:
        name, extras = todo.pop()
        try:
            found = distribution(name)
        except PackageNotFoundError:
            continue  # for another platform
        key = canonicalize_name(found.metadata["Name"])
        if key in seen and not extras:
            continue
        seen.add(key)
        for line in found.requires or []:
            req = Requirement(line)
            markers = [{"extra": extra} for extra in extras or ("",)]
            if req.marker is None or any(req.marker.evaluate(m) for m in markers):
                todo.append((req.name, tuple(req.extras)))
    return seen - {"annotator"}


def test_every_bundled_package_brings_its_licence_or_has_a_notice():
    copied = {canonicalize_name(name) for name in CONSTANTS["LICENCE_METADATA"]}
    assert runtime_distributions() - copied == NOTICED
    assert not copied & NOTICED


def test_qt_and_pyside6_notices_name_the_licence_and_where_the_source_is():
    notices = CONSTANTS["LICENCE_NOTICES"]
    assert {n.rsplit("/", 1)[-1] for n in notices} == {"NOTICE.txt", "LGPL-3.0.txt", "GPL-3.0.txt"}
    texts = {n.rsplit("/", 1)[-1]: (ROOT / n).read_text(encoding="utf-8") for n in notices}
    notice = texts["NOTICE.txt"]
    for needed in ("Qt 6", "PySide6", "Shiboken6", "LGPL-3.0-only", "LGPL-3.0.txt",
                   "https://download.qt.io/official_releases/qt/",
                   "https://code.qt.io/pyside/pyside-setup"):  # fmt: skip
        assert needed in notice
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in texts["LGPL-3.0.txt"]
    assert "Version 3, 29 June 2007" in texts["LGPL-3.0.txt"]
    assert "GNU GENERAL PUBLIC LICENSE" in texts["GPL-3.0.txt"]


def test_the_notices_are_bundled_and_never_left_out():
    bundled = [src for src, _dest in CONSTANTS["DATA_FOLDERS"]]
    left_out = CONSTANTS["DATA_LEFT_OUT"] + CONSTANTS["LEFT_OUT_PATHS"]
    for notice in CONSTANTS["LICENCE_NOTICES"]:
        assert notice.split("/", 1)[0] in bundled
        assert not any(notice == p or notice.startswith(p + "/") for p in left_out)
    spec = (ROOT / "build_app.spec").read_text(encoding="utf-8")
    assert "for notice in LICENCE_NOTICES]" in spec and "_licence_files(package)" in spec


def test_every_listed_package_has_a_licence_file_the_spec_copies():
    """The spec copies a package's licence texts, not its whole metadata: each installed
    package of the list must have one its rule finds (a licences folder, or a file named
    LICENSE, LICENCE, COPYING or NOTICE)."""
    for name in CONSTANTS["LICENCE_METADATA"]:
        try:
            found = distribution(name)
        except PackageNotFoundError:
            continue  # for another platform
        licences = [
            f for f in found.files or []
            if f.parts[0].endswith(".dist-info")
            and ("licenses" in f.parts[1:-1]
                 or any(w in f.name.upper() for w in ("LICEN", "COPYING", "NOTICE")))
        ]  # fmt: skip
        assert licences, name
