"""The project's own promises: ruff-clean code and a CI script that runs the README's command."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _readme_commands() -> list[str]:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    commands, inside = [], False
    for line in lines:
        if line == "```sh":
            inside = True
            continue
        if inside:
            commands.append(line)
            inside = False
    return commands


def test_readme_opens_with_the_install_and_test_commands() -> None:
    install, test = _readme_commands()[:2]
    assert "pip install ." in install and "--vault sample-vault" in install
    assert test == "python3 -m pip install -e '.[test]' && python3 -m pytest"


def test_ci_runs_the_readme_test_command() -> None:
    printed = subprocess.run(
        [str(REPO / ".ci" / "readme-test-command")], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert printed == _readme_commands()[1]
    assert "$(.ci/readme-test-command)" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is a test extra")
def test_ruff_clean() -> None:
    command = [sys.executable, "-m", "ruff", "check", "vaultkit", "tests", "benchmarks"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
