"""Which names a coder meant: typos, initials, case and accents; and a code's aliases."""

import pytest

from annotator.core.codebook import aliases_of, memo_of, split_aliases, tree_order, with_aliases
from annotator.core.errors import ValidationError
from annotator.core.model import Code, CodeKind
from annotator.core.names import closest, did_you_mean, edit_distance, fold, initials

SPEAKERS = [
    "Joe Biden",
    "Xi Jinping",
    "The White House",
    "Chinese Foreign Ministry",
    "Senior administration official (anonymous)",
    "John Kirby",
    "Chinese state media",
    "José Álvarez",
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Kirbyy", "John Kirby"),  # a letter too many
        ("Kriby", "John Kirby"),  # two swapped
        ("Jon Kirby", "John Kirby"),  # a letter left out
        ("JK", "John Kirby"),  # initials
        ("j.k.", "John Kirby"),
        ("JOHN KIRBY", "John Kirby"),  # case
        ("jose alvarez", "José Álvarez"),  # accents
        ("ALVARES", "José Álvarez"),
        ("Xi Jinpin", "Xi Jinping"),
        ("white hose", "The White House"),
        ("SAO", "Senior administration official (anonymous)"),
    ],
)
def test_closest_finds_what_was_meant(typed, expected):
    assert closest(SPEAKERS, typed)[0] == expected


@pytest.mark.parametrize("typed", ["", "   ", "Raimondo", "zz", "q"])
def test_nothing_close_gives_nothing(typed):
    assert closest(SPEAKERS, typed) == []


def test_closest_orders_and_limits():
    names = ["Ann", "Anna", "Anne", "Annie", "Bob"]
    assert closest(names, "ann") == ["Ann", "Anna", "Anne"]  # exact first, then by name
    assert closest(names, "ann", n=1) == ["Ann"]
    assert closest(names, "ann", n=0) == []
    assert closest(["Joe Biden", "Joe Biden"], "biden") == ["Joe Biden"]


def test_aliases_count_as_the_name():
    assert closest(SPEAKERS, "POTUS") == []
    assert closest(SPEAKERS, "potus", aliases={"Joe Biden": ["POTUS"]}) == ["Joe Biden"]
    assert closest(SPEAKERS, "POTSU", aliases={"Joe Biden": ["POTUS"]}) == ["Joe Biden"]


def test_helpers():
    assert fold("  The  U.S. Señor’s ") == "the us senor's"
    assert initials("John Kirby") == "jk"
    assert initials("Senior administration official (anonymous)") == "sao"
    assert edit_distance("kirbyy", "kirby") == 1
    assert edit_distance("kriby", "kirby") == 1
    assert edit_distance("", "abc") == 3
    assert did_you_mean([]) == ""
    assert did_you_mean(["John Kirby"]) == "Did you mean John Kirby?"
    assert did_you_mean(["A", "B", "C"]) == "Did you mean A, B or C?"


def test_aliases_live_on_a_line_of_the_description():
    description = "White House spokesman.\naliases: Admiral Kirby; Kirby, the admiral"
    assert aliases_of(description) == ["Admiral Kirby", "Kirby", "the admiral"]
    assert memo_of(description) == "White House spokesman."
    assert with_aliases("White House spokesman.", ["JK", " jk ", "Admiral  Kirby"]) == (
        "White House spokesman.\naliases: JK; Admiral Kirby"
    )
    assert with_aliases(description, []) == "White House spokesman."
    assert with_aliases("", ["JK"]) == "aliases: JK"
    assert aliases_of(with_aliases("memo", ["“Quoted” 😀"])) == ["“Quoted” 😀"]
    assert split_aliases(" POTUS ;; President  Biden, ") == ["POTUS", "President Biden"]
    with pytest.raises(ValidationError):
        with_aliases("", ["a; b"])


def test_tree_order_puts_parents_first_and_siblings_by_name():
    def code(code_id: str, name: str, parent: str | None = None) -> Code:
        return Code(code_id, CodeKind.ISSUE, name, "#000000", parent_id=parent)

    codes = [
        code("t", "trade"),
        code("c", "Chips", "t"),
        code("a", "Autos", "t"),
        code("e", "Energy"),
        code("o", "Orphan", "missing"),
        code("x", "Loop x", "y"),
        code("y", "Loop y", "x"),
    ]
    order = [(c.id, depth) for c, depth in tree_order(codes)]
    assert order[:5] == [("e", 0), ("o", 0), ("t", 0), ("a", 1), ("c", 1)]
    assert sorted(order[5:]) == [("x", 0), ("y", 0)]
