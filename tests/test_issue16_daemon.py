"""Issue 16, points 6, 7, 8 and 10: the daemon across a replaced vault folder,
retried writes, names that would inject Markdown, and the smaller faults."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests.conftest import invoke

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


# -- 8. file names cannot inject Markdown into the dashboard -------------------


@pytest.mark.parametrize("name", ["Eve\n## INJECTED HEADING\n", "Eve]] ## INJECTED", "Eve|x]]"])
def test_file_names_cannot_inject_markdown_into_the_dashboard(vault: Path, write, name) -> None:  # type: ignore[no-untyped-def]
    write(
        f"People/{name}.md",
        "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n- [ ] Call back 📅 2026-11-20\n",
    )
    invoke(vault, "sync", "--as-of", "2026-11-24")
    dashboard = (vault / "vaultkit" / "Dashboard.md").read_text()
    assert not any(line.startswith("## INJECTED") for line in dashboard.splitlines())
    line = next(ln for ln in dashboard.splitlines() if "Call back" in ln)
    destination = line.split("](", 1)[-1].split(")", 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9/%._~-]+", destination), line
    # still a link to the note, in a form that cannot be broken out of
    assert "](People/Eve" in line and line.count("[[") == 0
    check = invoke(vault, "check", "--json")
    codes = {d["code"] for d in json.loads(check.stdout)}
    assert "unsafe-name" in codes


def test_referral_map_does_not_link_an_unsafe_name(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Ann.md", "---\nstatus: contacted\n---\n")
    write(
        "People/Bo\n## INJECTED.md",
        '---\nstatus: contacted\nreferred_by: "[[Ann]]"\n---\n',
    )
    invoke(vault, "sync", "--as-of", "2026-11-24")
    text = (vault / "vaultkit" / "Referral map.md").read_text()
    assert not any(line.startswith("## INJECTED") for line in text.splitlines())
    diagram = text.split("```mermaid\n")[2]
    # Ann stays a link; the unsafe name is drawn as plain text, not a broken link
    assert "internal-link" in diagram
    bo = next(line.split("[")[0].strip() for line in diagram.splitlines() if "Bo" in line)
    links = next(line for line in diagram.splitlines() if "internal-link" in line)
    assert bo not in links.split()[1].split(",")
