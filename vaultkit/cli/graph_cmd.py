"""`vaultkit graph ...`: the referral graph, queried and exported."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app
from vaultkit.cli.followups_cmd import as_of_option

if TYPE_CHECKING:
    from vaultkit.domain.referral_graph import ReferralGraph


def _graph(app: AppContext) -> ReferralGraph:
    from vaultkit.domain.referral_graph import ReferralGraph

    return ReferralGraph(app.career())


@click.group()
def graph() -> None:
    """Who introduced you to whom: chains, reach, connectors, coverage, exports."""


@graph.command()
@click.argument("name")
@json_option
@pass_app
def referrers(app: AppContext, name: str, as_json: bool) -> None:
    """The chain of introductions that led to NAME, nearest referrer first
    (every chain, when several people referred them)."""
    referrals = _graph(app)
    node = referrals.node_named(name)
    chains = [[referrals.name(n) for n in chain] for chain in referrals.referrer_chains(node)]
    if as_json:
        from vaultkit.outputs.json_records import referrers_record

        echo_json(referrers_record(referrals.name(node), chains))
        return
    from rich.tree import Tree

    tree = Tree(referrals.name(node))
    if not chains:
        tree.add("(nobody: you reached them yourself)")
    for chain in chains:
        tree.add(" ← ".join(chain))
    echo_rich(tree)


@graph.command()
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 50), help="How many introductions deep.")
@json_option
@pass_app
def referrals(app: AppContext, name: str, depth: int | None, as_json: bool) -> None:
    """Everyone you reached through NAME, with how far and via whom."""
    graph_ = _graph(app)
    node = graph_.node_named(name)
    reached = graph_.reached_through(node, depth)
    if as_json:
        from vaultkit.outputs.json_records import referrals_record

        echo_json(referrals_record(graph_, node, reached))
        return
    from rich.tree import Tree

    root = Tree(graph_.name(node))
    branches = {node: root}
    for r in reached:
        branches[r.node] = branches[r.via].add(graph_.name(r.node))
    if not reached:
        root.add("(nobody yet)")
    echo_rich(root)


@graph.command(name="path")
@click.argument("first")
@click.argument("second")
@json_option
@pass_app
def path_(app: AppContext, first: str, second: str, as_json: bool) -> None:
    """The shortest chain of introductions between two people, either direction."""
    from vaultkit.errors import UsageError

    graph_ = _graph(app)
    source, target = graph_.node_named(first), graph_.node_named(second)
    found = graph_.shortest_path(source, target)
    if found is None:
        raise UsageError(
            f"no chain of introductions links {graph_.name(source)} and {graph_.name(target)}"
        )
    names = [graph_.name(n) for n in found]
    if as_json:
        from vaultkit.outputs.json_records import chain_record

        echo_json(chain_record(names))
    else:
        click.echo(" — ".join(names))


@graph.command()
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@as_of_option
@json_option
@pass_app
def top(app: AppContext, limit: int, as_of: str | None, as_json: bool) -> None:
    """Your best connectors: people reached through each, directly and in all,
    and how many of those you have interviewed."""
    if as_json:
        click.echo(_stored_top(app, limit, as_of))
        return
    rows = _top_rows(app, limit, app.now(as_of))
    from rich.table import Table

    table = Table(title="Connectors", title_justify="left")
    for column in ("Name", "Referred directly", "Reached in all", "Interviewed"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["name"], str(row["direct"]), str(row["total"]), str(row["interviewed"]))
    echo_rich(table)


def _top_rows(app: AppContext, limit: int, now: dt.datetime) -> list[dict[str, Any]]:
    from vaultkit.outputs.json_records import connector_record

    graph_ = _graph(app)
    return [
        connector_record(graph_.name(node), direct, total, met)
        for node, direct, total, met in list(graph_.connectors(now))[:limit]
    ]


def _stored_top(app: AppContext, limit: int, as_of: str | None) -> str:
    """``graph top --json``, reused while the vault and the clock's verdicts stand."""
    import sys

    from vaultkit.cli.context import json_text, wall_clock

    moment: dict[str, dt.datetime] = {}

    def compute() -> str:
        now = moment["now"] = app.now(as_of)
        return json_text(_top_rows(app, limit, now))

    def valid_until() -> dt.datetime:
        from vaultkit.domain.followups import next_change

        # interviews becoming held, from the moment it was computed for
        return next_change(app.career(), (), moment["now"])

    clock = wall_clock() if not as_of else None
    return app.cached_output(
        ("graph top", limit, as_of, sys.stdout.isatty()),
        compute,
        now=clock,
        valid_until=valid_until if clock is not None else None,
    )


@graph.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Count interviews held by then.")
@json_option
@pass_app
def coverage(app: AppContext, as_of: str | None, as_json: bool) -> None:
    """People and interviews per organization and industry; flags the fields
    you have heard from only one or two people."""
    from vaultkit.domain.coverage import coverage as compute

    rows = compute(app.career(), app.now(as_of))
    if as_json:
        from vaultkit.outputs.json_records import coverage_record

        echo_json([coverage_record(r) for r in rows])
        return
    from rich.table import Table

    table = Table(title="Coverage", title_justify="left")
    for column in ("Kind", "Name", "People", "Heard from", "Note"):
        table.add_column(column, overflow="fold")
    for r in rows:
        note = (
            "only one or two views: talk to more people"
            if r.thin
            else "not heard from yet"
            if not r.heard_from
            else ""
        )
        table.add_row(r.kind, r.name, str(r.people), str(r.heard_from), note)
    echo_rich(table)


@graph.command()
@as_of_option
@json_option
@pass_app
def orphans(app: AppContext, as_of: str | None, as_json: bool) -> None:
    """Contacts with no referrer and no interview: loose ends to follow up or close."""
    found = _graph(app).orphans(app.now(as_of))
    if as_json:
        from vaultkit.outputs.json_records import orphan_record

        echo_json([orphan_record(c) for c in found])
    else:
        for contact in found:
            click.echo(f"{contact.name}  ({contact.status or 'no status'})  {contact.path}")


@graph.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "json", "graphml"]),
    default="mermaid",
    show_default=True,
)
@pass_app
def export_(app: AppContext, fmt: str) -> None:
    """Print the graph: Mermaid for a note Obsidian draws, DOT for Graphviz,
    node-link JSON, GraphML for Gephi."""
    from vaultkit.outputs.graph_export import export

    click.echo(export(_graph(app), fmt), nl=False)
