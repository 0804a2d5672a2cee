import pytest

from annotator.core.errors import ValidationError
from annotator.core.frontmatter import split_front_matter


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
