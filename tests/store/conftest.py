"""Fixtures of the store's tests."""

from pathlib import Path

import pytest

from annotator.store.files import project_file


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths ``quick_check`` ran on, in order (the check itself still runs)."""
    seen: list[Path] = []
    real = project_file._refuse_damaged

    def spy(db, path: Path) -> None:
        seen.append(path)
        real(db, path)

    monkeypatch.setattr(project_file, "_refuse_damaged", spy)
    return seen
