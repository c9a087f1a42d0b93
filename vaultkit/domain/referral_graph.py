"""The referral graph: who introduced you to whom, queried.

Edges run from a referrer to the person they referred, from two sources:
contacts' ``referred_by`` and interviews' ``referrals`` (the person you met
suggested someone). A referrer with no note appears as an unresolved node
(``?Name``) rather than vanishing. Queries never hang on a cycle: every walk
keeps a visited set, and `check` reports cycles.

networkx is imported only when a graph is asked for: it costs a noticeable
fraction of a second and most commands never need it.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.resolved_links import Ref
from vaultkit.errors import NameNotFoundError
from vaultkit.vault.resolve import fold

if TYPE_CHECKING:
    import networkx as nx

UNRESOLVED = "?"


def node_for(ref: Ref) -> str:
    """A contact's node is its note path; an unresolved name is ``?Name``."""
    return ref.path if ref.path else f"{UNRESOLVED}{ref.name}"


@dataclass(frozen=True)
class Reached:
    """Someone reached through a contact: how many introductions away, and via whom."""

    node: str
    depth: int
    via: str


@dataclass(frozen=True)
class PlainGraph:
    """Nodes (with their attributes) and edges (with the key they come from:
    ``referred_by`` or ``referrals``), in the order they were found."""

    nodes: dict[str, dict[str, object]]
    edges: dict[tuple[str, str], str]


class ReferralGraph:
    """Referral queries over one vault. Nodes carry ``name``, ``resolved``,
    ``status``, ``organization`` and ``industry`` attributes."""

    def __init__(self, career: CareerVault) -> None:
        self.career = career

    @cached_property
    def plain(self) -> PlainGraph:
        """The nodes and edges as plain dicts, built without networkx: what the
        Mermaid map needs, cheap enough for a watcher to build on every save
        and compare with the last one (networkx alone would be 20 MB of a
        watcher's memory)."""
        nodes: dict[str, dict[str, object]] = {}
        edges: dict[tuple[str, str], str] = {}
        for contact in self.career.contacts:
            nodes[contact.path] = self._attributes(contact)
        for contact in self.career.contacts:
            for ref in contact.referred_by:
                node = node_for(ref)
                if node not in nodes:
                    nodes[node] = self._unresolved(ref.name)
                edges[(node, contact.path)] = "referred_by"
        for interview in self.career.interviews:
            if interview.contact is None:
                continue
            source = node_for(interview.contact)  # the person met, even without a note
            for ref in interview.referrals:
                if source not in nodes:
                    nodes[source] = self._unresolved(interview.contact.name)
                target = node_for(ref)
                if target not in nodes:
                    nodes[target] = self._unresolved(ref.name)
                edges.setdefault((source, target), "referrals")
        return PlainGraph(nodes, edges)

    @cached_property
    def graph(self) -> nx.DiGraph:
        import networkx as nx

        graph = nx.DiGraph()
        plain = self.plain
        for node, attributes in plain.nodes.items():
            graph.add_node(node, **attributes)
        for (source, target), origin in plain.edges.items():
            graph.add_edge(source, target, source=origin)
        return graph

    def _attributes(self, contact: Contact) -> dict[str, object]:
        organization = self.career.organization_at(
            contact.organization.path if contact.organization else None
        )
        industry = contact.industry or (organization.industry if organization else None)
        return {
            "name": contact.name,
            "resolved": True,
            "status": contact.status or "",
            "organization": contact.organization_name or "",
            "industry": industry or "",
            "path": contact.path,
        }

    @staticmethod
    def _unresolved(name: str) -> dict[str, object]:
        return {
            "name": name,
            "resolved": False,
            "status": "",
            "organization": "",
            "industry": "",
            "path": "",
        }

    def name(self, node: str) -> str:
        return str(self.graph.nodes[node]["name"])

    def node_named(self, name: str) -> str:
        """Resolve a command-line name like a link (file name, alias, ``name``),
        falling back to a referrer that has no note yet."""
        try:
            return self.career.find_note(name, ("contact",)).path
        except NameNotFoundError:
            wanted = fold(name.strip())
            for node, data in self.graph.nodes(data=True):
                if not data["resolved"] and fold(str(data["name"])) == wanted:
                    return str(node)
            raise

    def referrer_chains(self, node: str) -> list[list[str]]:
        """Every chain back from ``node``: nearest referrer first, first contact
        last. A cycle ends a chain where it would repeat a person."""
        chains: list[list[str]] = []

        def walk(current: str, chain: list[str]) -> None:
            referrers = [
                r for r in self.graph.predecessors(current) if r not in chain and r != node
            ]
            if not referrers:
                if chain:
                    chains.append(chain)
                return
            for referrer in referrers:  # the order the note lists them in
                walk(referrer, [*chain, referrer])

        walk(node, [])
        return chains

    def reached_through(self, node: str, max_depth: int | None = None) -> list[Reached]:
        """Everyone reached through ``node``, breadth first (nearest first)."""
        seen = {node}
        found: list[Reached] = []
        queue: deque[tuple[str, int]] = deque([(node, 0)])
        while queue:
            current, depth = queue.popleft()
            if max_depth is not None and depth >= max_depth:
                continue
            for child in sorted(self.graph.successors(current), key=self._order):
                if child in seen:
                    continue
                seen.add(child)
                found.append(Reached(child, depth + 1, current))
                queue.append((child, depth + 1))
        return found

    def shortest_path(self, source: str, target: str) -> list[str] | None:
        """The shortest chain of introductions between two people, either way."""
        import networkx as nx

        try:
            return list(nx.shortest_path(self.graph.to_undirected(as_view=True), source, target))
        except nx.NetworkXNoPath:
            return None

    def connectors(self, now: dt.datetime) -> Iterator[tuple[str, int, int, int]]:
        """(node, referred directly, reached in total, of those interviewed by
        ``now``), best connectors first."""
        interviewed = self._interviewed(now)
        rows = []
        for node in self.graph.nodes:
            direct = self.graph.out_degree(node)
            if not direct:
                continue
            reached = [r.node for r in self.reached_through(node)]
            rows.append((node, direct, len(reached), sum(1 for r in reached if r in interviewed)))
        rows.sort(key=lambda row: (-row[2], -row[1], -row[3], self._order(row[0])))
        return iter(rows)

    def _interviewed(self, now: dt.datetime) -> set[str]:
        """People actually met: those with an interview held by ``now`` (passed
        in, so `--as-of` and tests decide the day, not the clock)."""
        return {
            i.contact.path
            for i in self.career.interviews
            if i.contact is not None and i.contact.path and i.held(now)
        }

    def orphans(self, now: dt.datetime) -> list[Contact]:
        """Contacts nobody referred and whom you had not interviewed by ``now``: loose ends."""
        interviewed = self._interviewed(now)
        return [
            c
            for c in self.career.contacts
            if not c.referred_by and c.path not in interviewed and self.graph.in_degree(c.path) == 0
        ]

    def _order(self, node: str) -> tuple[str, str]:
        return (fold(self.name(node)), node)


def referral_cycles(career: CareerVault) -> list[list[str]]:
    """Groups of contacts who (directly or through others) referred each other.

    Strongly connected components rather than every simple cycle: linear time
    whatever the vault holds, and one report per tangle is what a user fixes.
    Only ``referred_by`` links count (an interview suggesting someone who
    referred you is no contradiction). Each group is a sorted list of paths.
    """
    import networkx as nx

    graph = nx.DiGraph()
    for contact in career.contacts:
        graph.add_node(contact.path)
        for ref in contact.referred_by:
            graph.add_edge(node_for(ref), contact.path)
    cycles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycles.append(sorted(component))
        else:
            (node,) = component
            if graph.has_edge(node, node):
                cycles.append([node])
    return sorted(cycles)
