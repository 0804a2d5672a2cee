"""build_app.spec's lists, checked against the tree: a moved resource, an icon that is gone or
an excluded module the app imports fails here, loudly, instead of in a user's first start.

The spec runs only inside PyInstaller, so its UPPER_CASE lists are read as literals.
"""

import ast
import importlib.util
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.resources import MARKER, data_root
from annotator.services.interchange.article_files import html_article

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
                "QT_PLUGINS", "LEFT_OUT_PATHS", "DATA_LEFT_OUT",
                "ICU_DATA_LEFT_OUT", "LICENCE_NOTICES", "LICENCE_METADATA"}  # fmt: skip
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


# -- what the spec leaves out of the bundle's libraries and packages ----------------------------


def shrink_libs():
    """.ci/shrink_libs.py, loaded from its file as the spec does."""
    spec = importlib.util.spec_from_file_location("shrink_libs", ROOT / ".ci/shrink_libs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def package_path(path: str) -> Path:
    """An installed package's file or folder, as the bundle names it ("babel/locale-data")."""
    top, _, rest = path.partition("/")
    spec = importlib.util.find_spec(top)
    assert spec is not None and spec.origin, top
    return Path(spec.origin).parent / rest


@pytest.mark.parametrize("path", CONSTANTS["LEFT_OUT_PATHS"])
def test_paths_left_out_of_the_bundle_still_exist(path):
    # A path that no longer exists leaves out nothing: the list has gone stale.
    assert package_path(path).exists(), path


def test_the_app_never_asks_pyqtgraph_for_its_own_application_and_logo():
    # pyqtgraph/icons/peegee is read by pyqtgraph.mkQApp() only.
    assert "pyqtgraph/icons/peegee" in CONSTANTS["LEFT_OUT_PATHS"]
    for path in (ROOT / "annotator").rglob("*.py"):
        assert "mkQApp" not in path.read_text(encoding="utf-8"), path


def test_certificates_are_left_out_only_with_tls():
    if "certifi/cacert.pem" in CONSTANTS["LEFT_OUT_PATHS"]:
        assert {"ssl", "_ssl"} <= set(CONSTANTS["EXCLUDED_MODULES"])


def test_tld_reads_only_the_suffix_list_the_bundle_keeps(monkeypatch, tmp_path):
    """courlan asks tld for a page's domain with tld's default parser; the public-only list,
    which the bundle leaves out, is never read."""
    import tld.utils
    from courlan.urlutils import get_tldinfo

    left_out = "tld/res/effective_tld_names_public_only.dat.txt"
    assert left_out in CONSTANTS["LEFT_OUT_PATHS"]
    public_only = tld.utils.MozillaPublicOnlyTLDSourceParser
    assert package_path(left_out) == package_path(f"tld/{public_only.local_path}")
    monkeypatch.setattr(public_only, "local_path", str(tmp_path / "missing.dat.txt"))
    monkeypatch.setattr(tld.utils, "tld_names", {})  # nothing parsed yet
    assert get_tldinfo("https://www.lequotidien.co.uk/monde/geneve.html") == (
        "lequotidien",
        "lequotidien.co.uk",
    )
    assert set(tld.utils.tld_names) == {tld.utils.MozillaTLDSourceParser.local_path}


# ICU data items Qt reads: collation, converters and their aliases, time-zone names and rules,
# and the locale bundles ucal_open reads.
ICU_ITEMS_QT_READS = [
    "icudt73l/coll/root.res",
    "icudt73l/coll/ucadata.icu",
    "icudt73l/coll/de.res",
    "icudt73l/cnvalias.icu",
    "icudt73l/ibm-5348_P100-1997.cnv",
    "icudt73l/gb18030.cnv",
    "icudt73l/zone/root.res",
    "icudt73l/zone/fr.res",
    "icudt73l/zoneinfo64.res",
    "icudt73l/metaZones.res",
    "icudt73l/timezoneTypes.res",
    "icudt73l/supplementalData.res",
    "icudt73l/root.res",
    "icudt73l/fr.res",
    "icudt73l/pool.res",
]


@pytest.mark.parametrize("item", ICU_ITEMS_QT_READS)
def test_icu_data_qt_reads_stays(item):
    assert not shrink_libs().is_left_out(item, CONSTANTS["ICU_DATA_LEFT_OUT"])


@pytest.mark.parametrize(
    "item",
    [
        "icudt73l/brkitr/word.brk",
        "icudt73l/curr/fr.res",
        "icudt73l/unames.icu",
        "icudt73l/unit/de.res",
    ],
)
def test_icu_data_qt_never_reads_goes(item):
    assert shrink_libs().is_left_out(item, CONSTANTS["ICU_DATA_LEFT_OUT"])


def test_icu_data_left_out_names_trees_and_files():
    for entry in CONSTANTS["ICU_DATA_LEFT_OUT"]:
        assert not entry.startswith("/") and "icudt" not in entry, entry
        assert entry.endswith("/") or "." in entry, entry  # a tree, or one file
    assert not shrink_libs().is_left_out("icudt73l/currencyNumericCodes.res", ["curr/"])


def make_package(names: list[str]) -> bytes:
    """A package of items of different lengths, each its name repeated."""
    module = shrink_libs()
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + bytes(4) + b"\0\0\2\0CmnD" + bytes(16)
    items = [(name, name.encode() * len(name.split("/"))) for name in names]
    return module.build_package(header, items)


def test_an_icu_package_is_read_back_as_written():
    module = shrink_libs()
    names = ["icudt73l/brkitr/word.brk", "icudt73l/coll/root.res", "icudt73l/root.res"]
    package = make_package(names)
    header, items = module.package_items(package)
    assert len(header) == 32
    assert [name for name, _ in items] == names
    for name, data in items:
        assert data.startswith(name.encode() * len(name.split("/")))  # then padding to 16 bytes
    assert module.build_package(header, items) == package
    body = package[32:]
    offsets = [struct.unpack_from("<II", body, 4 + 8 * i)[1] for i in range(len(names))]
    assert all(offset % 16 == 0 for offset in offsets)


def test_trimming_an_icu_package_keeps_the_rest_whole():
    module = shrink_libs()
    names = ["icudt73l/brkitr/word.brk", "icudt73l/coll/root.res", "icudt73l/unames.icu"]
    trimmed = module.trimmed(make_package(names), ["brkitr/", "unames.icu"])
    _, items = module.package_items(trimmed)
    assert items == module.package_items(make_package(["icudt73l/coll/root.res"]))[1]


def qt_icu_data_library() -> Path:
    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.origin
    found = sorted((Path(spec.origin).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if sys.platform != "linux" or not found:
        pytest.skip("no ICU data library in this PySide6 (Linux wheels only)")
    return found[0]


def test_qt_s_icu_data_is_a_package_the_spec_can_trim():
    module = shrink_libs()
    symbol, package = module.elf_symbol(qt_icu_data_library())
    assert re.fullmatch(r"icudt\d+_dat", symbol)
    header, items = module.package_items(package)
    assert module.build_package(header, items) == package  # nothing lost in reading it
    names = [name for name, _ in items]
    assert names == sorted(names)
    kept = [name for name in names if not module.is_left_out(name, CONSTANTS["ICU_DATA_LEFT_OUT"])]
    prefix = names[0].partition("/")[0] + "/"
    for item in ICU_ITEMS_QT_READS:
        assert prefix + item.partition("/")[2] in kept, item
    assert len(kept) < len(names)


@pytest.mark.skipif(not shutil.which("cc"), reason="needs a C compiler")
def test_the_smaller_icu_data_library_holds_the_trimmed_package(tmp_path):
    module = shrink_libs()
    source = qt_icu_data_library()
    target = tmp_path / source.name
    module.build_library(source, target, CONSTANTS["ICU_DATA_LEFT_OUT"])
    symbol, package = module.elf_symbol(target)
    assert symbol == module.elf_symbol(source)[0]
    assert package == module.trimmed(module.elf_symbol(source)[1], CONSTANTS["ICU_DATA_LEFT_OUT"])
    assert module.is_shared_library(target) and module.load_segments_aligned(target)
    assert target.stat().st_size < source.stat().st_size * 0.6


def numpy_openblas() -> Path:
    spec = importlib.util.find_spec("numpy")
    assert spec is not None and spec.origin
    found = sorted((Path(spec.origin).parent.parent / "numpy.libs").glob("libscipy_openblas*.so"))
    if sys.platform != "linux" or not found or not shutil.which("strip"):
        pytest.skip("needs numpy's OpenBLAS (Linux wheel) and strip")
    return found[0]


def test_a_stripped_copy_that_would_not_load_is_told_apart(tmp_path):
    """numpy's OpenBLAS, rearranged by patchelf, no longer loads once stripped; the spec then
    keeps the original, which must pass the same check."""
    module = shrink_libs()
    original = numpy_openblas()
    assert module.is_shared_library(original)
    assert module.load_segments_aligned(original)
    copy = tmp_path / original.name
    subprocess.run(["strip", "--strip-unneeded", "-o", str(copy), str(original)], check=True)
    assert not module.load_segments_aligned(copy)


def test_only_shared_libraries_are_stripped(tmp_path):
    module = shrink_libs()
    text = tmp_path / "settings.cfg"
    text.write_text("[DEFAULT]\n", encoding="utf-8")
    assert not module.is_shared_library(text)
    extension = importlib.util.find_spec("_json")
    if sys.platform == "linux" and extension is not None and extension.origin != "built-in":
        assert module.is_shared_library(Path(str(extension.origin)))
