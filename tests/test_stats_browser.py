"""The dashboard's charts drawn by a real browser (headless Chromium with
mermaid from npm, as for the referral map): the sample vault, a tiny vault,
an empty one and sources with quotes and Mermaid syntax in them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_VAULT, invoke
from tests.mermaid_browser import Rendered, browser, mermaid_blocks, render

AS_OF = "2026-11-21"
# A browser is started for these: left out of the developer's loop, run by CI.
pytestmark = pytest.mark.slow
HOSTILE = [
    'Evil"] --> x; %% comment',
    "`**md**` #quot; #9829;",
    "<b>bold</b> & <script>alert(1)</script>",
    "back\\slash, comma [brackets]",
]


def _vault(root: Path, notes: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    (root / ".vaultkit.toml").write_text('timezone = "America/New_York"\n', encoding="utf-8")
    for name, text in notes.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dashboards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, list[Rendered]]]:
    """Each vault's dashboard after `sync`, and its charts rendered in one browser run."""
    browser()  # skip (or fail in CI) before the work
    base = tmp_path_factory.mktemp("dashboards")
    sample = base / "sample"
    shutil.copytree(SAMPLE_VAULT, sample, ignore=shutil.ignore_patterns("vaultkit", ".vaultkit"))
    hostile = {
        f"People/P{n}.md": (
            f"---\nsource: '{source.replace(chr(39), chr(39) * 2)}'\n"
            f"contacted_on: 2026-11-1{n}\n"
            + ("replied_on: 2026-11-18\n" if n % 2 else "")
            + "---\n"
        )
        for n, source in enumerate(HOSTILE)
    }
    roots = {
        "sample": sample,
        "empty": _vault(base / "empty", {}),
        "tiny": _vault(base / "tiny", {"People/Jo.md": "---\ncontacted_on: 2026-11-20\n---\n"}),
        "idle": _vault(base / "idle", {"People/Jo.md": "---\nwarmth: warm\n---\n"}),
        "hostile": _vault(base / "hostile", hostile),
    }
    notes = {}
    for name, root in roots.items():
        result = invoke(root, "sync", "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        notes[name] = (root / "vaultkit" / "Dashboard.md").read_text(encoding="utf-8")
    blocks = {name: mermaid_blocks(text) for name, text in notes.items()}
    rendered = render([block for name in notes for block in blocks[name]])
    results = {}
    for name, text in notes.items():
        results[name] = (text, rendered[: len(blocks[name])])
        rendered = rendered[len(blocks[name]) :]
    return results


def _section(text: str) -> str:
    return text.split("## How it is going", 1)[1].split("\n## ", 1)[0]


def test_sample_dashboard_draws_funnel_sources_and_weeks(
    dashboards: dict[str, tuple[str, list[Rendered]]],
) -> None:
    text, rendered = dashboards["sample"]
    assert len(rendered) == 3 and all(r.ok for r in rendered), [r.error for r in rendered]
    funnel, sources, weeks = rendered
    assert funnel.bars == 5
    assert {"Contacts", "Contacted", "Replied", "Met", "Thanked"} <= set(funnel.words)
    assert "From contact to thank-you" in funnel.words
    assert sources.bars == 8 and "referral" in sources.words
    assert weeks.bars == 12 and weeks.lines == 2
    assert "Nov 16" in weeks.words and "Aug 31" in weeks.words
    assert not any("." in w for w in weeks.words)  # whole ticks
    section = _section(text)
    # 28: sync has written stub notes for the two referrers who had none
    assert "Of 28 contacts, 22 contacted, 18 replied (82% of those contacted)" in section
    assert "Bars: requests sent." in section and "`vaultkit stats`" in section


def test_empty_vault_says_so_instead_of_empty_charts(
    dashboards: dict[str, tuple[str, list[Rendered]]],
) -> None:
    text, rendered = dashboards["empty"]
    assert rendered == []
    section = _section(text)
    assert "No contacts yet" in section
    assert "No requests, replies or interviews in the last 12 weeks." in section


def test_tiny_vaults_draw_sensible_charts(
    dashboards: dict[str, tuple[str, list[Rendered]]],
) -> None:
    text, rendered = dashboards["tiny"]
    assert all(r.ok for r in rendered), [r.error for r in rendered]
    funnel, sources, weeks = rendered
    assert funnel.bars == 5 and weeks.bars == 12
    # a y axis with whole ticks, not halves or fifths of one person
    assert "10" in funnel.words and not any("." in w for w in funnel.words)
    assert sources.bars == 1 and "not set" in sources.words
    text, rendered = dashboards["idle"]  # a contact, nothing done yet
    assert len(rendered) == 1 and rendered[0].ok and rendered[0].bars == 5
    assert "No requests, replies or interviews in the last 12 weeks." in _section(text)


def test_hostile_sources_stay_labels(dashboards: dict[str, tuple[str, list[Rendered]]]) -> None:
    _, rendered = dashboards["hostile"]
    assert all(r.ok for r in rendered), [r.error for r in rendered]
    funnel, sources, weeks = rendered
    assert sources.bars == len(HOSTILE)
    assert funnel.bars == 5 and weeks.lines == 2
    words = " ".join(sources.words)
    assert "Evil'] --> x;" in words  # the quote could not end the string
    assert "<b>bold</b>" in words  # shown as text, not markup
