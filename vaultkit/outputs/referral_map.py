"""The referral map note: the active part of the referral network, drawn as
Mermaid diagrams Obsidian renders, one per referral tree.

Mermaid refuses a diagram of more than 50,000 characters (``maxTextSize``)
or 500 edges (``maxEdges``), and a 3,000-person vault is far past both, and
past what anyone reads. So the note shows only the *active* network:

- a person is **active** when their stage is one where the search still moves
  (`ACTIVE_STAGES`: to-contact, contacted, scheduled, interviewed, thanked);
  keep-in-touch and closed people are settled;
- the map draws every active person who has a referral link (either way),
  with the chain of referrers that led to them, settled or not;
- that network is cut into referral trees, one per root (someone nobody in it
  referred): a diagram each, the trees with the most active people first,
  at most `MAX_DIAGRAMS` diagrams and `MAX_PEOPLE` people in all, a tree cut
  to `MAX_TREE_PEOPLE` people (nearest the root first) and always to
  `TEXT_BUDGET` characters;
- people with no referral link at all are left out.

The note says in one line what was left out and which command shows it.

Each person with a note is clickable (Obsidian's ``internal-link`` class
makes a node a link to the note its text names, so the text is the link
target: the file name, or the path when two notes share that name). Each
stage has its own colour, with a legend.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.referral_graph import ReferralGraph
from vaultkit.notes.wikilinks import is_linkable
from vaultkit.outputs.dashboard import GENERATED, plain
from vaultkit.outputs.graph_export import STATUS_STYLES, mermaid_label, mermaid_text
from vaultkit.vault.resolve import fold

ACTIVE_STAGES = frozenset({"to-contact", "contacted", "scheduled", "interviewed", "thanked"})
NO_NOTE = "unresolved"  # the stage class of a referrer with no note yet
MAX_DIAGRAMS = 12
MAX_PEOPLE = 400  # drawn in all: Obsidian lays every diagram of a note out at once
MAX_TREE_PEOPLE = 120
MAX_TEXT = 50_000  # Mermaid's maxTextSize default
TEXT_BUDGET = 45_000  # what one diagram may take, with a margin under MAX_TEXT
MAX_EDGES = 450  # Mermaid's maxEdges default is 500

StageOf = Callable[[Contact], str]


@dataclass(frozen=True)
class Person:
    """One node as drawn: its link target (or name, without a note) and stage."""

    node: str
    label: str
    stage: str
    linked: bool


@dataclass(frozen=True)
class MapInputs:
    """Everything the map is drawn from, comparable: the daemon redraws the map
    only when these change."""

    people: tuple[Person, ...]
    edges: tuple[tuple[str, str], ...]
    unlinked: int  # contacts with no referral link either way: never drawn


def map_inputs(
    career: CareerVault,
    referrals: ReferralGraph,
    now: dt.datetime,
    stage_of: StageOf | None = None,
) -> MapInputs:
    """The people (with a referral link either way) and the referral edges.
    Each person's colour is their stage as of ``now``, derived from the facts
    (`CareerVault.stage`) unless ``stage_of`` says otherwise."""
    if stage_of is None:

        def stage_of(contact: Contact) -> str:
            return career.stage(contact, now)

    plain = referrals.plain
    linked: set[str] = set()
    for source, target in plain.edges:
        linked.add(source)
        linked.add(target)
    shared = career.index.resolver.shared_stems
    people = []
    for node, data in plain.nodes.items():
        if node not in linked:
            continue
        contact = career.contact_at(node) if data["resolved"] else None
        if contact is None:
            people.append(Person(node, str(data["name"]), NO_NOTE, False))
            continue
        stem = contact.note.stem
        if not is_linkable(node):  # the node text is the link target: drawn, not linked
            people.append(Person(node, contact.name, stage_of(contact), False))
            continue
        target = node[:-3] if fold(stem) in shared and node.endswith(".md") else stem
        people.append(Person(node, target, stage_of(contact), True))
    return MapInputs(tuple(people), tuple(plain.edges), len(plain.nodes) - len(linked))


@dataclass(frozen=True)
class Tree:
    root: str
    nodes: list[str]  # breadth first from the root
    active: int


def _trees(inputs: MapInputs) -> tuple[list[Tree], set[str], dict[str, Person]]:
    """The active network cut into referral trees, best first."""
    people = {p.node: p for p in inputs.people}
    referrers: dict[str, list[str]] = defaultdict(list)
    referred: dict[str, list[str]] = defaultdict(list)
    for source, target in inputs.edges:
        referrers[target].append(source)
        referred[source].append(target)

    def order(node: str) -> tuple[str, str]:
        return (fold(people[node].label), node)

    shown: set[str] = set()
    for person in inputs.people:
        if person.stage in ACTIVE_STAGES:
            stack = [person.node]
            while stack:
                node = stack.pop()
                if node not in shown:
                    shown.add(node)
                    stack.extend(referrers[node])
    for node in shown:
        referred[node].sort(key=order)
    roots = sorted((n for n in shown if not any(r in shown for r in referrers[n])), key=order)
    trees: list[Tree] = []
    covered: set[str] = set()

    def grow(root: str) -> None:
        seen = {root}
        queue = deque([root])
        nodes = []
        while queue:
            node = queue.popleft()
            nodes.append(node)
            for child in referred[node]:
                if child in shown and child not in seen:
                    seen.add(child)
                    queue.append(child)
        covered.update(nodes)
        active = sum(1 for n in nodes if people[n].stage in ACTIVE_STAGES)
        trees.append(Tree(root, nodes, active))

    for root in roots:
        grow(root)
    for node in sorted(shown - covered, key=order):  # a ring of referrals has no root
        if node not in covered:
            grow(node)
    trees.sort(key=lambda t: (-t.active, -len(t.nodes), order(t.root)))
    return trees, shown, people


def _css(stage: str) -> str:
    return stage.replace("-", "_")


def _diagram(
    nodes: list[str], inputs_edges: set[tuple[str, str]], people: dict[str, Person]
) -> str:
    ids = {node: f"n{number}" for number, node in enumerate(nodes, 1)}
    lines = ["flowchart LR"]
    for node, ident in ids.items():
        person = people[node]
        label = mermaid_text(person.label) if person.linked else mermaid_label(person.label)
        lines.append(f'    {ident}["{label}"]')
    edges = sorted(
        ((s, t) for s, t in inputs_edges if s in ids and t in ids),
        key=lambda e: (int(ids[e[0]][1:]), int(ids[e[1]][1:])),
    )
    lines.extend(f"    {ids[s]} --> {ids[t]}" for s, t in edges)
    for stage, style in STATUS_STYLES.items():
        members = [ident for node, ident in ids.items() if people[node].stage == stage]
        if members:
            lines.append(f"    classDef {_css(stage)} {style}")
            lines.append(f"    class {','.join(members)} {_css(stage)}")
    links = [ident for node, ident in ids.items() if people[node].linked]
    if links:
        lines.append(f"    class {','.join(links)} internal-link")
    return "\n".join(lines) + "\n"


def _fit(
    tree: Tree, edges: set[tuple[str, str]], people: dict[str, Person], room: int
) -> tuple[str, list[str]]:
    """The tree's diagram, cut (farthest from the root first) to fit ``room``
    people, Mermaid's edge limit and the text budget."""
    keep = tree.nodes[: min(room, MAX_TREE_PEOPLE)]
    while True:
        text = _diagram(keep, edges, people)
        kept = set(keep)
        edge_count = sum(1 for s, t in edges if s in kept and t in kept)
        if (len(text) <= TEXT_BUDGET and edge_count <= MAX_EDGES) or len(keep) == 1:
            return text, keep
        keep = keep[: max(1, len(keep) * 9 // 10)]


def _legend() -> str:
    lines = ["flowchart LR"]
    shown = {NO_NOTE: "no note yet"}
    for number, stage in enumerate(STATUS_STYLES, 1):
        lines.append(f'    s{number}["{shown.get(stage, stage)}"]')
    for number, (stage, style) in enumerate(STATUS_STYLES.items(), 1):
        lines.append(f"    classDef {_css(stage)} {style}")
        lines.append(f"    class s{number} {_css(stage)}")
    return "\n".join(lines) + "\n"


def _fence(diagram: str) -> list[str]:
    return ["```mermaid", diagram.rstrip("\n"), "```", ""]


def _count(number: int, word: str, words: str | None = None) -> str:
    return f"{number:,} {word if number == 1 else words or word + 's'}"


def referral_map(career: CareerVault, referrals: ReferralGraph, inputs: MapInputs) -> str:
    """The referral map note: a legend, then one diagram per referral tree of
    the active network, and what was left out."""
    trees, shown, people = _trees(inputs)
    edges = set(inputs.edges)
    lines = [
        "---",
        "vaultkit: referral-map",
        "---",
        GENERATED,
        "# Referral map",
        "",
        "Who introduced you to whom, for the people the search is still moving with "
        f"({', '.join(s for s in STATUS_STYLES if s in ACTIVE_STAGES)}) and the referrers "
        "who led to them: one diagram per referral tree, the busiest first. "
        "Click a person to open their note.",
        "",
        *_fence(_legend()),
    ]
    drawn: set[str] = set()
    boxes = 0  # someone two referrers share is drawn in both their trees
    diagrams = 0
    for tree in trees:
        room = MAX_PEOPLE - boxes
        if diagrams == MAX_DIAGRAMS or room <= 0:
            break
        diagram, kept = _fit(tree, edges, people, room)
        diagrams += 1
        drawn.update(kept)
        boxes += len(kept)
        root = people[tree.root]
        active = _count(tree.active, "active person", "active people")
        lines.append(f"## From {mermaid_free(root.label)} ({active})")
        lines.append("")
        lines.extend(_fence(diagram))
        if len(kept) < len(tree.nodes):
            lines.append(
                f"{_count(len(tree.nodes) - len(kept), 'more person', 'more people')} "
                "in this tree: "
                f'`vaultkit graph referrals "{mermaid_free(root.label)}"`.'
            )
            lines.append("")
    if not trees:
        lines += ["Nobody the search is still moving with has a referral link yet.", ""]
    lines.append(
        _left_out(
            len(trees) - diagrams, len(shown - drawn), len(people) - len(shown), inputs.unlinked
        )
    )
    return "\n".join(lines) + "\n"


def mermaid_free(text: str) -> str:
    """A name in the note's Markdown (a heading, a command): one line, nothing
    that could start markup or end the quoted argument."""
    return plain(text).replace('"', "'")


def _left_out(trees: int, people_left: int, settled: int, unlinked: int) -> str:
    """The line that says what the map leaves out, and how to see it."""
    parts = []
    if trees or people_left:
        parts.append(
            f"{_count(trees, 'smaller referral tree')} ({_count(people_left, 'person', 'people')} "
            "of the active network)"
        )
    if settled:
        parts.append(
            f"{_count(settled, 'settled person', 'settled people')} "
            "(keep-in-touch or closed, nobody active after them)"
        )
    if unlinked:
        parts.append(f"{_count(unlinked, 'person', 'people')} with no referral link either way")
    if not parts:
        return "Everyone with a referral link is shown."
    return (
        f"Not shown: {'; '.join(parts)}. The whole graph: "
        "`vaultkit graph export --format mermaid` (or `dot`, `graphml` for Gephi); "
        "one tree: `vaultkit graph referrals NAME`."
    )
