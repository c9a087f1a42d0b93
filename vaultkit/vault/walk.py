"""Which files in the vault are notes.

Obsidian's own rules plus ours: Markdown files only; never ``.obsidian/``,
``.trash/``, ``.git/`` or any other dot-folder; never vaultkit's output folder
(its dashboards would otherwise feed back into the index) or template folders
(a template is full of placeholders, not facts). A symlinked file is read
only when it stays inside the vault. A symlinked folder is never entered: one
that leads outside is reported, and one that stays inside is read through its
real path anyway, so following it would only duplicate notes or loop.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.safepath import is_inside
from vaultkit.vault.config import Config

# Conflict copies from Obsidian Sync, Dropbox, Nextcloud, Syncthing, Google
# Drive: a second copy of a note that would double a person and their events.
_CONFLICT_COPY = re.compile(
    r"\((?:[^()]*\s)?conflict(?:ed copy)?(?:\s[\d\s:._-]*)?\)|\.sync-conflict-",
    re.IGNORECASE,
)


def obsidian_template_folder(root: Path) -> str | None:
    """The folder Obsidian's core Templates plugin uses, from ``.obsidian/templates.json``."""
    try:
        settings = json.loads((root / ".obsidian" / "templates.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = settings.get("folder") if isinstance(settings, dict) else None
    return folder.strip("/") if isinstance(folder, str) and folder.strip("/") else None


def skipped_folders(root: Path, config: Config) -> list[str]:
    """Vault-relative folders whose contents are not notes, as spelt: vaultkit's
    templates and output, the configured ``ignore`` ones and Obsidian's
    templates folder. The walk skips them, and the Obsidian bases leave them out."""
    folders = [config.folders.templates, config.folders.output, *config.folders.ignore]
    obsidian = obsidian_template_folder(root)
    if obsidian:
        folders.append("/".join(p for p in obsidian.replace("\\", "/").split("/") if p))
    # config paths are already normalised to ``a/b``
    return list(dict.fromkeys(folder for folder in folders if folder))


def ignored_folders(root: Path, config: Config) -> frozenset[str]:
    """Lower-cased `skipped_folders`, as the walk compares them."""
    return frozenset(folder.lower() for folder in skipped_folders(root, config))


def list_notes(root: Path, config: Config) -> tuple[list[str], list[Diagnostic]]:
    """Vault-relative ``/``-separated paths of every note, sorted, with walk problems."""
    ignored = ignored_folders(root, config)
    real_root = os.path.realpath(root)
    notes: list[str] = []
    problems: list[Diagnostic] = []
    pending: list[tuple[str, str]] = [(str(root), "")]
    while pending:
        folder, rel_folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            problems.append(
                Diagnostic(
                    rel_folder or ".",
                    None,
                    "warning",
                    "unreadable",
                    f"cannot list the folder: {exc.strerror}",
                )
            )
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = f"{rel_folder}/{name}" if rel_folder else name
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError:  # a symlink loop, a file gone meanwhile
                if name.lower().endswith(".md"):
                    problems.append(_broken(rel, "cannot be followed (a symlink loop?)"))
                continue
            if is_dir:
                if rel.lower() in ignored:
                    continue
                if not _utf8(name):
                    problems.append(_bad_name(rel, "folder"))
                    continue
                if is_link:
                    if not is_inside(entry.path, real_root):
                        problems.append(_outside(rel))
                    continue
                pending.append((entry.path, rel))
            elif name.lower().endswith(".md"):
                # the directory entry knows a plain file without a stat: the
                # one stat per note is left to whoever needs its stamp
                if not is_link and entry.is_file() and _plain_note_name(name):
                    notes.append(rel)  # `judge_file`'s answer, without its call per note
                    continue
                accepted, problem = judge_file(rel, entry.path, is_link, real_root, entry.is_file)
                if problem is not None:
                    problems.append(problem)
                if accepted:
                    notes.append(rel)
    notes.sort()
    return notes, problems


def judge_file(
    rel: str,
    path: str,
    is_link: bool,
    real_root: str,
    is_file: Callable[[], bool] | None = None,
) -> tuple[bool, Diagnostic | None]:
    """Whether the ``.md`` file at ``path`` (``rel`` in the vault, in a folder
    the walk enters) is a note, and the warning it earns if not. The one file
    filter: the full walk and the watcher's re-reads both apply it, so a file
    that appears while `watch` runs is judged as a fresh scan would judge it."""
    name = rel.rsplit("/", 1)[-1]
    if not _utf8(name):
        return False, _bad_name(rel, "file")
    if _CONFLICT_COPY.search(name):
        return False, Diagnostic(
            rel,
            None,
            "warning",
            "sync-conflict",
            "a sync client's conflict copy: merge what you need into the note "
            "and delete this file; vaultkit does not read it",
        )
    if is_link:
        try:
            os.stat(path)
        except OSError as error:
            if error.errno == errno.ELOOP:  # as the walk, which cannot follow it, says
                return False, _broken(rel, "cannot be followed (a symlink loop?)")
        real = os.path.realpath(path)
        if not is_inside(real, real_root):
            return False, _outside(rel)
        if not os.path.isfile(real):
            return False, _broken(rel, "the symlink leads nowhere")
        return True, None
    return is_file() if is_file is not None else os.path.isfile(path), None


def judge_path(root: Path, rel: str, ignored: frozenset[str]) -> tuple[bool, Diagnostic | None]:
    """`judge_file` for one vault-relative path, without walking the vault
    (the watcher's case): also what the walk itself would not enter (a
    dot-folder, an ignored folder, a symlinked or misnamed folder)."""
    if not is_note_path(rel, ignored):
        return False, None
    real_root = os.path.realpath(root)
    path = os.path.join(str(root), *rel.split("/"))
    folder = rel.rpartition("/")[0]
    for name in folder.split("/") if folder else ():
        if not _utf8(name):
            return False, _bad_name(folder, "folder")
    # The walk never enters a symlinked folder: the file's folder must be
    # the vault's own, reached without one.
    expected = os.path.join(real_root, *folder.split("/")) if folder else real_root
    if os.path.realpath(os.path.dirname(path)) != expected:
        return False, None
    try:
        is_link = os.path.islink(path)
    except (OSError, ValueError):
        return False, None
    if not is_link and not os.path.lexists(path):
        return False, None
    return judge_file(rel, path, is_link, real_root)


def escaped(rel: str) -> str:
    """A path whose name is not valid UTF-8, as it can be printed: each byte
    that does not decode shown as ``\\xff``."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _plain_note_name(name: str) -> bool:
    """A file name `judge_file` accepts with no warning: valid UTF-8 and no
    sync client's conflict copy."""
    return _utf8(name) and _CONFLICT_COPY.search(name) is None


def _utf8(name: str) -> bool:
    """Whether a name from the file system is valid UTF-8 (Python decodes the
    rest with lone surrogates, which nothing can store or print)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bad_name(rel: str, what: str) -> Diagnostic:
    return Diagnostic(
        escaped(rel),
        None,
        "warning",
        "bad-file-name",
        f"the {what} name is not valid UTF-8; rename it to have it read; skipped",
    )


def _broken(rel: str, why: str) -> Diagnostic:
    return Diagnostic(rel, None, "warning", "broken-symlink", f"{why}; skipped")


def _outside(rel: str) -> Diagnostic:
    return Diagnostic(
        rel, None, "warning", "outside-vault", "the symlink leads outside the vault; skipped"
    )


def is_note_path(rel: str, ignored: frozenset[str]) -> bool:
    """Whether a vault-relative path is one `list_notes` would list: a ``.md``
    file, in no dot-folder and no ignored folder. Used by the watcher to judge
    a changed path without walking the vault."""
    parts = rel.split("/")
    if not rel.lower().endswith(".md") or any(part.startswith(".") for part in parts):
        return False
    lowered = rel.lower()
    return not any(lowered.startswith(folder + "/") for folder in ignored)
