"""The index cache syncs with the vault and may arrive damaged: whatever byte
of it changed, a command never ends in a traceback and never prints what the
damaged cache says instead of what the notes say."""

from __future__ import annotations

import gc
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_VAULT, invoke
from vaultkit.vault.cache import IndexCache

COMMANDS = (("list", "contacts", "--json", "--as-of", "2026-11-20"), ("check",))


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root)
    return root


def _outputs(root: Path) -> list[tuple[int, str]]:
    return [(r.exit_code, r.output) for r in (invoke(root, *args) for args in COMMANDS)]


def _settled(cache: Path) -> bytes:
    """The cache file with everything written into it (an in-process run may
    leave its last writes in the write-ahead log)."""
    gc.collect()  # the connections the runs left open
    db = sqlite3.connect(cache)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return cache.read_bytes()


def _positions(data: bytes, count: int) -> list[int]:
    """Offsets to damage: every byte of one stored name in a row and in a
    stored result, the file's header, and the rest spread over the file."""
    chosen: set[int] = set(range(0, 100, 7))
    start = 0
    while (found := data.find(b"Ben Adler", start)) >= 0:
        chosen.add(found)
        start = found + 1
    rng = random.Random(16)
    while len(chosen) < count:
        chosen.add(rng.randrange(len(data)))
    return sorted(chosen)


@pytest.mark.slow
def test_a_damaged_byte_anywhere_in_the_cache_is_never_served(sample: Path) -> None:
    fresh = _outputs(sample)  # cold: what the notes say, and the cache written
    assert _outputs(sample) == fresh  # warm: from the stored rows and results
    cache = sample / ".vaultkit" / "index.sqlite"
    pristine = _settled(cache)
    assert pristine.count(b"Ben Adler") >= 2  # a row and a stored listing
    for position in _positions(pristine, 200):
        damaged = bytearray(pristine)
        damaged[position] ^= 0x1A  # "B" becomes "X": Ben Adler, Xen Adler
        for suffix in ("-wal", "-shm"):
            Path(f"{cache}{suffix}").unlink(missing_ok=True)
        cache.write_bytes(bytes(damaged))
        assert _outputs(sample) == fresh, f"byte {position} changed"
        if position % 20 == 0:  # and what that run left behind is sound too
            assert _outputs(sample) == fresh, f"byte {position} changed, second run"


def test_a_damaged_result_is_computed_again(sample: Path) -> None:
    listing = ("list", "contacts", "--json", "--as-of", "2026-11-20")
    fresh = invoke(sample, *listing).output
    invoke(sample, *listing)
    cache = sample / ".vaultkit" / "index.sqlite"
    data = _settled(cache)
    assert data.count(b"Ben Adler") >= 2
    cache.write_bytes(data.replace(b"Ben Adler", b"Xen Adler"))
    assert invoke(sample, *listing).output == fresh


def test_a_cache_with_a_damaged_header_is_replaced(sample: Path) -> None:
    fresh = invoke(sample, "followups", "--as-of", "2026-11-20").output
    cache = sample / ".vaultkit" / "index.sqlite"
    data = bytearray(cache.read_bytes())
    data[56:60] = (2).to_bytes(4, "big")  # the header's text encoding: now UTF-16
    cache.write_bytes(bytes(data))
    assert invoke(sample, "followups", "--as-of", "2026-11-20").output == fresh
    assert IndexCache(sample).load_notes()  # rebuilt, and readable again
