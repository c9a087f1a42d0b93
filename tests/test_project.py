"""The project's own promises: ruff-clean, ruff-formatted code and a CI script that runs the
README's command."""

from __future__ import annotations

import ast
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


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is a test extra")
def test_ruff_formatted() -> None:
    command = [sys.executable, "-m", "ruff", "format", "--check", "vaultkit", "tests", "benchmarks"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# Each layer may import only the layers before it (README, "Development").
LAYERS = ["base", "address_book", "mailbox", "notes", "vault", "domain", "outputs", "daemon", "cli"]
BASE_MODULES = {
    "diagnostics",
    "errors",
    "atomic",
    "safepath",
    "progress",
    "passwords",
    "__init__",
    "__main__",
}


def _layer_of(module: str) -> str:
    """``vaultkit.notes.typed_values`` → ``notes``; top-level helper modules are ``base``."""
    parts = module.split(".")
    return "base" if len(parts) < 2 or parts[1] in BASE_MODULES else parts[1]


def test_lower_layers_never_import_higher_ones() -> None:
    violations = []
    for path in sorted((REPO / "vaultkit").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        if path.name == "__main__.py":
            continue  # the entry point wires the CLI by definition
        own = LAYERS.index(_layer_of(module))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.startswith("vaultkit.") and LAYERS.index(_layer_of(name)) > own:
                    violations.append(f"{module} imports {name}")
    assert violations == []


def test_every_package_ships() -> None:
    """A package missing from pyproject.toml works in a checkout and breaks after
    `pip install .`: every folder of vaultkit/ with modules must be listed."""
    import tomllib

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join(path.parent.relative_to(REPO).parts)
        for path in (REPO / "vaultkit").rglob("__init__.py")
    }
    assert folders <= listed
