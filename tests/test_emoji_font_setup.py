"""``.ci/emoji_font`` (run by ``.ci/setup``): installs a colour emoji font when it may, and
never fails the set-up. Run with stub apt-get, dpkg-query, id and sudo on PATH."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "emoji_font"
pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="a bash script")


def run(tmp_path: Path, *, uid: int, sudo: str | None, apt_status: int = 0):
    """Runs the script with stubs that log their arguments to ``calls``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"
    stubs = {
        "dpkg-query": "exit 1",  # the font is not installed
        "apt-get": f'echo "apt-get $*" >> {log}; exit {apt_status}',
        "id": f"echo {uid}",
        "grep": 'exec /bin/grep "$@"',
    }
    if sudo is not None:
        stubs["sudo"] = sudo.replace("LOG", str(log))
    for name, body in stubs.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    env = {**os.environ, "PATH": str(bin_dir)}  # only the stubs: no real fc-list or sudo
    result = subprocess.run([shutil.which("bash"), str(SCRIPT)], capture_output=True,
                            text=True, env=env, check=False)  # fmt: skip
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return result, calls


def test_as_root_it_installs_the_font(tmp_path):
    result, calls = run(tmp_path, uid=0, sudo=None)
    assert result.returncode == 0
    assert calls[0] == "apt-get update -qq"
    assert calls[1].endswith("install -y -qq --no-install-recommends fonts-noto-color-emoji")


def test_with_passwordless_sudo_it_uses_sudo_without_prompting(tmp_path):
    sudo = 'echo "sudo $*" >> LOG; [ "$1" = -n ] || exit 1; shift; "$@"'
    result, calls = run(tmp_path, uid=1000, sudo=sudo)
    assert result.returncode == 0
    assert "sudo -n true" in calls and "sudo -n apt-get update -qq" in calls
    assert any(c.startswith("apt-get install") for c in calls)


def test_without_root_or_sudo_it_says_how_and_succeeds(tmp_path):
    result, calls = run(tmp_path, uid=1000, sudo="exit 1")  # sudo wants a password
    assert result.returncode == 0 and not any(c.startswith("apt-get") for c in calls)
    assert "sudo apt-get install fonts-noto-color-emoji" in result.stderr


def test_a_failing_apt_get_does_not_fail_the_setup(tmp_path):
    result, _ = run(tmp_path, uid=0, sudo=None, apt_status=100)
    assert result.returncode == 0
    assert "Could not install fonts-noto-color-emoji" in result.stderr


def test_setup_runs_it_and_ignores_its_failure():
    setup = (SCRIPT.parent / "setup").read_text(encoding="utf-8")
    assert ".ci/emoji_font || true" in setup
