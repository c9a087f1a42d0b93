"""Shared fixtures: real vaults in tmp_path and the real CLI through CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vaultkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_VAULT = REPO / "sample-vault"

WriteNote = Callable[..., Path]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An empty vault with a fixed time zone, so tests never depend on the machine's."""
    root = tmp_path / "vault"
    root.mkdir()
    (root / ".vaultkit.toml").write_text('timezone = "America/New_York"\n', encoding="utf-8")
    return root


@pytest.fixture
def write(vault: Path) -> WriteNote:
    """Write a note into the vault: text (LF, UTF-8) or exact bytes."""

    def _write(rel_path: str, content: str | bytes) -> Path:
        path = vault / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        return path

    return _write


def invoke(root: Path | None, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI like a user would; ``root`` None means no --vault."""
    runner = CliRunner()
    argv = (["--vault", str(root)] if root is not None else []) + list(args)
    return runner.invoke(cli, argv, env=env, catch_exceptions=False)


def invoke_json(root: Path, *args: str) -> object:
    result = invoke(root, *args, "--json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)
