"""`vaultkit graph`: chains, reach, paths, connectors, coverage, orphans and
exports, on a vault with branching chains, two referrers, an unresolved
referrer, a cycle and unicode names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import SAMPLE_VAULT, invoke, invoke_json


@pytest.fixture
def web(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    people = {
        "Root": "",
        "Zoë Ångström": 'referred_by: "[[Root]]"',
        "B": 'referred_by: "[[Root]]"',
        "C": 'referred_by: "[[Zoë Ångström]]"',
        "D": 'referred_by: ["[[C]]", "[[B]]"]',
        "E": 'referred_by: "[[D]]"',
        "Ghosted": 'referred_by: "[[Nobody Known]]"',
        'Quote "Q" [x] |y|': 'referred_by: "[[E]]"',
        "Loop1": 'referred_by: "[[Loop2]]"',
        "Loop2": 'referred_by: "[[Loop1]]"',
        "Loner": "status: to-contact",
    }
    for name, line in people.items():
        write(f"People/{name}.md", f"---\n{line}\nindustry: Design\n---\n")
    write(
        "Interviews/2026-11-01 C.md",
        '---\ncontact: "[[C]]"\ndate: 2026-11-01 10:00\nstatus: done\n'
        'referrals: ["[[Fresh Name]]"]\n---\n',
    )
    return vault


def test_referrers_every_chain_nearest_first(web: Path) -> None:
    assert invoke_json(web, "graph", "referrers", "e") == {
        "name": "E",
        "chain": ["D", "C", "Zoë Ångström", "Root"],
        "chains": [["D", "C", "Zoë Ångström", "Root"], ["D", "B", "Root"]],
    }
    assert invoke_json(web, "graph", "referrers", "Ghosted")["chain"] == ["Nobody Known"]  # type: ignore[index]
    assert invoke_json(web, "graph", "referrers", "Root")["chain"] == []  # type: ignore[index]


def test_cycles_never_hang_and_are_reported(web: Path) -> None:
    assert invoke_json(web, "graph", "referrers", "Loop1")["chains"] == [["Loop2"]]  # type: ignore[index]
    reached = invoke_json(web, "graph", "referrals", "Loop1")["referrals"]  # type: ignore[index]
    assert reached == [{"name": "Loop2", "depth": 1, "referred_by": "Loop1"}]
    assert "refer to each other in a circle: Loop1, Loop2" in invoke(web, "check").stdout


def test_referrals_with_depth_and_via(web: Path) -> None:
    result = invoke_json(web, "graph", "referrals", "root")
    assert result == {
        "name": "Root",
        "referrals": [
            {"name": "B", "depth": 1, "referred_by": "Root"},
            {"name": "Zoë Ångström", "depth": 1, "referred_by": "Root"},
            {"name": "D", "depth": 2, "referred_by": "B"},
            {"name": "C", "depth": 2, "referred_by": "Zoë Ångström"},
            {"name": "E", "depth": 3, "referred_by": "D"},
            {"name": "Fresh Name", "depth": 3, "referred_by": "C"},
            {"name": 'Quote "Q" [x] |y|', "depth": 4, "referred_by": "E"},
        ],
    }
    shallow = invoke_json(web, "graph", "referrals", "Root", "--depth", "1")
    assert [r["name"] for r in shallow["referrals"]] == ["B", "Zoë Ångström"]  # type: ignore[index]
    ghost = invoke_json(web, "graph", "referrals", "nobody known")
    assert ghost["referrals"] == [{"name": "Ghosted", "depth": 1, "referred_by": "Nobody Known"}]  # type: ignore[index]


def test_path_either_direction(web: Path) -> None:
    assert invoke_json(web, "graph", "path", "E", "zoë ångström") == {
        "path": ["E", "D", "C", "Zoë Ångström"]
    }
    result = invoke(web, "graph", "path", "Loner", "Root")
    assert result.exit_code == 2
    assert result.stderr == "vaultkit: no chain of introductions links Loner and Root\n"


def test_top_coverage_orphans(web: Path) -> None:
    top = invoke_json(web, "graph", "top", "--limit", "2")
    assert top == [
        {"name": "Root", "direct": 2, "total": 7, "interviewed": 1},
        {"name": "Zoë Ångström", "direct": 1, "total": 5, "interviewed": 1},
    ]
    rows = invoke_json(web, "graph", "coverage", "--as-of", "2026-11-21")
    design = next(r for r in rows if r["kind"] == "industry")  # type: ignore[union-attr]
    assert design == {
        "kind": "industry",
        "name": "Design",
        "people": 11,
        "heard_from": 1,
        "interviews": 1,
        "thin": True,
    }
    assert [o["name"] for o in invoke_json(web, "graph", "orphans")] == ["Loner", "Root"]  # type: ignore[union-attr]


def test_unknown_name_is_one_line(web: Path) -> None:
    result = invoke(web, "graph", "referrers", "Nobody At All")
    assert result.exit_code == 2
    assert result.stderr == "vaultkit: no contact named 'Nobody At All' in this vault\n"


def test_mermaid_has_the_shape_obsidian_renders(web: Path) -> None:
    text = invoke(web, "graph", "export").stdout
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    node_lines = [ln for ln in lines if re.fullmatch(r'    n\d+\["[^"\n]*"\]', ln)]
    edge_lines = [ln for ln in lines if re.fullmatch(r"    n\d+ --> n\d+", ln)]
    other = [ln for ln in lines[1:] if ln not in node_lines and ln not in edge_lines]
    assert all(re.fullmatch(r"    (classDef \w+ [^;\n]+|class [n\d,]+ \w+)", ln) for ln in other)
    assert len(node_lines) == 13 and len(edge_lines) == 11
    assert '["Quote #quot;Q#quot; [x] #124;y#124;"]' in text
    assert "classDef unresolved" in text


def test_dot_renders_with_graphviz(web: Path, tmp_path: Path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz is not installed (.ci/run installs it)")
    source = invoke(web, "graph", "export", "--format", "dot").stdout
    result = subprocess.run(
        [dot, "-Tsvg"], input=source.encode(), capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    svg = result.stdout.decode()
    assert svg.count('class="node"') == 13 and svg.count('class="edge"') == 11
    assert "Zoë Ångström" in svg and "Quote &quot;Q&quot; [x] |y|" in svg


def test_graphml_and_json_read_back(web: Path, tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_text(invoke(web, "graph", "export", "--format", "graphml").stdout)
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == 13 and graph.number_of_edges() == 11
    assert graph.nodes["People/Zoë Ångström.md"]["name"] == "Zoë Ångström"
    assert graph.nodes["?Nobody Known"]["resolved"] is False
    data = json.loads(invoke(web, "graph", "export", "--format", "json").stdout)
    again = nx.node_link_graph(data, edges="links")
    assert set(again.edges) == set(graph.edges)


def test_sample_vault_graph() -> None:
    chain = invoke_json(SAMPLE_VAULT, "graph", "referrers", "Kevin O'Neill")["chain"]  # type: ignore[index]
    assert chain == ["Aisha Mohammed", "Tom Becker", "Priya Raman", "Daniel Whitaker"]
    for fmt in ("mermaid", "dot", "json", "graphml"):
        assert invoke(SAMPLE_VAULT, "graph", "export", "--format", fmt).exit_code == 0
