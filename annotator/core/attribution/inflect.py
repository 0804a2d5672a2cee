"""The forms of an English verb, made from its lemma, so the cue lexicon lists lemmas only.

Regular English is enough for the cue verbs: "-s"/"-es"/"-ies", "-ed"/"-d"/"-ied" and "-ing"
with a silent "e" dropped; the lexicon names the verbs that double their last consonant
("admit", "plan") and lists irregular forms ("think: [thought]") itself.
"""

_SIBILANTS = ("s", "x", "z", "ch", "sh", "o")
_VOWELS = frozenset("aeiou")


def inflections(lemma: str, *, double: bool = False) -> set[str]:
    """The lemma, its third person singular, past and -ing forms."""
    stem = lemma + lemma[-1] if double else lemma
    if lemma.endswith(_SIBILANTS):
        third = lemma + "es"
    elif _consonant_y(lemma):
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma.endswith("e"):
        past = lemma + "d"
    elif _consonant_y(lemma):
        past = lemma[:-1] + "ied"
    else:
        past = stem + "ed"
    if lemma.endswith("ie"):
        ing = lemma[:-2] + "ying"
    elif lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        ing = lemma[:-1] + "ing"
    else:
        ing = stem + "ing"
    return {lemma, third, past, ing}


def _consonant_y(word: str) -> bool:
    return len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS
