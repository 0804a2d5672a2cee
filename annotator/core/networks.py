"""Discourse networks from statements (claim → speaker → issues → stance), as in Leifeld's
Discourse Network Analyzer: who talks about what, who agrees and who disagrees with whom.

Pure: statements in, nodes and weighted edges out. The modes:

- ``actor-issue``: two-mode, speaker–issue; weight = claims, with a count per stance.
- ``actor-congruence``: speakers linked by the issue–stance pairs they share.
- ``actor-conflict``: speakers linked by the issues on which one supports and one opposes.
- ``issue-cooccurrence``: issues linked by the claims that tag both.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import combinations

from annotator.core.model import Stance


class NetworkMode(StrEnum):
    ACTOR_ISSUE = "actor-issue"
    ACTOR_CONGRUENCE = "actor-congruence"
    ACTOR_CONFLICT = "actor-conflict"
    ISSUE_COOCCURRENCE = "issue-cooccurrence"


#: The stance counts an actor–issue edge carries; "unstated" is a claim without a stance.
STANCE_COUNTS = ("supports", "opposes", "neutral", "unstated")
_OPPOSITE = {Stance.SUPPORTS: Stance.OPPOSES, Stance.OPPOSES: Stance.SUPPORTS}


@dataclass(frozen=True, slots=True)
class Statement:
    """One claim as a network sees it: code ids, not names."""

    speaker_id: str | None
    issue_ids: tuple[str, ...]
    stance: Stance | None


@dataclass
class Edge:
    weight: int = 0
    stances: Counter[str] = field(default_factory=Counter)


@dataclass
class Network:
    """Nodes are code ids (speakers and issues); edges are keyed by a sorted id pair, or by
    (speaker, issue) in the two-mode network."""

    mode: NetworkMode
    nodes: list[str]
    edges: dict[tuple[str, str], Edge]


def build_network(mode: NetworkMode, statements: Iterable[Statement]) -> Network:
    found = list(statements)
    if mode is NetworkMode.ACTOR_ISSUE:
        return _actor_issue(found)
    if mode is NetworkMode.ISSUE_COOCCURRENCE:
        return _cooccurrence(found)
    return _actors(mode, found)


def _actor_issue(statements: list[Statement]) -> Network:
    edges: dict[tuple[str, str], Edge] = {}
    nodes: dict[str, None] = {}
    for s in statements:
        if s.speaker_id is None:
            continue
        nodes[s.speaker_id] = None
        for issue in dict.fromkeys(s.issue_ids):
            nodes[issue] = None
            edge = edges.setdefault((s.speaker_id, issue), Edge())
            edge.weight += 1
            edge.stances[s.stance.value if s.stance else "unstated"] += 1
    return Network(NetworkMode.ACTOR_ISSUE, list(nodes), edges)


def _cooccurrence(statements: list[Statement]) -> Network:
    edges: dict[tuple[str, str], Edge] = {}
    nodes: dict[str, None] = {}
    for s in statements:
        issues = sorted(set(s.issue_ids))
        nodes.update(dict.fromkeys(issues))
        for pair in combinations(issues, 2):
            edges.setdefault(pair, Edge()).weight += 1
    return Network(NetworkMode.ISSUE_COOCCURRENCE, list(nodes), edges)


def _actors(mode: NetworkMode, statements: list[Statement]) -> Network:
    """Congruence counts shared (issue, stance) pairs; conflict counts (issue, stance) pairs
    of one speaker whose opposite the other holds. Neutral has no opposite."""
    held: dict[str, set[tuple[str, Stance]]] = {}
    for s in statements:
        if s.speaker_id is None:
            continue
        pairs = held.setdefault(s.speaker_id, set())
        if s.stance is not None:
            pairs.update((issue, s.stance) for issue in s.issue_ids)
    edges: dict[tuple[str, str], Edge] = {}
    for a, b in combinations(sorted(held), 2):
        if mode is NetworkMode.ACTOR_CONGRUENCE:
            weight = len(held[a] & held[b])
        else:
            weight = sum(
                1 for issue, stance in held[a]
                if stance in _OPPOSITE and (issue, _OPPOSITE[stance]) in held[b]
            )  # fmt: skip
        if weight:
            edges[(a, b)] = Edge(weight)
    return Network(mode, list(held), edges)
