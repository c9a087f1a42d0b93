"""The referral graph as files other tools draw: Mermaid (a note Obsidian
renders), DOT (Graphviz), node-link JSON, GraphML (Gephi).

Names are data from the vault, so every format escapes them: any name
(quotes, brackets, pipes, unicode, newlines) yields a valid diagram and
cannot add nodes, edges or styles of its own.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from vaultkit.domain.referral_graph import ReferralGraph

FORMATS = ("mermaid", "dot", "json", "graphml")
MAX_LABEL = 32
# One colour per stage (the referral map's legend shows them), and a dashed
# box for a referrer with no note yet.
STATUS_STYLES = {
    "to-contact": "fill:#f3f4f6,stroke:#6b7280",
    "contacted": "fill:#fef3c7,stroke:#d97706",
    "scheduled": "fill:#dbeafe,stroke:#2563eb",
    "interviewed": "fill:#ede9fe,stroke:#7c3aed",
    "thanked": "fill:#dcfce7,stroke:#16a34a",
    "keep-in-touch": "fill:#ccfbf1,stroke:#0f766e",
    "closed": "fill:#e5e7eb,stroke:#9ca3af,color:#6b7280",
    "unresolved": "fill:#ffffff,stroke:#9ca3af,stroke-dasharray:4 3",
}


def export(referrals: ReferralGraph, fmt: str) -> str:
    return {"mermaid": mermaid, "dot": dot, "json": node_link_json, "graphml": graphml}[fmt](
        referrals
    )


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1].rstrip() + "…"


def _status_class(data: dict[str, Any]) -> str:
    if not data["resolved"]:
        return "unresolved"
    return str(data["status"]) if data["status"] in STATUS_STYLES else ""


_MERMAID_ENTITIES = {
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "#": "#35;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
}


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label, whole: one line, with Mermaid entity
    codes for what would end or restyle the label (the browser shows the
    characters themselves, so a link target survives)."""
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in " ".join(text.split()))


def mermaid_label(name: str) -> str:
    """A name as a quoted Mermaid label, shortened to `MAX_LABEL`."""
    return mermaid_text(_short(name))


def mermaid(referrals: ReferralGraph) -> str:
    """A ``flowchart LR`` with generated ids (``n1``...) and quoted, escaped labels,
    classes by status; unresolved referrers dashed."""
    graph = referrals.plain  # no networkx: the watcher draws this on every save
    ids = {node: f"n{number}" for number, node in enumerate(sorted(graph.nodes, key=str), 1)}
    lines = ["flowchart LR"]
    for node, ident in ids.items():
        data = graph.nodes[node]
        lines.append(f'    {ident}["{mermaid_label(str(data["name"]))}"]')
    for source, target in sorted(graph.edges, key=lambda e: (ids[e[0]], ids[e[1]])):
        lines.append(f"    {ids[source]} --> {ids[target]}")
    for status, style in STATUS_STYLES.items():
        members = [ids[n] for n in ids if _status_class(graph.nodes[n]) == status]
        if members:
            css_class = status.replace("-", "_")
            lines.append(f"    classDef {css_class} {style}")
            lines.append(f"    class {','.join(members)} {css_class}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"\r\n|\r|\n", r"\\n", escaped)
    return f'"{escaped}"'


def dot(referrals: ReferralGraph) -> str:
    """Graphviz DOT: every id and label a quoted, escaped string."""
    graph = referrals.graph
    lines = ["digraph referrals {", "    rankdir=LR;", '    node [shape=box, style="rounded"];']
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        attributes = [f"label={_dot_string(str(data['name']))}"]
        if not data["resolved"]:
            attributes.append('style="rounded,dashed"')
        elif data["status"]:
            attributes.append(f"tooltip={_dot_string(str(data['status']))}")
        lines.append(f"    {_dot_string(str(node))} [{', '.join(attributes)}];")
    for source, target in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1]))):
        lines.append(f"    {_dot_string(str(source))} -> {_dot_string(str(target))};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def node_link_json(referrals: ReferralGraph) -> str:
    import networkx as nx

    data = nx.node_link_data(referrals.graph, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def graphml(referrals: ReferralGraph) -> str:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(referrals.graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
