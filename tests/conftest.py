"""Shared fixtures: real vaults in tmp_path and the real CLI through CliRunner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vaultkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
SAMPLE_VAULT = REPO / "sample-vault"

WriteNote = Callable[..., Path]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the sample vault, safe to write into, as the
    repository has it: without the outputs and stub notes that a run of the
    README's first command may have left in the checkout."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE_VAULT, root, ignore=shutil.ignore_patterns("vaultkit", ".vaultkit"))
    for stub in ("Farah Siddiqui", "Dana Whitfield"):
        (root / "People" / f"{stub}.md").unlink(missing_ok=True)
    return root


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
