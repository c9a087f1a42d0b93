"""Check that a generated benchmark vault is what it claims to be.

Why this exists: a benchmark on a broken vault measures the error path, not
the real one. This script proves, independently of vaultkit, that every note's
front-matter is valid YAML (read with PyYAML's ``CSafeLoader``, as
python-frontmatter does), that every ``organization``, ``referred_by``,
``contact`` and ``referrals`` link names an existing note of the right kind,
that referral chains are acyclic and at most six deep, that names and ids are
unique, and that bodies stay within 0.5-20 KB. It also prints the shape of the
vault (counts, chain depths, sizes) so a reader can see it looks real.

Usage::

    python benchmarks/check_vault.py VAULT [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_DEPTH = 6
BODY_MIN_BYTES = 500
BODY_MAX_BYTES = 20 * 1024
KIND_FOLDERS = {"People": "contact", "Organizations": "organization", "Interviews": "interview"}
WIKILINK = re.compile(r"!?\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|[^\]]*)?\]\]")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INTERVIEW_NAME = re.compile(r"\d{4}-\d{2}-\d{2} .+")
INTERVIEW_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
CONTACT_STATUSES = {
    "to-contact",
    "contacted",
    "scheduled",
    "interviewed",
    "thanked",
    "keep-in-touch",
    "closed",
}
INTERVIEW_STATUSES = {"planned", "done", "cancelled"}
REQUIRED = {
    "contact": ("organization", "status", "warmth", "id"),
    "organization": ("name", "id"),
    "interview": ("contact", "date", "status", "id"),
}


@dataclass
class Note:
    """One parsed note: where it is, what kind, its keys and body."""

    path: str
    kind: str
    meta: dict[str, Any]
    body_bytes: int
    body: str


@dataclass
class Report:
    """Problems found and the figures that describe the vault."""

    errors: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def error(self, message: str) -> None:
        """Record a problem; the first few are printed, all are counted."""
        self.errors.append(message)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front-matter or None, body) as Obsidian splits them; tolerates BOM and CRLF."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end == -1:
        return None, text
    return text[4 : end + 1], text[end + 5 :]


def link_target(value: Any) -> list[str]:
    """Stems named by a front-matter link value (string or list of strings)."""
    values = value if isinstance(value, list) else [value]
    out = []
    for item in values:
        if not isinstance(item, str):
            out.append(repr(item))
            continue
        match = WIKILINK.fullmatch(item.strip())
        name = match.group(1) if match else item
        out.append(name.rsplit("/", 1)[-1].strip())
    return out


def kind_of(rel: str) -> str:
    """The kind a note has from its top folder, as vaultkit's defaults say."""
    top = rel.split("/", 1)[0]
    if top in KIND_FOLDERS:
        return KIND_FOLDERS[top]
    return "daily" if top == "Daily" else "note"


def load_notes(vault: Path, report: Report) -> list[Note]:
    """Parse every note's front-matter with CSafeLoader; record what fails."""
    notes = []
    for path in sorted(vault.rglob("*.md")):
        rel = path.relative_to(vault).as_posix()
        if any(part.startswith(".") for part in path.relative_to(vault).parts):
            continue
        raw = path.read_bytes()
        fm_text, body = split_front_matter(raw.decode("utf-8"))
        meta: Any = {}
        if fm_text is not None:
            try:
                meta = yaml.load(fm_text, Loader=yaml.CSafeLoader) or {}
            except yaml.YAMLError as exc:
                report.error(f"{rel}: invalid YAML: {exc}")
                continue
        if not isinstance(meta, dict):
            report.error(f"{rel}: front-matter is a {type(meta).__name__}, not a mapping")
            continue
        notes.append(Note(rel, kind_of(rel), meta, len(body.encode("utf-8")), body))
    return notes


def referral_depths(contacts: dict[str, Note], report: Report) -> dict[str, int]:
    """Depth of every contact in the referral graph; records cycles and dangling links."""
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    def visit(stem: str) -> int:
        if stem in depth:
            return depth[stem]
        if stem in visiting:
            report.error(f"referral cycle through {stem}")
            return 0
        visiting.add(stem)
        parents = link_target(contacts[stem].meta.get("referred_by") or [])
        known = [p.lower() for p in parents if p.lower() in contacts]
        result = 1 + max(visit(p) for p in known) if known else 0
        visiting.discard(stem)
        depth[stem] = result
        return result

    sys.setrecursionlimit(max(10_000, 4 * len(contacts)))
    for stem in contacts:
        visit(stem)
    return depth


def check(vault: Path) -> Report:
    """Run every check on ``vault`` and return the findings."""
    report = Report()
    notes = load_notes(vault, report)
    stems = Counter(Path(n.path).stem.lower() for n in notes)
    for stem, count in stems.items():
        if count > 1:
            report.error(f"{count} notes share the name {stem!r}")
    by_kind: dict[str, dict[str, Note]] = {}
    for note in notes:
        by_kind.setdefault(note.kind, {})[Path(note.path).stem.lower()] = note
    contacts = by_kind.get("contact", {})
    orgs = by_kind.get("organization", {})

    ids = Counter(str(n.meta["id"]) for n in notes if "id" in n.meta)
    report.figures["duplicate_ids"] = sum(1 for c in ids.values() if c > 1)
    if report.figures["duplicate_ids"]:
        report.error(f"{report.figures['duplicate_ids']} ids are used more than once")

    checked = Counter[str]()

    def resolve(note: Note, key: str, pool: dict[str, Note], what: str) -> None:
        if key not in note.meta or note.meta[key] in (None, []):
            return
        for stem in link_target(note.meta[key]):
            checked[f"{note.kind}.{key}"] += 1
            if stem.lower() not in pool:
                report.error(f"{note.path}: {key} -> {stem!r} is not a note of kind {what}")

    for note in notes:
        for key in REQUIRED.get(note.kind, ()):
            if key not in note.meta:
                report.error(f"{note.path}: missing {key}")
        if note.kind == "contact":
            resolve(note, "organization", orgs, "organization")
            resolve(note, "referred_by", contacts, "contact")
            if note.meta.get("status") not in CONTACT_STATUSES:
                report.error(f"{note.path}: status {note.meta.get('status')!r}")
            if note.meta.get("warmth") not in ("warm", "cold"):
                report.error(f"{note.path}: warmth {note.meta.get('warmth')!r}")
        elif note.kind == "interview":
            resolve(note, "contact", contacts, "contact")
            resolve(note, "organization", orgs, "organization")
            resolve(note, "referrals", contacts, "contact")
            stem = Path(note.path).stem
            stamp = str(note.meta.get("date"))
            if not INTERVIEW_NAME.fullmatch(stem) or not INTERVIEW_DATE.fullmatch(stamp):
                report.error(f"{note.path}: name or date {stamp!r} not as specified")
            elif stamp[:10] != stem[:10]:
                report.error(f"{note.path}: file date differs from date {stamp!r}")
            if note.meta.get("status") not in INTERVIEW_STATUSES:
                report.error(f"{note.path}: status {note.meta.get('status')!r}")
        if not BODY_MIN_BYTES <= note.body_bytes <= BODY_MAX_BYTES:
            report.error(f"{note.path}: body is {note.body_bytes} bytes")

    all_stems = set(stems)
    paths = {n.path[:-3].lower() for n in notes}
    body_links = dangling = 0
    for note in notes:
        for match in WIKILINK.finditer(FENCE.sub("", note.body)):
            body_links += 1
            target = match.group(1).strip().lower()
            if target not in all_stems and target not in paths:
                dangling += 1

    depths = referral_depths(contacts, report)
    depth_hist = Counter(depths.values())
    if depths and max(depths.values()) > MAX_DEPTH:
        report.error(f"a referral chain is {max(depths.values())} deep (max {MAX_DEPTH})")
    two = sum(1 for n in contacts.values() if len(link_target(n.meta.get("referred_by") or [])) > 1)

    sizes: dict[str, list[int]] = {}
    for note in notes:
        sizes.setdefault(note.kind, []).append(note.body_bytes)
    report.figures.update(
        notes=len(notes),
        vault_mb=round(sum(p.stat().st_size for p in vault.rglob("*.md")) / 1e6, 2),
        kinds={kind: len(v) for kind, v in sorted(sizes.items())},
        body_bytes_median={k: int(statistics.median(v)) for k, v in sorted(sizes.items())},
        body_bytes_max={k: max(v) for k, v in sorted(sizes.items())},
        referral_depths=dict(sorted(depth_hist.items())),
        contacts_with_two_referrers=two,
        front_matter_links_resolved=dict(sorted(checked.items())),
        body_links=body_links,
        dangling_body_links=dangling,
        open_tasks=sum(n.body.count("- [ ] ") for n in notes),
        done_tasks=sum(n.body.count("- [x] ") for n in notes),
    )
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: exit 0 when the vault passes, 1 otherwise."""
    parser = argparse.ArgumentParser(description="Validate a generated benchmark vault.")
    parser.add_argument("vault", type=Path, metavar="VAULT")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.vault.is_dir():
        print(f"error: {args.vault} is not a folder", file=sys.stderr)
        return 2
    report = check(args.vault)
    if args.json:
        print(json.dumps({"errors": report.errors, **report.figures}, indent=2))
    else:
        for key, value in report.figures.items():
            print(f"{key}: {value}")
        for message in report.errors[:20]:
            print(f"ERROR {message}")
        if len(report.errors) > 20:
            print(f"... and {len(report.errors) - 20} more errors")
        print("OK" if not report.errors else f"FAILED: {len(report.errors)} problems")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
