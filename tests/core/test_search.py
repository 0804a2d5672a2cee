"""Matching a pattern in one text: the options, code-point offsets, and what is refused."""

import re

import pytest

from annotator.core.errors import ValidationError
from annotator.core.search import SearchQuery, context, find_hits, find_spans
from annotator.core.text import canonicalize_text
from tests.conftest import TRICKY_TEXT

TEXT = canonicalize_text(TRICKY_TEXT)


def spans(pattern: str, text: str = TEXT, **options: bool) -> list[tuple[int, int]]:
    return list(find_spans(SearchQuery(pattern, **options).compile(), text))


def quotes(pattern: str, text: str = TEXT, **options: bool) -> list[str]:
    return [text[s:e] for s, e in spans(pattern, text, **options)]


def test_plain_search_ignores_case_by_default_and_escapes_specials():
    text = "Xi met XI; xi? Xinhua (x.i) said."
    assert quotes("xi", text) == ["Xi", "XI", "xi", "Xi"]
    assert quotes("xi", text, case_sensitive=True) == ["xi"]
    assert quotes("x.i", text) == ["x.i"]  # the dot is a dot, not "any character"
    assert quotes("(x.i)", text) == ["(x.i)"]


def test_whole_word_skips_words_that_only_contain_the_pattern():
    text = "Xi met Xinhua, and Xi’s aide; TaXi. Xi"
    assert quotes("xi", text, whole_word=True) == ["Xi", "Xi", "Xi"]
    assert spans("xi", text, whole_word=True)[-1] == (len(text) - 2, len(text))
    # a pattern that starts or ends with punctuation is still a whole word
    assert quotes("“we", whole_word=True) == ["“We"]
    assert quotes("sit back,”", whole_word=True) == ["sit back,”"]
    assert quotes("bac", whole_word=True) == []


def test_offsets_are_code_points_past_emoji_and_curly_quotes():
    for needle in ("first", "Xi", "Biden’s", "“fine.”", "Done", "😠"):
        [(start, end)] = spans(needle, case_sensitive=True)
        assert (start, end) == (TEXT.index(needle), TEXT.index(needle) + len(needle))
        assert TEXT[start:end] == needle
    assert spans("🇺🇸") == [(6, 8)]  # a flag is two code points (four UTF-16 units)


def test_regex_search_with_options():
    assert quotes(r"\b[A-Z]\w+", case_sensitive=True, regex=True) == [
        "Flags", "We", "Xi", "Biden", "Done",
    ]  # fmt: skip
    assert quotes(r"x.", regex=True, whole_word=True) == ["Xi"]
    assert quotes(r"“[^”]*”", regex=True) == ["“We will not sit back,”", "“fine.”"]
    assert quotes("a|an|and", regex=True, whole_word=True) == ["and"]


def test_regex_matches_do_not_overlap():
    assert spans("aa", "aaaaa") == [(0, 2), (2, 4)]
    assert spans(r"a(?=a)", "aaa", regex=True) == [(0, 1), (1, 2)]  # look-ahead: no overlap
    assert spans(r"\w+ \w+", "one two three four", regex=True) == [(0, 7), (8, 18)]


def test_zero_length_regex_matches_are_skipped():
    assert spans("^", "one\ntwo", regex=True) == []
    assert spans(r"\b", "one two", regex=True) == []
    assert spans("x*", "axxb", regex=True) == [(1, 3)]
    assert spans("(?m)^", TEXT, regex=True) == []


def test_empty_and_blank_patterns_are_refused():
    for pattern, regex in (("", False), ("", True), ("   ", False)):
        with pytest.raises(ValidationError, match="empty"):
            SearchQuery(pattern, regex=regex).compile()
    assert spans(r"\s", "a b", regex=True) == [(1, 2)]  # a regex for white space is fine


@pytest.mark.parametrize("pattern", ["(", "[a-", "a{2,1}", "*x", "(?P<n>a)(?P<n>b)", "a\n("])
def test_a_bad_regex_is_one_line_naming_the_pattern(pattern):
    with pytest.raises(ValidationError) as raised:
        SearchQuery(pattern, regex=True).compile()
    message = str(raised.value)
    assert message.startswith("Bad regular expression ") and "\n" not in message
    assert not isinstance(raised.value.__cause__, ValidationError)
    assert SearchQuery(pattern).compile().pattern == re.escape(pattern)  # plain: no error


def test_hits_carry_a_line_of_context_that_never_crosses_a_line_break():
    [hit] = find_hits(SearchQuery("Xi").compile(), TEXT)
    assert hit.text == "Xi" and (hit.start, hit.end) == (TEXT.index("Xi"), TEXT.index("Xi") + 2)
    assert hit.before == "“We will not sit back,” "
    assert hit.after == " said 😠 — and Biden’s aide replied… “fine.”"
    [first] = find_hits(SearchQuery("first").compile(), TEXT)
    assert (first.before, first.after) == ("Flags 🇺🇸🇨🇳 ", ".")


def test_long_context_is_cut_at_a_space_near_the_limit():
    words = " ".join(f"word{n}" for n in range(40))
    start = words.index("word20")
    before, after = context(words, start, start + 6, width=30)
    assert len(before) <= 30 and len(after) <= 30
    assert before.split()[0].startswith("word")
    assert words[start - len(before) - 1] == " "  # began at a word
    assert words[start + 6 + len(after)] == " "  # ended at a word
    assert context("ab", 1, 1, width=30) == ("a", "b")
