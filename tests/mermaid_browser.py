"""Render Mermaid diagrams in headless Chromium with the mermaid package from
npm (tests/browser/package.json; `.ci/run` installs both), the way Obsidian
draws them: Mermaid's own defaults, so its 50,000-character ``maxTextSize``
and 500-edge ``maxEdges`` apply.

The page renders each diagram with ``mermaid.render`` and writes, per
diagram, ``OK <index> <internal-link nodes> <nodes> <JSON>`` or ``ERROR
<index> <message>`` into the DOM, which Chromium dumps when the page is
idle. The JSON carries the link texts and, for charts (``xychart-beta``),
the bars and lines drawn and every text of the picture.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

MERMAID = Path(__file__).resolve().parent / "browser" / "node_modules" / "mermaid" / "dist"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--allow-file-access-from-files",
    "--virtual-time-budget=600000",
)

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="%(mermaid)s"></script></head>
<body><pre id="out">PENDING</pre><div id="scratch"></div>
<script>
const diagrams = %(diagrams)s;
(async () => {
  const out = [];
  mermaid.initialize({startOnLoad: false});
  for (let i = 0; i < diagrams.length; i++) {
    try {
      const {svg} = await mermaid.render("d" + i, diagrams[i]);
      const box = document.createElement("div");
      box.innerHTML = svg;
      const nodes = box.querySelectorAll("g.node");
      const linked = box.querySelectorAll("g.node.internal-link");
      const texts = Array.from(linked, n => n.textContent.trim());
      const bars = box.querySelectorAll("g[class^='bar-plot'] rect").length;
      const lines = box.querySelectorAll("g[class^='line-plot'] path").length;
      const words = Array.from(box.querySelectorAll("text"), t => t.textContent);
      const extra = {texts, bars, lines, words};
      out.push("OK " + i + " " + linked.length + " " + nodes.length + " " + JSON.stringify(extra));
    } catch (error) {
      out.push("ERROR " + i + " " + String(error && error.message || error).split("\\n")[0]);
    }
  }
  document.getElementById("out").textContent = out.join("\\n");
  document.getElementById("scratch").remove();
})();
</script></body></html>
"""


@dataclass(frozen=True)
class Rendered:
    ok: bool
    linked: int  # nodes with Obsidian's internal-link class
    nodes: int
    linked_texts: list[str]  # what Obsidian would take as each link target
    error: str
    bars: int = 0  # a chart's bars drawn
    lines: int = 0  # a chart's lines drawn
    words: tuple[str, ...] = ()  # every text of the picture (titles, axis labels)


def browser() -> tuple[str, Path]:
    """Chromium and mermaid.min.js, or a skip, except in CI where they must be there."""
    chromium = next(
        (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))),
        None,
    )
    script = MERMAID / "mermaid.min.js"
    missing = [
        what for what, ok in (("chromium", chromium), ("mermaid", script.exists())) if not ok
    ]
    if missing:
        message = f"{' and '.join(missing)} not installed (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert chromium is not None
    return chromium, script


def render(diagrams: list[str]) -> list[Rendered]:
    chromium, script = browser()
    with tempfile.TemporaryDirectory(prefix="vaultkit-chromium-") as scratch:
        page = Path(scratch) / "render.html"
        page.write_text(
            PAGE % {"mermaid": script.as_uri(), "diagrams": json.dumps(diagrams)},
            encoding="utf-8",
        )
        result = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={scratch}/profile", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    dom = result.stdout
    start = dom.find('<pre id="out">')
    assert start >= 0, result.stderr[-2000:]
    body = dom[start + len('<pre id="out">') : dom.index("</pre>", start)]
    lines = html.unescape(body).splitlines()
    assert len(lines) == len(diagrams), (lines[:3], result.stderr[-2000:])
    rendered = []
    for line in lines:
        if line.startswith("OK "):
            _, _, linked, nodes, extra = line.split(" ", 4)
            found = json.loads(extra)
            rendered.append(
                Rendered(
                    True,
                    int(linked),
                    int(nodes),
                    found["texts"],
                    "",
                    found["bars"],
                    found["lines"],
                    tuple(found["words"]),
                )
            )
        else:
            rendered.append(Rendered(False, 0, 0, [], line))
    return rendered


def mermaid_blocks(markdown: str) -> list[str]:
    """The source of every ```mermaid block of a note."""
    blocks = []
    for part in markdown.split("```mermaid\n")[1:]:
        blocks.append(part[: part.index("\n```")] + "\n")
    return blocks
