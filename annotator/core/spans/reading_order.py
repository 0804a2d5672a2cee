"""An open article's annotations in reading order, kept up to date from each Change.

A Change already holds the rows before and after an edit, so the list is patched from it, in
O(log n) comparisons per annotation touched, instead of reloading every annotation of the
article: an edit then costs the same in a short article and in a densely coded one.
"""

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from annotator.core.model import Annotation


def reading_key(annotation: Annotation) -> tuple[int, int, str, str]:
    """By first fragment, then end, then age; the id settles ties, so the order is total."""
    if not annotation.fragments:
        return (-1, -1, "", annotation.id)
    return (annotation.start, annotation.end, annotation.created_at, annotation.id)


class ReadingOrder:
    def __init__(self, annotations: Iterable[Annotation] = ()) -> None:
        self._by_id = {a.id: a for a in annotations}
        self._order = sorted(self._by_id.values(), key=reading_key)
        self._keys = [reading_key(a) for a in self._order]

    def apply(self, removed: Iterable[str], upserted: Iterable[Annotation]) -> None:
        """Drop the ``removed`` ids and add or replace the ``upserted`` annotations."""
        upserted = list(upserted)
        for annotation_id in {*removed, *(a.id for a in upserted)}:
            old = self._by_id.pop(annotation_id, None)
            if old is not None:
                at = bisect_left(self._keys, reading_key(old))
                del self._keys[at], self._order[at]
        for annotation in upserted:
            key = reading_key(annotation)
            at = bisect_left(self._keys, key)
            self._keys.insert(at, key)
            self._order.insert(at, annotation)
            self._by_id[annotation.id] = annotation

    def get(self, annotation_id: str) -> Annotation | None:
        return self._by_id.get(annotation_id)

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[Annotation]:
        return iter(self._order)
