"""The starter codebook loader, which researchers edit by hand: bad files get clear errors."""

import itertools

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import CodeKind
from annotator.core.palette import MIN_DISTANCE, distance
from annotator.services.samples import load_codebook_file


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("issues: [", "not a readable YAML"),
        ("- a\n- b\n", "must map"),
        ("issues: {name: x}\n", "must be a list"),
        ("issues:\n  - just a string\n", r"issues\[0\] must be a mapping"),
        ("speakers:\n  - colour: '#123456'\n", r"speakers\[0\] has no name"),
        ("issues:\n  - name:\n", r"issues\[0\] has no name"),
        ("issues:\n  - name: x\n    colr: red\n", "unknown keys: colr"),
        ("issues:\n  - name: x\n    colour: red\n", "not of the form"),
        ("issues:\n  - name: x\n    parent: nowhere\n", "parent .nowhere. is not an issue"),
    ],
)
def test_bad_codebook_files_are_refused_and_add_nothing(project, tmp_path, content, message):
    path = tmp_path / "codebook.yaml"
    path.write_text(content, encoding="utf-8")
    count = len(project.store.codes.all())
    with pytest.raises(ValidationError, match=message):
        load_codebook_file(project.store, path)
    assert len(project.store.codes.all()) == count


def test_binary_codebook_file_is_refused(project, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(ValidationError):
        load_codebook_file(project.store, path)


def test_parents_may_follow_children_and_numbers_become_text(project, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "issues:\n  - name: Chips\n    parent: Tech\n    shortcut: 1\n  - name: Tech\n",
        encoding="utf-8",
    )
    assert load_codebook_file(project.store, path) == 2
    chips = project.store.codes.by_name(CodeKind.ISSUE, "Chips")
    tech = project.store.codes.by_name(CodeKind.ISSUE, "Tech")
    assert chips.parent_id == tech.id and chips.shortcut == "1"


def test_starter_issues_are_coloured_far_apart_for_colour_blind_readers_too(project):
    issues = [c.colour for c in project.store.codes.all(CodeKind.ISSUE)]
    assert len(issues) >= 10  # the starter codebook's
    assert min(distance(a, b) for a, b in itertools.combinations(issues, 2)) >= MIN_DISTANCE
