"""The referral map drawn by a real browser: headless Chromium with mermaid
from npm, on the sample vault and on a generated 10,000-note vault (whose
single diagram was 142 KB, past Mermaid's limit, before the map was split)."""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_VAULT, invoke
from tests.mermaid_browser import Rendered, browser, mermaid_blocks, render

MAX_TEXT = 50_000  # Mermaid's maxTextSize default, which Obsidian keeps
EVIL = 'Evil"] --> x; click n1 call alert() & <b>|y|'
# A browser is started for these: left out of the developer's loop, run by CI.
pytestmark = pytest.mark.slow


def _generate(root: Path, notes: int) -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_vault", REPO / "benchmarks" / "generate_vault.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    module.generate(root, notes, seed=1)


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, list[Rendered]]]:
    """Both maps' notes and every diagram rendered, in one browser run."""
    browser()  # skip (or fail in CI) before the slow part
    notes: dict[str, str] = {}
    for name, source in (("sample", SAMPLE_VAULT), ("hostile", None), ("10k", None)):
        root = tmp_path_factory.mktemp(name) / "vault"
        if name == "hostile":
            (root / "People").mkdir(parents=True)
            (root / "People" / f"{EVIL}.md").write_text(
                '---\nstatus: contacted\nreferred_by: "[[Who %% `x`]]"\n---\n', encoding="utf-8"
            )
        elif source is None:
            started = time.perf_counter()
            _generate(root, 10_000)
            print(f"generate {time.perf_counter() - started:.2f} s")
        else:
            import shutil

            shutil.copytree(source, root, ignore=shutil.ignore_patterns("vaultkit", ".vaultkit"))
        started = time.perf_counter()
        result = invoke(root, "sync", "--as-of", "2026-11-20")
        assert result.exit_code == 0, result.output
        print(f"{name}: sync {time.perf_counter() - started:.2f} s")
        notes[name] = (root / "vaultkit" / "Referral map.md").read_text(encoding="utf-8")
    blocks = {name: mermaid_blocks(text) for name, text in notes.items()}
    started = time.perf_counter()
    rendered = render([block for name in notes for block in blocks[name]])
    print(f"render {time.perf_counter() - started:.2f} s")
    results = {}
    for name, text in notes.items():
        results[name] = (text, rendered[: len(blocks[name])])
        rendered = rendered[len(blocks[name]) :]
    return results


def _check(text: str, rendered: list[Rendered], every_tree_linked: bool = True) -> None:
    blocks = mermaid_blocks(text)
    assert len(blocks) >= 2  # the legend and at least one tree
    for block, result in zip(blocks, rendered, strict=True):
        assert len(block) < MAX_TEXT
        assert result.ok, result.error
        expected = len(re.findall(r'^    \w+\["', block, re.MULTILINE))
        assert result.nodes == expected
    legend, *trees = rendered
    assert legend.nodes == 8 and legend.linked == 0  # one box per stage, not links
    for result in trees:
        assert result.linked >= 1 or not every_tree_linked  # a click opens a person's note
        # Obsidian follows the node's text: each is a note name of the vault
        assert all(text and "#" not in text for text in result.linked_texts)


def test_sample_vault_map_renders(maps: dict[str, tuple[str, list[Rendered]]]) -> None:
    text, rendered = maps["sample"]
    _check(text, rendered)
    linked = {t for r in rendered for t in r.linked_texts}
    assert {"Daniel Whitaker", "Kevin O'Neill", "Priya Raman"} <= linked


def test_ten_thousand_note_map_renders(maps: dict[str, tuple[str, list[Rendered]]]) -> None:
    text, rendered = maps["10k"]
    _check(text, rendered)
    assert len(text) < 60_000  # 142 KB in one diagram before
    assert sum(r.nodes for r in rendered[1:]) <= 400
    assert "Not shown: " in text and "with no referral link either way" in text


def test_hostile_names_render_as_plain_labels(
    maps: dict[str, tuple[str, list[Rendered]]],
) -> None:
    text, rendered = maps["hostile"]
    # "]" and "|" cannot stand in a link target, so the note is drawn, not linked
    _check(text, rendered, every_tree_linked=False)
    assert rendered[1].nodes == 2 and rendered[1].linked_texts == []
