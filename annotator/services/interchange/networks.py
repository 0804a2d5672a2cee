"""Exporting a discourse network as GraphML (``annotator export --network``, File > Export
network…): the project's claims as statements, filtered as the coverage chart filters, made
into one of ``core.networks``' modes and written with ``core.formats.graphml``.

Nodes carry ``label``, ``type`` (speaker or issue), ``organisation`` and ``colour``; edges a
``weight`` and, in the actor–issue network, a count per stance.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.formats.graphml import GraphEdge, GraphNode, graphml_bytes
from annotator.core.model import AnnotationKind, ArticleSummary, Code
from annotator.core.networks import STANCE_COUNTS, NetworkMode, Statement, build_network
from annotator.services.interchange.csv_export import (
    article_annotations,
    make_filter,
    selected_articles,
)
from annotator.services.interchange.files import refuse_project_file, write_file_atomically
from annotator.store import Store

__all__ = ["NetworkExport", "NetworkMode", "export_network", "network_statements"]


@dataclass(frozen=True, slots=True)
class NetworkExport:
    nodes: int
    edges: int


def network_statements(
    store: Store,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[Statement]:
    """The filtered claims as statements. Dates compare as ISO text, both ends inclusive
    at any precision (as in coverage); with a bound, undated articles drop out."""
    chosen = make_filter(store, sources=sources, annotators=annotators, kinds=["claim"])
    found = []
    for summary in selected_articles(store, chosen):
        if not _in_dates(summary, date_from, date_to):
            continue
        for claim in article_annotations(store, summary.id, chosen):
            if claim.kind is AnnotationKind.CLAIM:
                found.append(Statement(claim.speaker_id, claim.issue_ids, claim.stance))
    return found


def _in_dates(summary: ArticleSummary, date_from: str | None, date_to: str | None) -> bool:
    published = summary.published or ""
    if (date_from or date_to) and not published[:4].isdigit():
        return False
    if date_from and published < date_from:
        return False
    return not (date_to and published[: len(date_to)] > date_to)


def export_network(
    store: Store,
    path: Path,
    mode: NetworkMode | str,
    *,
    sources: Iterable[str] = (),
    annotators: Iterable[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
) -> NetworkExport:
    """Write the network to ``path`` as GraphML, which appears only once complete."""
    try:
        chosen = NetworkMode(str(mode).strip().lower())
    except ValueError as exc:
        modes = ", ".join(m.value for m in NetworkMode)
        raise ValidationError(f"Unknown network mode {mode!r}; use {modes}.") from exc
    path = Path(path)
    refuse_project_file(store, path)
    statements = network_statements(
        store, sources=sources, annotators=annotators, date_from=date_from, date_to=date_to
    )
    network = build_network(chosen, statements)
    codes = {code.id: code for code in store.codes.all()}
    nodes = [GraphNode(node, _node_data(codes.get(node))) for node in network.nodes]
    edges = []
    for (a, b), edge in network.edges.items():
        data: dict[str, str | int] = {"weight": edge.weight}
        if chosen is NetworkMode.ACTOR_ISSUE:
            data |= {stance: edge.stances[stance] for stance in STANCE_COUNTS}
        edges.append(GraphEdge(a, b, data))
    write_file_atomically(path, graphml_bytes(nodes, edges, graph_id=chosen.value))
    return NetworkExport(len(nodes), len(edges))


def _node_data(code: Code | None) -> dict[str, str | int]:
    if code is None:  # a code deleted meanwhile: still a node, named by nothing
        return {"label": "", "type": "", "organisation": "", "colour": ""}
    return {
        "label": code.name,
        "type": code.kind.value,
        "organisation": code.organisation or "",
        "colour": code.colour,
    }
