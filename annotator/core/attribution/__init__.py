"""Suggesting claims and speakers: pure rules over the text, read from a word-list file.

``detect(text, rules)`` finds direct quotations, reported speech and the speaker of each;
``match_speaker`` finds the speaker code a name refers to. No Qt, no SQL, no network.
"""

from annotator.core.attribution.detector import Attribution, detect
from annotator.core.attribution.rules import Rules, load_rules, parse_rules
from annotator.core.attribution.speakers import match_speaker, normalise, speaker_keys

__all__ = [
    "Attribution",
    "Rules",
    "detect",
    "load_rules",
    "match_speaker",
    "normalise",
    "parse_rules",
    "speaker_keys",
]
