import itertools
import time

import pytest

from annotator.core.errors import ValidationError
from annotator.core.formats.frontmatter import split_front_matter


def test_metadata_and_exact_body():
    meta, body = split_front_matter("---\ntitle: A\npublished: 2024-04-02\n---\nHead\n\n  body")
    assert meta == {"title": "A", "published": "2024-04-02"}
    assert body == "Head\n\n  body"


def test_text_without_front_matter_is_all_body():
    assert split_front_matter("Head\n---\nx") == ({}, "Head\n---\nx")


def test_front_matter_with_empty_body():
    assert split_front_matter("---\ntitle: A\n---") == ({"title": "A"}, "")


@pytest.mark.parametrize(
    "text", ["---\ntitle: A\nno end", "---\n: : [\n---\nbody", "---\n- a list\n---\nbody"]
)
def test_malformed_front_matter_is_refused(text):
    with pytest.raises(ValidationError):
        split_front_matter(text)


def alias_bomb(levels: int) -> str:
    """A few hundred bytes of YAML whose last alias stands for 9**levels strings: "billion
    laughs". Each level is a list of nine aliases to the one before."""
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['x'] * 9)}]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "---\n" + "\n".join(lines) + f"\ntitle: *{names[-1]}\n---\nBody.\n"


def test_an_alias_bomb_is_refused_before_it_expands():
    bomb = alias_bomb(9)  # expanded, 9**9 strings: gigabytes, minutes
    assert len(bomb.encode()) < 500
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=r"uses YAML aliases \(&/\*\), which are not allowed"):
        split_front_matter(bomb)
    assert time.perf_counter() - started < 2  # a guard against the expansion, not a benchmark


def test_any_alias_is_refused_and_an_anchor_alone_is_harmless():
    with pytest.raises(ValidationError, match="aliases"):
        split_front_matter("---\nsource: &s AFP\nauthor: *s\n---\nBody.\n")
    with pytest.raises(ValidationError, match="aliases"):
        split_front_matter("---\nbase: &b {source: AFP}\nmore:\n  <<: *b\n---\nBody.\n")
    assert split_front_matter("---\nsource: &s AFP\n---\nBody.\n") == ({"source": "AFP"}, "Body.\n")


def test_front_matter_nested_too_deeply_is_refused_not_a_crash():
    with pytest.raises(ValidationError, match="nested too deeply"):
        split_front_matter("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n")
