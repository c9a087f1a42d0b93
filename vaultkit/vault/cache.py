"""The index cache: what reading each note found, kept in the vault's
``.vaultkit/index.sqlite`` so a second command reads only the notes that
changed since the first, and a repeated query on an unchanged vault only
stats the files.

Files stay the truth. A row is trusted only while its file's size and
``st_mtime_ns`` are what they were when it was read; a stored result only
while every note's size and mtime, the config and vaultkit's own code are as
they were. The schema carries a version, and a cache that is missing, from
another version or corrupt is simply rebuilt. The file syncs with the vault
and may arrive damaged, so it is untrusted: every row and stored result carries
a checksum of its columns, checked on read (a row that fails is read from its
file again, a result that fails is computed again), and any other failure to
open or read the database deletes it (unless it is only busy). SQLite in WAL mode lets the
daemon and a command use it at once: readers never block, and a writer that
finds the database busy skips its update rather than wait (the next command
catches up).

Rows hold plain columns and JSON, never pickles: the folder syncs with the
vault, and nothing read from it may run code. Bodies are not stored (they
are most of a vault's bytes). What the domain needs from a body is: its
tasks, its wikilinks, and whether it holds a ``[`` at all; those facts are
stored once found, so a warm `followups`, `calendar` or `check` parses no
body whose file is unchanged. A note restored without them reads its body
from the file when a command first needs it, and the next save keeps them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit.diagnostics import Diagnostic
from vaultkit.safepath import StateFolderOutsideError, state_file

if TYPE_CHECKING:  # imported when used: the stored-result path must stay light
    from vaultkit.notes.note import FrontMatter, Note
    from vaultkit.notes.wikilinks import Link

# 6: over max_note_size, front-matter only; 7: a checksum on every row;
# 8: each note's body facts (tasks, body links, whether it has any bracket);
# 9: front-matter rows without their keys repeated (`_front_matter_row`)
SCHEMA_VERSION = "9"
CACHE_FILE = "index.sqlite"


class IndexCache:
    """One vault's cache database; every failure degrades to "no cache"."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / ".vaultkit" / CACHE_FILE
        self._db: sqlite3.Connection | None = None

    def exists(self) -> bool:
        """Whether there is a cache database at all (a cold start has none)."""
        return self._db is not None or self.path.exists()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        try:
            state_file(self.root, CACHE_FILE)  # the folder made if missing; never a link
        except StateFolderOutsideError:
            return None  # a link out of the vault: no cache, and nothing removed there
        except OSError:
            return None
        try:
            db = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if not self._schema_ok(db):
                db.close()
                self._remove()
                db = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                self._create(db)
        except sqlite3.OperationalError as error:
            if _busy(error):  # another process writes: skip the cache this time
                return None
            self._remove()
            return None
        except Exception:  # a damaged file fails in odd ways (UnicodeDecodeError...)
            self._remove()
            return None
        self._db = db
        return db

    @staticmethod
    def _schema_ok(db: sqlite3.Connection) -> bool:
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as error:
            if _busy(error):
                raise  # not a sign of a broken cache
            return False
        except Exception:
            return False
        return row is not None and row[0] == SCHEMA_VERSION

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS notes (
                path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,
                yaml TEXT, yaml_line INTEGER, body_line INTEGER, extra TEXT, sum TEXT);
            CREATE TABLE IF NOT EXISTS results (
                kind TEXT PRIMARY KEY, state TEXT, value TEXT, sum TEXT);
            """
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def _remove(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    # -- notes ----------------------------------------------------------------

    def load_notes(self) -> dict[str, tuple[Any, ...]]:
        """path → (mtime_ns, size, yaml, yaml line, body line, extra) per cached
        note whose checksum holds (the others are read from their files)."""
        db = self._connect()
        if db is None:
            return {}
        try:
            rows = db.execute("SELECT * FROM notes").fetchall()
        except Exception as error:
            return self._broken(error, {})
        return {row[0]: row[1:7] for row in rows if len(row) == 8 and row[7] == checksum(row[:7])}

    def _broken(self, error: Exception, value: Any) -> Any:
        """A read or write failed: the database is deleted (rebuilt by the next
        save) unless another process only holds it busy."""
        if not (isinstance(error, sqlite3.OperationalError) and _busy(error)):
            self._remove()
        else:
            self.close()
        return value

    def store_notes(self, notes: Iterable[Note], removed: Iterable[str]) -> bool:
        """Write rows for these notes and drop those paths; skipped when busy.
        True when they were written."""
        db = self._connect()
        if db is None:
            return False
        rows = [(n.path, n.mtime_ns, n.size, *note_to_row(n)) for n in notes]
        rows = [(*row, checksum(row)) for row in rows]
        gone = [(path,) for path in removed]
        if not rows and not gone:
            return True
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany("DELETE FROM notes WHERE path = ?", gone)
            db.execute("COMMIT")
        except Exception as error:  # busy: another process writes; catch up next time
            with contextlib.suppress(Exception):
                db.execute("ROLLBACK")
            return self._broken(error, False)
        return True

    # -- results --------------------------------------------------------------

    def result(self, kind: str, state: str) -> str | None:
        """The output last stored for this kind of request, if the vault is still
        in the state it was computed for."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT state, value, sum FROM results WHERE kind = ?", (kind,)
            ).fetchone()
        except Exception as error:
            return self._broken(error, None)
        if row is None or row[0] != state or row[2] != checksum((kind, row[0], row[1])):
            return None  # not stored, outdated, or damaged: computed again
        return row[1] if isinstance(row[1], str) else None

    def store_result(self, kind: str, state: str, value: str) -> None:
        """One stored output per kind of request: the newest replaces the last."""
        db = self._connect()
        if db is None:
            return
        row = (kind, state, value)
        try:
            db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (*row, checksum(row)))
        except Exception as error:
            self._broken(error, None)


def _busy(error: sqlite3.OperationalError) -> bool:
    """A lock held by another process (the daemon, a detached writer): the
    cache is fine, only busy. Anything else means it is broken."""
    message = str(error).lower()
    return "locked" in message or "busy" in message


def checksum(values: Iterable[object]) -> str:
    """A digest of a row's columns, stored beside them: a byte changed on disk
    (a bad sector, a sync client's damage) is caught on read. Not a defence
    against someone who rewrites the file on purpose, who could recompute it;
    nothing read from the cache can run code, and files stay the truth."""
    # Each column is hashed as a tag and its text, then a separator: None as
    # NUL, text as "s" and its UTF-8, anything else as its repr. The small
    # columns are joined and hashed in one update (a load checks ten thousand
    # rows); a long text, a stored output of megabytes, is hashed where it is.
    digest = hashlib.blake2b(digest_size=16)
    pending: list[str] = []
    for value in values:
        if isinstance(value, str):
            if len(value) > _HASHED_IN_PLACE:
                pending.append("s")
                digest.update("".join(pending).encode("utf-8", "surrogatepass"))
                digest.update(value.encode("utf-8", "surrogatepass"))
                pending = []
            else:
                pending += ("s", value)
        else:  # a repr is ASCII: encoded alike by any error handler
            pending.append("\x00" if value is None else repr(value))
        pending.append("\x1f")
    digest.update("".join(pending).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


_HASHED_IN_PLACE = 1 << 16  # characters: a longer text is not copied to be hashed


def note_to_row(note: Note) -> tuple[object, ...]:
    """(yaml, yaml line, body line, extra JSON): plain columns for what every note
    has, JSON only for read problems and what this run parsed or found in the
    body (see `note_facts_known`)."""
    from vaultkit.notes.tasks import task_row

    extra: dict[str, Any] = {}
    if not note.may_hold_links_or_tasks:
        extra["nb"] = 1  # no bracket in the body: no task, no link, nothing to read
    tasks, links = note.known_tasks, note.known_body_links
    if tasks is not None:
        extra["t"] = [task_row(task) for task in tasks]
    if links is not None:
        extra["l"] = [_link_row(link) for link in links]
    if note.read_diagnostics:
        extra["rd"] = [_diagnostic_row(d) for d in note.read_diagnostics]
    front = note._front_matter  # only what this run parsed; the rest parses lazily
    if front is not None:
        extra["fm"] = _front_matter_row(front)
    encoded = json.dumps(extra, ensure_ascii=False, separators=(",", ":")) if extra else None
    return (note.yaml_text, note.yaml_first_line, note.body_first_line, encoded)


def _front_matter_row(front: FrontMatter) -> dict[str, object]:
    """A parsed front-matter block as JSON, without repeating its keys where
    it need not (a load decodes ten thousand of these): when every key has its
    line, in the order of the fields, only the lines (``kl``); of the keys as
    spelt, only those spelt otherwise than their normal form (``ro``)."""
    fields, lines, raw_keys = front.fields, front.key_lines, front.raw_keys
    keys = list(fields)
    row: dict[str, object] = {"f": fields}
    if list(lines) == keys:
        row["kl"] = list(lines.values())
    else:
        row["k"] = lines
    if list(raw_keys) == keys:
        row["ro"] = {key: raw for key, raw in raw_keys.items() if raw != key}
    else:
        row["r"] = raw_keys
    row["d"] = [_diagnostic_row(d) for d in front.diagnostics]
    return row


def _front_matter(path: str, row: dict[str, Any]) -> FrontMatter:
    """`_front_matter_row` read back; a malformed row raises (and the note is read again)."""
    from vaultkit.notes.note import FrontMatter

    fields = row["f"]
    if type(fields) is not dict:
        raise TypeError("front-matter")
    if "kl" in row:
        lines = row["kl"]
        if type(lines) is not list:
            raise TypeError("key lines")
        key_lines = dict(zip(fields, map(int, lines), strict=True))
    else:
        key_lines = {k: int(v) for k, v in row["k"].items()}
    if "ro" in row:
        raw_keys = dict(zip(fields, fields, strict=True))
        raw_keys.update(row["ro"])
    else:
        raw_keys = row["r"]
        if type(raw_keys) is not dict:
            raise TypeError("raw keys")
    return FrontMatter(
        fields=fields,
        key_lines=key_lines,
        raw_keys=raw_keys,
        diagnostics=[_diagnostic(path, r) for r in row["d"]],
    )


def note_from_row(root: Path, path: str, row: tuple[Any, ...]) -> Note | None:
    """A `Note` from its cached row, or None when the row cannot be read."""
    from vaultkit.notes.note import Note

    try:
        mtime_ns, size, yaml_text, yaml_line, body_line, extra = row
        data = json.loads(extra) if extra else {}
        problems = data.get("rd", ())
        front = data.get("fm")
        return Note(
            path=path,
            yaml_text=yaml_text,
            yaml_first_line=int(yaml_line),
            _body=None,
            body_first_line=int(body_line),
            read_diagnostics=tuple(_diagnostic(path, r) for r in problems),
            mtime_ns=mtime_ns,
            size=size,
            _front_matter=_front_matter(path, front) if front is not None else None,
            _body_links=_links(data["l"]) if "l" in data else None,
            _task_rows=_task_rows(data["t"]) if "t" in data else None,
            source_root=str(root),
            _brackets=not data.get("nb"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def note_facts_known(note: Note) -> tuple[bool, bool, bool]:
    """Which of a note's stored facts are known (front-matter, tasks, body
    links): a restored note is saved again when this run found more."""
    return (
        note._front_matter is not None,
        note.tasks_known or not note.may_hold_links_or_tasks,
        note.known_body_links is not None or not note.may_hold_links_or_tasks,
    )


def _task_rows(rows: object) -> list[object]:
    """The stored tasks, left as rows until a command asks for them (`Note.tasks`)."""
    if type(rows) is not list:
        raise TypeError("tasks")
    return rows


def _link_row(link: Link) -> list[object]:
    return [link.target, link.display, link.anchor, link.embed, link.is_wikilink, link.line]


def _links(rows: list[Any]) -> list[Link]:
    """The body links of a row, like `_tasks`."""
    from vaultkit.notes.wikilinks import Link

    links = []
    for target, display, anchor, embed, is_wikilink, line in rows:
        if not isinstance(target, str):
            raise TypeError("link")
        links.append(
            Link(
                target,
                display if isinstance(display, str) else None,
                anchor if isinstance(anchor, str) else None,
                bool(embed),
                bool(is_wikilink),
                line if isinstance(line, int) else None,
            )
        )
    return links


def _diagnostic_row(diagnostic: Diagnostic) -> list[object]:
    return [diagnostic.line, diagnostic.severity, diagnostic.code, diagnostic.message]


def _diagnostic(path: str, row: list[Any]) -> Diagnostic:
    line, severity, code, message = row
    if severity not in ("error", "warning"):
        raise ValueError(severity)
    return Diagnostic(
        path, line if isinstance(line, int) else None, severity, str(code), str(message)
    )


def vault_fingerprint(root: Path, paths: Iterable[str], *extra: object) -> str:
    """The state a command's result depends on: every note's size and mtime,
    the config file, and the code of vaultkit itself (so an upgrade, or a
    developer's edit, never serves a result computed by other code). Plain
    strings and one digest update: this is all a warm command does per note."""
    return fingerprint_of(root, note_stamps(root, paths), *extra)


def note_stamps(root: Path, paths: Iterable[str]) -> list[tuple[str, int, int]]:
    """(path, mtime_ns, size) of each note that is still there."""
    base = str(root) + os.sep
    stat = os.stat
    stamps = []
    for path in paths:
        try:
            info = stat(base + path)
        except OSError:
            continue
        stamps.append((path, info.st_mtime_ns, info.st_size))
    return stamps


def fingerprint_of(root: Path, stamps: Iterable[tuple[str, int, int]], *extra: object) -> str:
    """`vault_fingerprint` from stamps already known (a cold command has just
    read every file, and need not stat them all again)."""
    base = str(root) + os.sep
    stat = os.stat
    parts = [f"{path}\x1f{mtime_ns}\x1f{size}" for path, mtime_ns, size in stamps]
    try:
        config = stat(base + ".vaultkit.toml")
        config_stamp: object = (config.st_mtime_ns, config.st_size)
    except OSError:
        config_stamp = None
    digest = hashlib.sha256("\x1e".join(parts).encode("utf-8", "surrogateescape"))
    digest.update(repr((config_stamp, _code_stamp(), extra)).encode())
    return digest.hexdigest()


_CODE_STAMP: tuple[int, int] | None = None


def _code_stamp() -> tuple[int, int]:
    global _CODE_STAMP
    if _CODE_STAMP is None:
        package = Path(__file__).resolve().parent.parent
        # The built-in templates too (inside the package once installed, beside
        # it in a checkout): a thank-you's event quotes one.
        checkout = package.parent / "pyproject.toml"
        templates = package.parent / "templates" if checkout.exists() else package / "templates"
        code = [*package.rglob("*.py"), *templates.glob("*"), *_library_files()]
        stamps = [p.stat().st_mtime_ns for p in code]
        _CODE_STAMP = (len(stamps), max(stamps, default=0))
    return _CODE_STAMP


def _library_files() -> list[Path]:
    """The installed libraries whose data is part of an answer (holidays for
    business days, tzdata and the zone rules, icalendar), found without
    importing them: an upgrade of one changes the stamp."""
    import importlib.util

    found = []
    for name in ("holidays", "tzdata", "icalendar", "click"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin:
            found.append(Path(spec.origin).parent)
    return found
