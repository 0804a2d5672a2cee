"""Reassign clashing colours: asked for, one undoable Change, only the codes that clash."""

import contextlib

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import CodeKind
from annotator.core.palette import MIN_DISTANCE, distance, next_colour
from annotator.services.changes import apply_change


def settled(project):
    """The starter codebook's 19 codes are more than the palette keeps 10 apart: a first
    run may improve one of the last; after it, there is nothing left to do."""
    with contextlib.suppress(ValidationError):
        project.codebook.spread_colours()
    with pytest.raises(ValidationError, match="too close"):
        project.codebook.spread_colours()  # a clear refusal, nothing written
    return {c.id: c.colour for c in project.store.codes.all()}


def test_clashing_colours_are_reassigned_in_one_undoable_step(project):
    store = project.store
    before = settled(project)
    shipping = next_colour(before.values())  # far from every colour there is
    ports = "#" + "".join(f"{min(255, int(shipping[i : i + 2], 16) + 6):02x}" for i in (1, 3, 5))
    assert distance(shipping, ports) < 3  # as "South China Sea" and "Military-to-military"
    project.codebook.create(CodeKind.ISSUE, "Shipping", colour=shipping)
    project.codebook.create(CodeKind.ISSUE, "Ports", colour=ports)
    change = project.codebook.spread_colours()
    assert change.description == "reassign 1 clashing colour"
    [changed] = change.after.codes
    assert changed.name == "Ports"  # the newer of the two
    assert distance(changed.colour, shipping) >= MIN_DISTANCE
    assert {c.id: c.colour for c in store.codes.all() if c.id in before} == before
    apply_change(store, change.inverse())
    assert store.codes.by_name(CodeKind.ISSUE, "Ports").colour == ports
