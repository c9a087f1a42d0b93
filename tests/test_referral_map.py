"""The referral map note: the active network in diagrams under Mermaid's
limits, clickable, coloured by stage, and honest about what it leaves out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from tests.conftest import WriteNote
from vaultkit.domain.career import CareerVault
from vaultkit.domain.referral_graph import ReferralGraph
from vaultkit.outputs.referral_map import (
    MAX_PEOPLE,
    MAX_TEXT,
    map_inputs,
    referral_map,
)
from vaultkit.vault.index import VaultIndex

SHAPE = re.compile(
    r'    ([ns]\d+\["[^"\n]*"\]|n\d+ --> n\d+|classDef \w+ [^;\n]+|class [ns\d,]+ [\w-]+)'
)

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def contact(status: str, *referrers: str) -> str:
    links = ", ".join(f'"[[{r}]]"' for r in referrers)
    return f"---\nstatus: {status}\nreferred_by: [{links}]\n---\n"


def draw(root: Path, **options: object) -> str:
    career = CareerVault(VaultIndex.load(root))
    referrals = ReferralGraph(career)
    return referral_map(career, referrals, map_inputs(career, referrals, NOW, **options))  # type: ignore[arg-type]


def blocks(text: str) -> list[str]:
    return [part[: part.index("\n```")] for part in text.split("```mermaid\n")[1:]]


def test_active_trees_clickable_and_the_rest_counted(vault: Path, write: WriteNote) -> None:
    write("People/Root.md", contact("keep-in-touch"))
    write("People/Ann.md", contact("scheduled", "Root"))
    write("People/Done.md", contact("closed", "Root"))
    write("People/Later.md", contact("closed", "Done"))
    write("People/Loner.md", contact("contacted"))
    text = draw(vault)
    legend, tree = blocks(text)
    assert legend.count('["') == 8 and "no note yet" in legend
    assert '["Root"]' in tree and '["Ann"]' in tree and '["Done"]' not in tree
    assert "class n1,n2 internal-link" in tree
    assert "class n2 scheduled" in tree and "classDef scheduled fill:" in tree
    assert "Loner" not in text  # no referral link either way
    assert "2 settled people" in text and "1 person with no referral link" in text


def test_hostile_names_stay_labels(vault: Path, write: WriteNote) -> None:
    evil = 'Evil"] --> x; click n1 call alert() & <b>|y|'
    write(f"People/{evil}.md", contact("contacted", "Who %% `x` <i>"))
    text = draw(vault)
    for block in blocks(text):
        assert all(SHAPE.fullmatch(line) for line in block.splitlines()[1:]), block
    # "]" and "|" cannot be in a link target: the name is drawn, not linked
    assert '["Evil#quot;] --#gt; x; click n1 call ale…"]' in text
    assert " internal-link" not in text
    assert '["Who %% #96;x#96; #lt;i#gt;"]' in text  # no note: not a link, dashed
    heading = next(line for line in text.splitlines() if line.startswith("## "))
    assert heading == "## From Who \\%\\% \\`x\\` \\<i\\> (1 active person)"


def test_a_huge_network_is_capped_under_mermaids_limit(vault: Path, write: WriteNote) -> None:
    wide = "&" * 120  # five characters each in Mermaid: a tree of long names is cut by size
    write("People/Root.md", contact("contacted"))
    for number in range(300):
        write(f"People/{wide} {number}.md", contact("contacted", "Root"))
    for tree in range(40):
        write(f"People/Top {tree}.md", contact("thanked"))
        for number in range(12):
            write(f"People/P{tree}-{number}.md", contact("to-contact", f"Top {tree}"))
    text = draw(vault)
    diagrams = blocks(text)[1:]
    assert all(len(d) < MAX_TEXT for d in diagrams)
    assert sum(d.count('"]') for d in diagrams) <= MAX_PEOPLE
    assert 'more people in this tree: `vaultkit graph referrals "Root"`' in text
    assert "smaller referral trees (" in text and "vaultkit graph export" in text


def test_stage_comes_from_one_function(vault: Path, write: WriteNote) -> None:
    write("People/Root.md", contact("contacted"))
    write("People/Ann.md", contact("contacted", "Root"))
    assert "class n1,n2 contacted" in draw(vault)
    settled = draw(vault, stage_of=lambda person: "closed")
    assert len(blocks(settled)) == 1 and "Nobody the search is still moving with" in settled


def test_a_shared_file_name_links_by_path(vault: Path, write: WriteNote) -> None:
    write("People/Jane Doe.md", contact("contacted", "Root"))
    write("People/Alumni/Jane Doe.md", contact("contacted", "Root"))
    write("People/Root.md", contact("keep-in-touch"))
    text = draw(vault)
    assert '["People/Jane Doe"]' in text and '["People/Alumni/Jane Doe"]' in text
