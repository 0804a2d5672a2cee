"""Temporaries left by killed exports and backups are removed on the next run, and only
those whose writer has ended."""

import os
import subprocess
import sys
import time
from pathlib import Path

from annotator.services.interchange.csv_export import export_annotations_csv
from annotator.services.project import open_memory_project
from annotator.store.files.backups import write_backup
from annotator.store.files.temp_files import remove_stale_temporaries, temporary_beside


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


def plant(target: Path, owner: str, age: float = 0, tag: str = "0123456789ab") -> Path:
    leftover = target.with_name(f".{target.name}.{owner}{tag}.tmp")
    leftover.write_bytes(b"x" * 1000)
    if age:
        old = time.time() - age
        os.utime(leftover, (old, old))
    return leftover


def test_a_killed_exports_temporary_goes_with_the_next_export(tmp_path):
    target = tmp_path / "out.csv"
    killed = plant(target, f"{dead_pid()}-")
    running = plant(target, f"{os.getppid()}-")  # a live process (pytest's parent) writes it
    other_file = plant(tmp_path / "other.csv", f"{dead_pid()}-")
    export_annotations_csv(open_memory_project(samples=True).store, target)
    assert target.exists() and not killed.exists()
    assert running.exists() and other_file.exists()  # never another writer's, never another's


def test_old_unowned_temporaries_go_and_fresh_ones_stay(tmp_path):
    target = tmp_path / "study.annotator"
    old = plant(target, "", age=2 * 24 * 3600)
    fresh = plant(target, "", tag="ba9876543210")
    assert remove_stale_temporaries(target) == [old]
    assert fresh.exists()


def test_a_backup_clears_a_killed_backups_temporary(tmp_path):
    project = open_memory_project(samples=True)
    target = tmp_path / "backups" / "copy.annotator"
    target.parent.mkdir()
    killed = plant(target, f"{dead_pid()}-")
    sidecar = killed.with_name(killed.name + "-journal")
    sidecar.write_bytes(b"j")
    write_backup(project.store._db.conn, target)
    assert target.exists() and not killed.exists() and not sidecar.exists()


def test_a_name_is_this_process_and_new(tmp_path):
    first, second = temporary_beside(tmp_path / "a.csv"), temporary_beside(tmp_path / "a.csv")
    assert first != second and f".a.csv.{os.getpid()}-" in first.name
