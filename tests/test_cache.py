"""The index cache: warm runs read only what changed, results are reused only
for an unchanged vault, and a broken or busy cache never breaks a command."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import invoke
from vaultkit.vault import index as index_module
from vaultkit.vault import parallel_read
from vaultkit.vault.index import VaultIndex


@pytest.fixture
def people(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    for number in range(20):
        write(
            f"People/P{number:02d}.md",
            f"---\nstatus: contacted\nrole: R{number}\n---\n"
            f"- [ ] Call P{number:02d} 📅 2026-12-{number + 1:02d}\n",
        )
    write("Notes/Other.md", "---\ntags: [x]\n---\ntext\n")
    return vault


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = index_module.read_note

    def counting(root, path, *args):  # type: ignore[no-untyped-def]
        reads.append(path)
        return real(root, path, *args)

    monkeypatch.setattr(index_module, "read_note", counting)
    monkeypatch.setattr(parallel_read, "read_note", counting)
    return reads


def load_and_save(root: Path) -> VaultIndex:
    index = VaultIndex.load(root, use_cache=True)
    for note in index.notes.values():
        note.fields  # noqa: B018 - parse, as a command would
    index.save_cache()
    index._cache.close()  # type: ignore[union-attr]
    return index


def test_a_warm_load_reads_only_changed_notes(
    people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = count_reads(monkeypatch)
    load_and_save(people)
    assert len(reads) == 21
    reads.clear()
    (people / "People" / "P03.md").write_text("---\nstatus: closed\n---\n")
    index = load_and_save(people)
    assert reads == ["People/P03.md"]
    assert index.notes["People/P03.md"].fields == {"status": "closed"}
    assert index.notes["People/P04.md"].fields["role"] == "R4"  # from the cache


def test_restored_notes_read_their_body_when_needed(people: Path) -> None:
    load_and_save(people)
    index = VaultIndex.load(people, use_cache=True)
    note = index.notes["People/P05.md"]
    assert note._body is None  # not kept in the cache
    assert [t.text for t in note.tasks] == ["Call P05"]


def test_stored_results_follow_the_vault(people: Path) -> None:
    first = invoke(people, "list", "contacts", "--json")
    again = invoke(people, "list", "contacts", "--json")
    assert first.stdout == again.stdout
    (people / "People" / "P07.md").write_text("---\nstatus: thanked\n---\n")
    changed = json.loads(invoke(people, "list", "contacts", "--json").stdout)
    assert next(r for r in changed if r["name"] == "P07")["status"] == "thanked"
    (people / ".vaultkit.toml").write_text('timezone = "UTC"\n[folders]\npeople = "Notes"\n')
    assert [r["name"] for r in json.loads(invoke(people, "list", "contacts", "--json").stdout)] == [
        "Other"
    ]


@pytest.mark.parametrize("damage", ["garbage", "delete", "old-schema"])
def test_a_broken_cache_is_rebuilt(people: Path, damage: str) -> None:
    invoke(people, "list", "contacts", "--json")
    database = people / ".vaultkit" / "index.sqlite"
    if damage == "garbage":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        database.write_bytes(b"not a database at all" * 100)
    elif damage == "delete":
        database.unlink()
    else:
        with sqlite3.connect(database) as db:
            db.execute("UPDATE meta SET value = 'ancient' WHERE key = 'schema'")
    result = invoke(people, "list", "contacts", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 20
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 21


def test_a_busy_cache_never_blocks_a_command(people: Path) -> None:
    invoke(people, "list", "contacts", "--json")
    (people / "People" / "P01.md").write_text("---\nstatus: closed\n---\n")
    holder = sqlite3.connect(people / ".vaultkit" / "index.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        result = invoke(people, "list", "contacts", "--json")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 0
    assert next(r for r in json.loads(result.stdout) if r["name"] == "P01")["status"] == "closed"


def test_the_cache_folder_is_never_read_as_notes(people: Path) -> None:
    invoke(people, "list", "contacts", "--json")
    (people / ".vaultkit" / "stray.md").write_text("---\ntype: contact\n---\n")
    names = [r["name"] for r in json.loads(invoke(people, "list", "contacts", "--json").stdout)]
    assert "stray" not in names


def test_a_large_vault_read_on_two_cores_gives_the_same_answer(
    vault: Path,
    write,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """A forked child reads and parses part of the notes; the
    listing and the cache must be exactly what one process gives."""
    for number in range(120):
        write(
            f"People/P{number:03}.md",
            f'---\norganization: "[[Org {number % 7}]]"\nstatus: contacted\n'
            f"contacted_on: 2026-11-{1 + number % 20:02}\nid: c-{number}\n---\n- [ ] task\n"
            f"- [ ] call [[Org {number % 7}]] 📅 2026-12-{1 + number % 9:02}\n"
            f"```\n- [ ] an example 📅 2026-12-01\n```\n",
        )
    for number in range(7):
        write(f"Organizations/Org {number}.md", "---\nindustry: Tech\n---\n")
    monkeypatch.setattr(parallel_read, "MIN_PARALLEL_NOTES", 50)
    forks: list[int] = []
    real_fork = parallel_read.os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(parallel_read.os, "fork", counting_fork)

    def listing_and_rows(
        env: dict[str, str], *command: str
    ) -> tuple[str, list[tuple[object, ...]]]:
        cache = vault / ".vaultkit"
        if cache.exists():
            shutil.rmtree(cache)
        result = invoke(vault, *(command or ("list", "contacts", "--json")), env=env)
        assert result.exit_code == 0, result.output
        db = sqlite3.connect(cache / "index.sqlite")
        rows = db.execute("SELECT path, yaml, extra FROM notes ORDER BY path").fetchall()
        db.close()
        return result.stdout, rows

    parallel = listing_and_rows({})
    assert forks, "the large vault was not read in a child"
    serial = listing_and_rows({"VAULTKIT_NO_PARALLEL": "1"})
    assert len(forks) == 1
    assert parallel == serial
    assert len(parallel[1]) == 127 and len(json.loads(parallel[0])) == 120
    # follow-ups: the child finds its notes' tasks too, as one process does
    followups = ("followups", "--json", "--as-of", "2026-11-21")
    parallel = listing_and_rows({}, *followups)
    assert len(forks) == 2
    assert parallel == listing_and_rows({"VAULTKIT_NO_PARALLEL": "1"}, *followups)
    tasks = [f for f in json.loads(parallel[0]) if f["kind"] == "task"]
    assert len(tasks) == 120 and not any("example" in f["title"] for f in tasks)


def test_a_cold_listing_is_served_again_without_loading_the_vault(
    people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first (cold) run stores its output under the stamps of the files it
    read; the next run on the unchanged vault finds it by stat alone."""
    first = invoke(people, "list", "contacts", "--json")
    loads: list[Path] = []
    real_load = VaultIndex.load.__func__  # type: ignore[attr-defined]

    def counting_load(cls, root, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads.append(root)
        return real_load(cls, root, *args, **kwargs)

    monkeypatch.setattr(VaultIndex, "load", classmethod(counting_load))
    again = invoke(people, "list", "contacts", "--json")
    assert again.stdout == first.stdout
    assert loads == []
