"""Writing a network as GraphML, the XML graph format networkx, igraph, Gephi and visone
read. Pure: attributes in, bytes out.

Every attribute is declared once as a ``key`` with its type (string, int), the form every
one of those readers takes; the graph is undirected.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from annotator.core.formats.qde import xml_text

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

Value = str | int


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    data: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    data: Mapping[str, Value]


def graphml_bytes(
    nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], *, graph_id: str = "G"
) -> bytes:
    """The graph as a GraphML document (UTF-8)."""
    root = etree.Element(
        f"{{{GRAPHML_NS}}}graphml",
        nsmap={None: GRAPHML_NS, "xsi": _XSI},
        attrib={f"{{{_XSI}}}schemaLocation": f"{GRAPHML_NS} {_SCHEMA}"},
    )
    keys = {
        "node": _declare(root, "node", [n.data for n in nodes], "n"),
        "edge": _declare(root, "edge", [e.data for e in edges], "e"),
    }
    graph = _child(root, "graph", id=graph_id, edgedefault="undirected")
    for node in nodes:
        _data(_child(graph, "node", id=node.id), node.data, keys["node"])
    for index, edge in enumerate(edges):
        element = _child(graph, "edge", id=f"e{index}", source=edge.source, target=edge.target)
        _data(element, edge.data, keys["edge"])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _child(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{GRAPHML_NS}}}{name}", attrib=attributes)


def _declare(
    root: etree._Element, kind: str, data: list[Mapping[str, Value]], prefix: str
) -> dict[str, str]:
    """A ``key`` per attribute name (in first-seen order), typed by its first value."""
    keys: dict[str, str] = {}
    for values in data:
        for name, value in values.items():
            if name in keys:
                continue
            keys[name] = f"{prefix}{len(keys)}"
            kind_of = "int" if isinstance(value, int) else "string"
            _child(root, "key", id=keys[name], **{"for": kind, "attr.name": name,
                                                  "attr.type": kind_of})  # fmt: skip
    return keys


def _data(element: etree._Element, values: Mapping[str, Value], keys: dict[str, str]) -> None:
    for name, value in values.items():
        _child(element, "data", key=keys[name]).text = xml_text(str(value))
