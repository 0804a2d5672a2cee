"""ReadingOrder patched by edits equals the list sorted afresh."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Annotation, AnnotationKind, Fragment
from annotator.core.spans.reading_order import ReadingOrder, reading_key


def annotation(number: int, start: int, length: int, created: str = "t1") -> Annotation:
    return Annotation(
        id=f"a{number}", article_id="art", kind=AnnotationKind.ISSUE, code_id="c",
        fragments=(Fragment(start, start + length, "x" * length),), annotator="alice",
        created_at=created, updated_at=created,
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 50), st.integers(1, 9),
                          st.booleans()), max_size=60))  # fmt: skip
def test_patched_order_is_the_sorted_order(edits) -> None:
    order = ReadingOrder()
    current: dict[str, Annotation] = {}
    for number, start, length, remove in edits:
        key = f"a{number}"
        if remove:
            order.apply([key], [])
            current.pop(key, None)
        else:
            changed = annotation(number, start, length, created=f"t{start % 3}")
            order.apply([], [changed])  # added, or moved if it was there
            current[key] = changed
        assert list(order) == sorted(current.values(), key=reading_key)
        assert len(order) == len(current)


def test_ties_are_settled_by_id_and_a_start_from_a_list_is_sorted() -> None:
    items = [annotation(n, 5, 3) for n in (3, 1, 2)]
    random.Random(1).shuffle(items)
    assert [a.id for a in ReadingOrder(items)] == ["a1", "a2", "a3"]
    order = ReadingOrder(items)
    order.apply(["a2", "missing"], [annotation(4, 0, 2)])
    assert [a.id for a in order] == ["a4", "a1", "a3"]
    assert order.get("a2") is None and order.get("a4") is not None
