"""The word lists behind the suggestions, read from a YAML file a researcher can extend.

Nothing about English is written into the detector: which verbs report speech, which nouns can
name a speaker, which words are titles, all come from ``resources/suggest/<language>.yaml``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from annotator.core.attribution.inflect import inflections
from annotator.core.errors import ValidationError

#: What a pronoun refers back to when it is the subject of a reporting verb.
PRONOUN_TARGETS = frozenset({"person", "group", "organisation", "none"})

_WORD_LISTS = (
    "speaker_nouns", "document_nouns", "titles", "organisation_words", "determiners",
    "between_words", "boundary_words", "phrase_prepositions", "adjunct_words", "aside_words",
    "abbreviations", "name_particles", "listener_verbs", "cue_particles", "copulas", "cue_nouns",
    "particle_verbs", "not_speakers", "raising_words", "passive_cues", "particle_only",
    "owned_cues", "reduced_passives",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rules:
    """Every list casefolded, so lookups need no further normalising."""

    language: str
    quote_pairs: tuple[tuple[str, str], ...]
    verbs: Mapping[str, str]  # word form -> lemma
    source_cues: tuple[tuple[str, ...], ...]  # e.g. ("according", "to")
    pronouns: Mapping[str, str]  # pronoun -> person | group | organisation | none
    speaker_nouns: frozenset[str]
    document_nouns: frozenset[str]
    titles: frozenset[str]
    organisation_words: frozenset[str]
    determiners: frozenset[str]
    between_words: frozenset[str]
    boundary_words: frozenset[str]
    phrase_prepositions: frozenset[str]
    adjunct_words: frozenset[str]
    aside_words: frozenset[str]
    abbreviations: frozenset[str]
    name_particles: frozenset[str]
    listener_verbs: frozenset[str]  # lemmas
    cue_particles: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()
    cue_nouns: frozenset[str] = frozenset()
    particle_verbs: frozenset[str] = frozenset()  # lemmas
    not_speakers: frozenset[str] = frozenset()  # "Monday", "Moreover": capitalised, no one
    raising_words: frozenset[str] = frozenset()  # "appears" of "X appears to …"
    passive_cues: frozenset[str] = frozenset()  # "expected" of "X is expected to …"
    particle_only: frozenset[str] = frozenset()  # forms that cue only with a particle
    owned_cues: frozenset[str] = frozenset()  # "call" of "Will's call to …"
    reduced_passives: frozenset[str] = frozenset()  # "known" of "a developer known to be …"
    cue_class: Mapping[str, str] = field(default_factory=dict)  # lemma -> say, believe, feel ...
    confidence: Mapping[str, float] = field(default_factory=dict)  # class -> 0..1


#: libyaml's parser when PyYAML was built with it: 5× faster on the rules file, which is read
#: when the first article opens.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _WordLoader(_SafeLoader):  # type: ignore[valid-type, misc]  # a base chosen at run time
    """YAML 1.1 reads on, off, yes and no as booleans; in a word list they are words."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_rules(path: Path) -> Rules:
    """Read and check a rules file; errors name the file and the offending key."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValidationError(f"Cannot read the suggestion rules {path}: {exc}") from exc
    return parse_rules(data, where=path.name, language=path.stem)


def parse_rules(data: object, *, where: str = "rules", language: str = "en") -> Rules:
    if not isinstance(data, dict):
        raise ValidationError(f"{where}: the rules must be a mapping of lists.")
    verbs = data.get("reporting_verbs")
    if not isinstance(verbs, dict) or not verbs:
        raise ValidationError(f"{where}: 'reporting_verbs' must map each verb to its forms.")
    forms: dict[str, str] = {}
    for lemma, listed in verbs.items():
        for form in _strings(listed, f"{where}: reporting_verbs.{lemma}"):
            forms[form] = str(lemma).casefold()
    classes = dict.fromkeys(forms.values(), "say")
    _add_cue_lexicon(data, where, forms, classes)
    pairs = []
    for number, pair in enumerate(data.get("quotes") or ()):
        if not (isinstance(pair, list) and len(pair) == 2 and all(_is_mark(m) for m in pair)):
            raise ValidationError(
                f"{where}: quotes[{number}] must be two marks of one or two characters."
            )
        pairs.append((pair[0], pair[1]))
    pronouns = data.get("pronouns") or {}
    if not isinstance(pronouns, dict) or not set(map(str, pronouns.values())) <= PRONOUN_TARGETS:
        raise ValidationError(
            f"{where}: 'pronouns' must map each pronoun to one of "
            f"{', '.join(sorted(PRONOUN_TARGETS))}."
        )
    lists = {
        key: frozenset(_strings(data.get(key) or [], f"{where}: {key}")) for key in _WORD_LISTS
    }
    cues = tuple(
        tuple(cue.split()) for cue in _strings(data.get("source_cues") or [], f"{where}: cues")
    )
    return Rules(
        language=str(data.get("language") or language),
        quote_pairs=tuple(pairs),
        verbs=forms,
        source_cues=cues,
        pronouns={str(k).casefold(): str(v) for k, v in pronouns.items()},
        cue_class=classes,
        confidence=_confidences(data.get("cue_confidence") or {}, where),
        **lists,
    )


def _add_cue_lexicon(
    data: dict[str, object], where: str, forms: dict[str, str], classes: dict[str, str]
) -> None:
    """The cue verbs by class with their forms made by ``inflections``, and the adjectives of
    feeling (class "feel"); a form listed under reporting_verbs keeps its lemma there."""
    groups = data.get("cue_verbs") or {}
    irregular = data.get("irregular_forms") or {}
    if not isinstance(groups, dict) or not isinstance(irregular, dict):
        raise ValidationError(f"{where}: 'cue_verbs' and 'irregular_forms' must be mappings.")
    double = set(_strings(data.get("double_final") or [], f"{where}: double_final"))
    for kind, lemmas in groups.items():
        for lemma in _strings(lemmas, f"{where}: cue_verbs.{kind}"):
            if kind == "intend" or lemma not in classes:  # "pledged to" needs the class
                classes[lemma] = str(kind)
            extra = _strings(irregular.get(lemma) or [], f"{where}: irregular_forms.{lemma}")
            for form in inflections(lemma, double=lemma in double) | set(extra):
                forms.setdefault(form, lemma)
    for adjective in _strings(data.get("cue_adjectives") or [], f"{where}: cue_adjectives"):
        forms.setdefault(adjective, adjective)
        classes.setdefault(adjective, "feel")


def _confidences(value: object, where: str) -> dict[str, float]:
    if not isinstance(value, dict) or not all(
        isinstance(v, int | float) and -1 <= v <= 1 for v in value.values()
    ):
        raise ValidationError(f"{where}: 'cue_confidence' must map classes to numbers -1..1.")
    return {str(k): float(v) for k, v in value.items()}


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ValidationError(f"{where} must be a list of words.")
    return [str(v).strip().casefold() for v in value if str(v).strip()]


def _is_mark(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 2
