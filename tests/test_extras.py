"""The base install carries only what the core needs; CalDAV is the `caldav`
extra, and without it every CalDAV entry point says so in one line."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO, invoke

FIXTURE = REPO / "tests" / "fixtures" / "calendar-vault"
HINT = "CalDAV needs the caldav extra: in vaultkit's clone, .venv/bin/pip install '.[caldav]'"


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """`import caldav` and `import keyring` fail, as in a base install."""
    monkeypatch.setitem(sys.modules, "caldav", None)
    monkeypatch.setitem(sys.modules, "keyring", None)


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vault whose [caldav] points at a server nobody needs to reach."""
    root = tmp_path / "calendar-vault"
    shutil.copytree(FIXTURE, root)
    with (root / ".vaultkit.toml").open("a", encoding="utf-8") as config:
        config.write('\n[caldav]\nurl = "http://127.0.0.1:9/"\nusername = "maya"\n')
    monkeypatch.setenv("VAULTKIT_CALDAV_PASSWORD", "secret")
    return root


def test_base_install_leaves_caldav_out_and_the_test_extra_brings_it() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = names(project["dependencies"])
    assert not base & {"caldav", "keyring", "cryptography", "lxml", "niquests"}
    assert names(project["optional-dependencies"]["caldav"]) == {"caldav", "keyring"}
    assert {"caldav", "keyring", "radicale"} <= names(project["optional-dependencies"]["test"])


@pytest.mark.parametrize("command", [["calendar", "push"], ["calendar", "login"]])
def test_caldav_commands_without_the_extra_give_the_hint(
    configured: Path, without_extra: None, command: list[str]
) -> None:
    result = invoke(configured, *command)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"vaultkit: {HINT}")
    assert "Traceback" not in result.output
    assert not (configured / ".vaultkit" / "caldav.json").exists()


def test_sync_without_the_extra_skips_the_push_with_the_hint_and_does_the_rest(
    configured: Path, without_extra: None
) -> None:
    result = invoke(configured, "sync", "--as-of", "2026-11-20")
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if "caldav push" in line]
    assert len(skipped) == 1 and skipped[0].startswith("skipped") and HINT in skipped[0]
    assert (configured / "vaultkit" / "followups.ics").is_file()


def test_the_core_runs_without_the_extra(configured: Path, without_extra: None) -> None:
    as_of = ["--as-of", "2026-11-20"]
    for command in (["check"], ["followups", *as_of], ["calendar", *as_of], ["list", "contacts"]):
        result = invoke(configured, *command)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "caldav" not in result.output.lower(), command
