"""Any folder of brat files as an evaluation set for ``benchmarks.suggest``.

Each ``NAME.txt`` with its ``NAME.ann`` is a document. Text-bound annotations whose type maps
to ``claim`` are the marked claims (a discontinuous span ``T1 Content 0 10;20 30`` is one
claim of two fragments); a relation or event linking a claim to an annotation that maps to
``speaker`` gives the claim its speaker, named by the speaker span's text, or by an
``AnnotatorNotes`` line ``speaker: NAME`` on that span (for a pronoun, the name it refers
to). Offsets must refer to the text as the project stores it (LF line ends, no BOM).
"""

import re
from collections.abc import Mapping
from pathlib import Path

from annotator.core.text import canonicalize_text

_SPAN = re.compile(r"(\d+) (\d+)")


class BratError(ValueError):
    """A file of the set cannot be read as brat; the message names it."""


def load_brat(folder: Path, mapping: Mapping[str, str]) -> list[tuple[str, str, list]]:
    """``(name, text, [(fragments, speaker or None), ...])`` for each document of ``folder``."""
    if not folder.is_dir():
        raise BratError(f"{folder} is not a folder")
    documents = []
    for txt in sorted(folder.glob("*.txt")):
        ann = txt.with_suffix(".ann")
        if not ann.is_file():
            continue
        with txt.open(encoding="utf-8", newline="") as handle:  # CRs kept, to be refused
            text = handle.read()
        if canonicalize_text(text) != text:
            raise BratError(f"{txt}: has CR line ends, a BOM or NUL; offsets would shift")
        claims = _claims(ann, text, mapping)
        documents.append((txt.stem, text, claims))
    if not documents:
        raise BratError(f"{folder} holds no .txt file with its .ann file")
    return documents


def _claims(ann: Path, text: str, mapping: Mapping[str, str]) -> list:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    notes: dict[str, str] = {}
    links: list[tuple[str, ...]] = []
    for number, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("\t")
        if not fields[0]:
            continue
        try:
            if fields[0][0] == "T":
                kind, _, places = fields[1].partition(" ")
                fragments = tuple((int(s), int(e)) for s, e in _SPAN.findall(places))
                if not fragments or any(not 0 <= s <= e <= len(text) for s, e in fragments):
                    raise BratError(f"{ann}:{number}: no offsets, or offsets outside the text")
                spans[fields[0]] = (mapping.get(kind, ""), fragments)
            elif fields[0][0] in "RE":
                links.append(tuple(re.findall(r":(T\d+)", fields[1])))
            elif fields[0][0] == "#" and fields[2].startswith("speaker:"):
                notes[fields[1].split()[1]] = fields[2].removeprefix("speaker:").strip()
        except BratError:
            raise
        except (IndexError, ValueError) as exc:
            raise BratError(f"{ann}:{number}: cannot read {line!r}") from exc
    speaker_of: dict[str, str] = {}
    for ids in links:
        claims = [i for i in ids if spans.get(i, ("",))[0] == "claim"]
        sources = [i for i in ids if spans.get(i, ("",))[0] == "speaker"]
        for claim in claims:
            for source in sources[:1]:
                fragments = spans[source][1]
                name = " ".join(text[s:e] for s, e in fragments)
                speaker_of[claim] = notes.get(source, name)
    return [
        (fragments, speaker_of.get(key))
        for key, (kind, fragments) in spans.items()
        if kind == "claim"
    ]
