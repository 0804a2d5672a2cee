"""The performance suite of issue 7: every case, its size, median, min–max, memory and target.

    python -m benchmarks            # full sizes (10,000 articles, 1,000,000 annotations; ~15 min)
    python -m benchmarks --quick    # small sizes, in seconds: keeps the code alive in CI
    python -m benchmarks --only chart --only launch   # some groups only

Data comes from ``benchmarks.synthetic`` (one seed), Qt runs offscreen, and settings, backups
and projects live in a temporary folder. It reports and never asserts on a timing: the exit
status is non-zero only when a case raises.

Memory is the growth of the resident set while a case runs: the kernel's high-water mark
(``VmHWM``, reset through ``/proc/self/clear_refs``) minus the resident size before, so it
counts Qt and SQLite as well as Python. The window cases report the child process's own peak.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from benchmarks.cases import GROUPS, Sizes, all_cases
from benchmarks.report import Row, format_table, measured


def run(quick: bool, workdir: Path, only: set[str] | None = None) -> tuple[list[Row], int]:
    """Every case in order (or the groups named in ``only``); a case that raises is printed as
    an error row and counted."""
    rows: list[Row] = []
    errors = 0
    for name, case in all_cases(Sizes.quick() if quick else Sizes.full(), workdir):
        if only and name not in only:
            continue
        started = time.perf_counter()
        try:
            new = [measured(step) for step in case()]
        except Exception:
            traceback.print_exc()
            new = [Row(name, "", [], "", note="raised; see the traceback above")]
            errors += 1
        for row in new:
            rows.append(row)
            print(f"  {row.case}: {' · '.join(row.cells()[2:5])}", file=sys.stderr, flush=True)
        print(f"[{name}: {time.perf_counter() - started:.0f} s]", file=sys.stderr, flush=True)
    return rows, errors


def isolate(workdir: Path) -> None:
    """Settings, backups, the cache and the app's data folder go to ``workdir``; Qt runs
    offscreen."""
    for variable, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        os.environ[variable] = str(workdir / sub)
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("ANNOTATOR_NAME", "bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, runs in seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only",
        action="append",
        metavar="GROUP",
        choices=GROUPS,
        help="run only this group (repeatable): " + ", ".join(GROUPS),
    )
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    isolate(workdir)
    try:
        rows, errors = run(args.quick, workdir, set(args.only or ()))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    mode = "quick" if args.quick else "full"
    print(f"Annotator benchmarks ({mode}), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(format_table(rows))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
