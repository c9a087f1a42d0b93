"""A corpus of broken and hostile notes, each a test: `check` reports it (with
its file, and its line when it has one), every other command still works on
the rest of the vault, memory stays bounded and nothing hangs.

The notes are made here rather than stored, because some are huge (60 MB),
some are not files at all (a symlink loop, a FIFO) and one vanishes."""

from __future__ import annotations

import json
import os
import signal
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import invoke

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and SIGALRM")

Make = Callable[[Path], None]


def text(rel: str, content: str | bytes) -> Make:
    def make(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return make


def _alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    return "---\n" + "\n".join(lines) + "\n---\n"


def _huge(root: Path) -> None:
    path = root / "People" / "Huge.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"---\nstatus: contacted\n---\n")
        chunk = b"lorem ipsum [[Good]] " * 50_000
        while handle.tell() < 60 * 1024 * 1024:
            handle.write(chunk)


def _outside_link(root: Path) -> None:
    outside = root.parent / "secret.md"
    outside.write_text("---\nname: Secret\n---\n")
    (root / "People").mkdir(exist_ok=True)
    os.symlink(outside, root / "People" / "Leak.md")


def _symlink_loop(root: Path) -> None:
    (root / "People").mkdir(exist_ok=True)
    os.symlink(root / "People" / "LoopB.md", root / "People" / "LoopA.md")
    os.symlink(root / "People" / "LoopA.md", root / "People" / "LoopB.md")
    os.symlink(root, root / "People" / "Around")


def _fifo(root: Path) -> None:
    (root / "People").mkdir(exist_ok=True)
    os.mkfifo(root / "People" / "Pipe.md")


def _folder_named_md(root: Path) -> None:
    (root / "People" / "Folder.md").mkdir(parents=True)


def _many_referrers(root: Path) -> None:
    for number in range(500):
        text(f"People/Ref{number:03d}.md", "")(root)
    links = "".join(f'  - "[[Ref{number:03d}]]"\n' for number in range(500))
    text("People/Popular.md", f"---\nreferred_by:\n{links}---\n")(root)


# kind → (how to make it, (path, line or None, code) that check must report, or None
# when the right outcome is silence)
CORPUS: dict[str, tuple[Make, tuple[str, int | None, str] | None]] = {
    "alias-bomb": (text("People/Bomb.md", _alias_bomb()), ("People/Bomb.md", 2, "front-matter")),
    "self-alias": (
        text("People/Self.md", "---\nx: &a [*a]\n---\n"),
        ("People/Self.md", 2, "front-matter"),
    ),
    "brackets-20000": (
        text("People/B20.md", "---\nx: " + "[" * 20_000 + "\n---\n"),
        ("People/B20.md", 2, "front-matter"),
    ),
    "brackets-30000": (
        text("People/B30.md", "---\nx: " + "[" * 30_000 + "\n---\n"),
        ("People/B30.md", 2, "front-matter"),
    ),
    "dashes-30000": (
        text("People/D30.md", "---\nx:\n" + "- " * 30_000 + "y\n---\n"),
        ("People/D30.md", 3, "front-matter"),
    ),
    "huge-front-matter": (
        text("People/Wide.md", "---\nx: '" + "y" * 300_000 + "'\n---\n"),
        ("People/Wide.md", 2, "front-matter"),
    ),
    "60-mb-note": (_huge, ("People/Huge.md", None, "too-large")),
    "binary-junk": (
        text("People/Junk.md", b"\x89PNG\x00\x01\x02" * 1000),
        ("People/Junk.md", None, "encoding"),
    ),
    "latin-1": (
        text("People/Latin.md", "---\nrole: Ingénieur\n---\n".encode("latin-1")),
        ("People/Latin.md", 2, "not-utf8"),
    ),
    "utf-16-bom": (text("People/Wide16.md", "---\nrole: Zoë\n---\n".encode("utf-16")), None),
    "empty-file": (text("People/Empty.md", b""), None),
    "never-closed": (
        text("People/Open.md", "---\nname: Open\n"),
        ("People/Open.md", 1, "front-matter"),
    ),
    "scalar-front-matter": (
        text("People/Scalar.md", "---\njust text\n---\n"),
        ("People/Scalar.md", 2, "front-matter"),
    ),
    "list-front-matter": (
        text("People/List.md", "---\n- a\n- b\n---\n"),
        ("People/List.md", 2, "front-matter"),
    ),
    "duplicate-keys": (
        text("People/Dup.md", "---\nstatus: contacted\nstatus: closed\n---\n"),
        ("People/Dup.md", 3, "duplicate-key"),
    ),
    "tab-indent": (
        text("People/Tab.md", "---\nx:\n\ty: 1\n---\n"),
        ("People/Tab.md", 3, "front-matter"),
    ),
    "impossible-date": (
        text("People/Feb.md", "---\ncontacted_on: 2026-02-30\n---\n"),
        ("People/Feb.md", 2, "bad-date"),
    ),
    "impossible-time": (
        text("Interviews/Late.md", '---\ncontact: "[[Good]]"\ndate: 2026-11-25 25:61\n---\n'),
        ("Interviews/Late.md", 3, "bad-date"),
    ),
    "control-characters": (
        text("People/Ctrl.md", '---\nrole: "a\x1bb"\n---\n'),
        ("People/Ctrl.md", 2, "front-matter"),
    ),
    "python-tag": (
        text("People/Tag.md", "---\nx: !!python/object/apply:os.system ['true']\n---\n"),
        None,
    ),
    "ical-syntax-in-names": (
        text(
            "People/Eve\r\nBEGIN:VEVENT.md",
            '---\nname: "Eve\\r\\nEND:VCALENDAR"\nstatus: contacted\n'
            "contacted_on: 2026-11-16\n---\n",
        ),
        None,
    ),
    "symlink-outside": (_outside_link, ("People/Leak.md", None, "outside-vault")),
    "symlink-loop": (_symlink_loop, ("People/LoopA.md", None, "broken-symlink")),
    "fifo": (_fifo, None),
    "folder-named-md": (_folder_named_md, None),
    "conflict-copies": (
        text("People/Good (conflict 2026-11-21).md", "---\nstatus: x\n---\n"),
        ("People/Good (conflict 2026-11-21).md", None, "sync-conflict"),
    ),
    "syncthing-conflict": (
        text("People/Good.sync-conflict-20261121-101010-ABCDEFG.md", ""),
        ("People/Good.sync-conflict-20261121-101010-ABCDEFG.md", None, "sync-conflict"),
    ),
    "referral-cycle": (
        lambda root: (
            text("People/Cy1.md", '---\nreferred_by: "[[Cy2]]"\n---\n')(root),
            text("People/Cy2.md", '---\nreferred_by: "[[Cy1]]"\n---\n')(root),
        ),
        ("People/Cy1.md", 2, "referral-cycle"),
    ),
    "500-referrers": (_many_referrers, None),
    "list-id": (text("People/Ids.md", "---\nid: [1, 2]\n---\n"), None),
    "line-separators": (text("People/Sep.md", "---\nrole: a\u2029b\nname: Sep\n---\n"), None),
}


@pytest.fixture
def alarm() -> Iterator[None]:
    """Nothing may hang: a command still running after 60 s fails the test."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("hung for 60 s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("kind", sorted(CORPUS), ids=sorted(CORPUS))
def test_hostile_note(kind: str, vault: Path, write, alarm: None) -> None:  # type: ignore[no-untyped-def]
    write("People/Good.md", "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n")
    write(
        "Interviews/2026-11-20 Good.md",
        '---\ncontact: "[[Good]]"\ndate: 2026-11-20 10:00\nreferrals: ["[[Newbie]]"]\n---\n',
    )
    make, expected = CORPUS[kind]
    make(vault)

    tracemalloc.start()
    try:
        checked = invoke(vault, "check", "--json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024, f"check used {peak // 2**20} MB"
    found = json.loads(checked.stdout)
    if expected is not None:
        path, line, code = expected
        assert any(d["path"] == path and d["line"] == line and d["code"] == code for d in found), (
            found
        )
    assert "Traceback" not in checked.output

    contacts = invoke(vault, "list", "contacts", "--json")
    assert contacts.exit_code == 0, contacts.output
    assert "Good" in [row["name"] for row in json.loads(contacts.stdout)]
    for args in (
        ("followups", "--json", "--as-of", "2026-11-24"),
        ("show", "Good"),
        ("graph", "referrals", "Good", "--json"),
        ("sync", "--as-of", "2026-11-24"),
    ):
        result = invoke(vault, *args)
        assert result.exit_code == 0, (args, result.output)
    calendar = (vault / "vaultkit" / "followups.ics").read_bytes()
    import icalendar

    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(calendar).walk("VEVENT")]
    # Good's follow-ups, despite the rest (no nudge: an interview was held).
    assert "Thank Good for the interview (by 10:30)" in summaries
    assert not any(summary.startswith("No reply from Good") for summary in summaries)
    assert (vault / "People" / "Newbie.md").exists()  # the stub, despite the rest


def test_a_note_that_vanishes_between_listing_and_reading(
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    write("People/Good.md", "---\nstatus: contacted\n---\n")
    from vaultkit.vault import index, walk

    real = walk.list_notes

    def listing_with_a_ghost(root, config):  # type: ignore[no-untyped-def]
        paths, problems = real(root, config)
        return [*paths, "People/Gone.md"], problems

    # the walk a command's stored-output lookup takes, and the index's own
    monkeypatch.setattr(walk, "list_notes", listing_with_a_ghost)
    monkeypatch.setattr(index, "list_notes", listing_with_a_ghost)
    result = invoke(vault, "check", "--json")
    assert {
        "path": "People/Gone.md",
        "line": None,
        "severity": "error",
        "code": "unreadable",
        "message": "cannot read the note: No such file or directory",
    } in json.loads(result.stdout)
    assert "Good" in invoke(vault, "list", "contacts").stdout


def test_a_name_with_line_breaks_cannot_inject_into_outputs(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "People/Eve.md",
        '---\nname: "Eve\\r\\nBEGIN:VEVENT\\n]]\\"; } -> x"\nstatus: contacted\n'
        "contacted_on: 2026-11-16\n---\n",
    )
    invoke(vault, "sync", "--as-of", "2026-11-24")
    ics = (vault / "vaultkit" / "followups.ics").read_bytes().decode()
    # the name's own "BEGIN:VEVENT" stays text inside a property: two components, not three
    assert ics.count("\r\nBEGIN:VEVENT\r\n") == 2  # the nudge and the move-on
    dot = invoke(vault, "graph", "export", "--format", "dot").stdout
    assert len(dot.splitlines()) == 5  # header (3), the one node, the closing brace
    import shutil
    import subprocess

    if shutil.which("dot"):
        plain = subprocess.run(
            ["dot", "-Tplain"], input=dot.encode(), capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert sum(line.startswith("node ") for line in plain.splitlines()) == 1
        assert not any(line.startswith("edge ") for line in plain.splitlines())
    mermaid = invoke(vault, "graph", "export").stdout
    assert all(line.startswith(("flowchart", "    ")) for line in mermaid.splitlines())
    dashboard = (vault / "vaultkit" / "Dashboard.md").read_text()
    assert "\nBEGIN:VEVENT" not in dashboard


def test_a_windows_1252_note_reads_as_written_with_a_warning(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Latin.md", "---\nrole: Ingénieur\nlocation: Köln\n---\n".encode("cp1252"))
    (row,) = json.loads(invoke(vault, "list", "contacts", "--json").stdout)
    assert (row["name"], row["role"]) == ("Latin", "Ingénieur")
    assert "\ufffd" not in invoke(vault, "show", "Latin").output
    checked = invoke(vault, "check")
    (line,) = [line for line in checked.output.splitlines() if "Windows-1252" in line]
    assert line.startswith("People/Latin.md:2: warning")
