"""Read commands at a million annotations (issue 19): the wall time of the whole
``annotator`` process, as a researcher's script waits for it. Most of it is starting Python
and importing; ``python -X importtime -m annotator --project P coverage`` shows what."""

import compileall
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import annotator
from benchmarks.report import ROOT, Row, child_python

RUNS = 5  # the median of five, each a new process

#: (what the table calls it, the arguments after ``--project P``); ``{out}`` is a scratch file.
COMMANDS = (
    ("annotator coverage", ["coverage"]),
    ("annotator coverage --csv", ["coverage", "--csv", "{out}"]),
    ("annotator stats", ["stats"]),
    ("annotator stats --json", ["stats", "--json"]),
)


#: ``python -m annotator ARGS``, which then reports its own peak resident set on stderr (the
#: kernel's high-water mark, as the launch group reads it).
CHILD = """
import runpy, sys
try:
    runpy.run_module("annotator", run_name="__main__", alter_sys=True)
finally:
    peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
    print("peak-kb", peak[0].split()[1], file=sys.stderr)
"""


def run_command(project: Path, args: list[str]) -> tuple[float, float]:
    """Seconds from starting the process to its exit, and its peak RSS in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run(
        [*child_python(), "-c", CHILD, "--project", str(project), *args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"annotator {' '.join(args)} failed: {done.stderr}")
    return elapsed, int(done.stderr.split()[-1]) / 1024


def read_commands_group(project: Path, label: str, workdir: Path) -> Iterator[Row]:
    """Each command once untimed (the page cache warmed, as for a researcher who ran one a
    moment ago), then ``RUNS`` times."""
    # As the launch group does: bytecode written, since this machine sets
    # PYTHONDONTWRITEBYTECODE and modules changed since their .pyc would compile at every run.
    compileall.compile_dir(str(Path(annotator.__file__).parent), quiet=1)
    out = str(workdir / "read-commands.csv")
    for name, command in COMMANDS:
        args = [arg.format(out=out) for arg in command]
        run_command(project, args)
        results = [run_command(project, args) for _ in range(RUNS)]
        row = Row(f"read command: `{name}`", label, [r[0] for r in results], "≤ 0.5 s",
                  note="new process, wall time to exit")  # fmt: skip
        row.memory_mb = max(r[1] for r in results)
        yield row
