"""write_atomic: the bytes land exactly, in order, however the kernel takes
them; replacing a large file leaves no second name behind, and a reader that
had the old file open keeps reading the old bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import vaultkit.atomic as atomic
from vaultkit.atomic import HOLD_OLD_BYTES, write_atomic


def chunks_of(count: int, size: int, seed: int) -> list[bytes]:
    return [bytes([(seed + n) % 251]) * size for n in range(count)]


def test_many_chunks_land_in_order(tmp_path: Path) -> None:
    target = tmp_path / "feed.ics"
    chunks = chunks_of(3000, 37, 1)  # several writev batches
    write_atomic(target, chunks)
    assert target.read_bytes() == b"".join(chunks)
    assert os.listdir(tmp_path) == ["feed.ics"]


def test_without_writev_the_chunks_land_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no writev: the chunks are joined into large blocks."""
    monkeypatch.delattr(os, "writev", raising=False)
    target = tmp_path / "feed.ics"
    chunks = chunks_of(40_000, 53, 5)  # two megabytes and more
    write_atomic(target, chunks)
    assert target.read_bytes() == b"".join(chunks)


@pytest.mark.skipif(not hasattr(os, "writev"), reason="writev is POSIX")
def test_short_writes_are_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writev that stops part-way (a signal, a full pipe of a FUSE driver)
    must not lose or repeat a byte."""
    real = os.writev

    def stingy(fd: int, buffers: list[bytes]) -> int:
        total = sum(len(b) for b in buffers)
        return real(fd, [b"".join(buffers)[: max(1, total // 3 + 5)]])

    monkeypatch.setattr(atomic.os, "writev", stingy)
    target = tmp_path / "feed.ics"
    chunks = chunks_of(2500, 11, 2)
    write_atomic(target, chunks)
    assert target.read_bytes() == b"".join(chunks)


def test_replacing_a_large_file_leaves_only_the_new_one(tmp_path: Path) -> None:
    target = tmp_path / "feed.ics"
    old = chunks_of(HOLD_OLD_BYTES // 1000 + 10, 1000, 3)
    write_atomic(target, old)
    target.chmod(0o640)
    with target.open("rb") as reader:
        new = chunks_of(500, 1000, 4)
        write_atomic(target, new)
        assert reader.read() == b"".join(old)  # an open reader keeps the old file
    assert target.read_bytes() == b"".join(new)
    assert os.listdir(tmp_path) == ["feed.ics"]
    assert target.stat().st_mode & 0o777 == 0o640
