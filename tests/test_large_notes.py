"""A note over ``max_note_size``: its front-matter is read, its body (tasks,
links) is not, `check` says so, and `log`/`done` refuse to load it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import invoke
from vaultkit.errors import ConfigError
from vaultkit.vault.config import config_from_mapping

LIMIT = 'timezone = "America/New_York"\nmax_note_size = "2 kB"\n'
BIG = "---\ntype: contact\nstatus: contacted\n---\n" + "- [ ] Call back 📅 2026-11-22\n" * 200


@pytest.fixture
def limited(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    (vault / ".vaultkit.toml").write_text(LIMIT)
    write("People/Big.md", BIG)
    write("People/Small.md", "---\nstatus: contacted\n---\n- [ ] Small task 📅 2026-11-22\n")
    return vault


def test_check_names_the_note_and_the_limit(limited: Path) -> None:
    result = invoke(limited, "check")
    assert (
        "People/Big.md: warning: the note is 6.3 kB, over max_note_size (2 kB): only its "
        "front-matter is read, its tasks and links are skipped"
    ) in result.stdout


def test_its_tasks_are_not_parsed_but_its_front_matter_is(limited: Path) -> None:
    listed = invoke(limited, "list", "contacts").stdout
    assert "Big" in listed and "Small" in listed
    assert invoke(limited, "done", "task", "Call back").exit_code == 2  # no open task matches
    assert invoke(limited, "done", "task", "Small task", "--on", "2026-11-21").exit_code == 0


def test_log_refuses_a_note_over_the_limit_with_one_line(limited: Path) -> None:
    before = (limited / "People/Big.md").read_bytes()
    result = invoke(limited, "log", "Big", "Coffee", "--on", "2026-11-21")
    assert result.exit_code == 1
    assert result.stderr == (
        "vaultkit: People/Big.md is 6.3 kB, over max_note_size (2 kB): vaultkit does not "
        "edit a note that large; nothing was changed (edit it by hand, or raise "
        "max_note_size in .vaultkit.toml)\n"
    )
    assert (limited / "People/Big.md").read_bytes() == before


def test_raising_the_limit_reads_it_again_despite_the_cache(limited: Path) -> None:
    assert "over max_note_size" in invoke(limited, "check").stdout
    (limited / ".vaultkit.toml").write_text(LIMIT.replace("2 kB", "1 MB"))
    assert "over max_note_size" not in invoke(limited, "check").stdout
    assert invoke(limited, "log", "Big", "Coffee", "--on", "2026-11-21").exit_code == 0


@pytest.mark.parametrize(
    ("value", "size"), [(5_000_000, 5_000_000), ("5 MB", 5 << 20), ("800kB", 800 << 10)]
)
def test_max_note_size_reads_sizes(value: object, size: int) -> None:
    assert config_from_mapping({"max_note_size": value}).max_note_size == size


@pytest.mark.parametrize("value", ["huge", 10, True, "5 TB"])
def test_a_bad_max_note_size_is_one_line(value: object) -> None:
    with pytest.raises(ConfigError, match="max_note_size must be a size"):
        config_from_mapping({"max_note_size": value})


def test_default_limit_is_a_few_megabytes() -> None:
    assert config_from_mapping({}).max_note_size == 5 << 20
