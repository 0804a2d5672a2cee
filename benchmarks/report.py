"""The result table of the benchmark suite: rows, memory measurement, formatting."""

import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    case: str
    size: str
    runs: list[float]  # seconds, or megabytes when ``unit`` is "MB"
    target: str
    memory_mb: float | None = None
    per_second: int = 0  # items per run, for a throughput column
    unit: str = "s"
    note: str = ""

    def cells(self) -> list[str]:
        if not self.runs:
            return [self.case, self.size, "error", "", "", self.target, self.note]
        median = statistics.median(self.runs)
        if self.unit == "MB":
            spread = f"{min(self.runs):.0f}–{max(self.runs):.0f} MB"
            shown = f"{median:.0f} MB"
        else:
            shown = _duration(median)
            spread = f"{_duration(min(self.runs))}–{_duration(max(self.runs))}"
        if self.per_second:
            shown += f" ({self.per_second / median:,.0f}/s)"
        memory = "" if self.memory_mb is None else f"{self.memory_mb:.0f} MB"
        return [self.case, self.size, shown, spread, memory, self.target, self.note]


def _duration(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


# -- memory ---------------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise OSError(f"{field} not in /proc/self/status")


def measured(action: Callable[[], Row]) -> Row:
    """Run one case and fill in how far the resident set grew above where it started."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        before = _status_kb("VmRSS")
    except OSError:
        before = -1
    row = action()
    if before >= 0 and row.memory_mb is None:
        row.memory_mb = max(_status_kb("VmHWM") - before, 0) / 1024
    return row


# -- output ---------------------------------------------------------------------------------

HEADER = ["case", "size", "median", "min–max", "peak RSS Δ", "target", "note"]


def format_table(rows: list[Row]) -> str:
    """A Markdown table, readable in a terminal and pasteable into the README."""
    lines = [HEADER, ["---"] * len(HEADER), *(row.cells() for row in rows)]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def child_python() -> list[str]:
    """The interpreter and path for a child process that imports this checkout."""
    return [sys.executable]


def run_child(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*child_python(), "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
