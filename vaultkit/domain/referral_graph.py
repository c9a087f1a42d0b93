"""The referral graph: who introduced you to whom, as a networkx digraph.

Edges run from referrer to the person they referred. networkx is imported only
when a graph is asked for, because it costs a noticeable fraction of a second
and most commands never need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultkit.domain.career import CareerVault

if TYPE_CHECKING:
    import networkx as nx


def referral_graph(career: CareerVault) -> nx.DiGraph:
    """Nodes are contact paths (resolved) or ``?name`` (unresolved referrers)."""
    import networkx as nx

    graph = nx.DiGraph()
    for contact in career.contacts:
        graph.add_node(contact.path, name=contact.name, resolved=True)
    for contact in career.contacts:
        for ref in contact.referred_by:
            source = ref.path if ref.path else f"?{ref.name}"
            if source not in graph:
                graph.add_node(source, name=ref.name, resolved=ref.path is not None)
            graph.add_edge(source, contact.path)
    return graph


def referral_cycles(career: CareerVault) -> list[list[str]]:
    """Groups of contacts who (directly or through others) referred each other.

    Strongly connected components rather than every simple cycle: linear time
    whatever the vault holds, and one report per tangle is what a user fixes.
    Each group is a sorted list of note paths.
    """
    import networkx as nx

    graph = referral_graph(career)
    cycles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycles.append(sorted(component))
        else:
            (node,) = component
            if graph.has_edge(node, node):
                cycles.append([node])
    return sorted(cycles)
