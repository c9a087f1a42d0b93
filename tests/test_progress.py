"""Progress of long work: a transient display on a terminal's stderr, after a
second; nothing when stderr is not a terminal, nothing with --json."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, invoke
from vaultkit import progress
from vaultkit.cli import progress_display

AS_OF = ("--as-of", "2026-11-20")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> FakeTerminal:
    """stderr is a terminal, and every command counts as a long one."""
    screen = FakeTerminal()
    monkeypatch.setattr(progress_display, "terminal", lambda: screen)
    monkeypatch.setattr(progress_display, "DELAY_SECONDS", 0.0)
    monkeypatch.setattr(progress_display, "REDRAW_SECONDS", 0.0)  # every step drawn
    monkeypatch.setenv("VAULTKIT_NO_CACHE", "1")  # every run reads the notes
    return screen


def test_a_long_command_at_a_terminal_shows_its_work_on_stderr(
    sample: Path, terminal: FakeTerminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = invoke(sample, "followups", *AS_OF)
    assert shown.exit_code == 0, shown.output
    drawn = terminal.getvalue()
    assert "Reading notes" in drawn and "Working out follow-ups" in drawn
    assert "100%" in drawn  # the read's bar, filled
    assert drawn.endswith("\x1b[?25h\r\x1b[1A\x1b[2K")  # transient: erased, cursor back
    monkeypatch.setattr(progress_display, "terminal", lambda: None)
    assert shown.stdout == invoke(sample, "followups", *AS_OF).stdout  # the output untouched


def test_json_output_shows_no_progress(sample: Path, terminal: FakeTerminal) -> None:
    for args in (("followups", "--json", *AS_OF), ("list", "contacts", "--json")):
        result = invoke(sample, *args)
        assert result.exit_code == 0 and result.stderr == ""
    assert terminal.getvalue() == ""


def test_no_progress_when_stderr_is_not_a_terminal(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_display, "DELAY_SECONDS", 0.0)
    monkeypatch.setenv("VAULTKIT_NO_CACHE", "1")
    for args in (("followups", *AS_OF), ("sync", *AS_OF), ("list", "contacts")):
        result = invoke(sample, *args)
        assert result.exit_code == 0 and result.stderr == "", (args, result.stderr)


def test_quick_work_draws_nothing() -> None:
    screen = FakeTerminal()
    with progress.reporting(progress_display.TerminalProgress(screen, delay=60)):
        with progress.task("Reading notes", total=10) as step:
            step(5)
        with progress.task("Working out follow-ups"):
            pass
    assert screen.getvalue() == ""


def test_without_a_hook_reporting_costs_nothing_and_draws_nothing() -> None:
    calls = []

    @progress.tracked("Counting")
    def count() -> int:
        with progress.task("inner", total=3) as step:
            step(1)
            calls.append(step)
        return 3

    assert count() == 3 and calls and calls[0](2) is None


def test_the_library_layers_never_import_rich() -> None:
    paths = [REPO / "vaultkit" / "progress.py"]
    for layer in ("notes", "vault", "domain"):
        paths += (REPO / "vaultkit" / layer).rglob("*.py")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) rich\b", text, re.M), path
