"""Race harness: `vaultkit log` against an editor saving the same note.

    python benchmarks/race_edits.py --races 10000          # both editor kinds
    python benchmarks/race_edits.py --races 2000 --json

Each race resets a contact note, starts an edit (the surgical machinery that
`log`, `done`, `cancel`, `reschedule` and `set` share) and has an editor,
running in its own process, save the note at a random moment spread over the
edit's own duration: half the races with an in-place editor (truncate and
write the same file, as Obsidian does), half with a temp-and-rename editor
(as vim and most sync clients do). The editor's save carries a unique marker.

An edit is *lost* when the editor's save finished but its marker is not in
the final file, whatever vaultkit reported. The harness also counts how often
vaultkit refused ("changed meanwhile", the note left as the user saved it)
and how often both changes ended up in the file (the editor saved before
vaultkit read it).

Standard library and vaultkit only; the fast version (a few hundred races)
runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BASE = "---\ntype: contact\nstatus: contacted\n---\nNotes about Ann.\n\n## Log\n\n"
EDITOR = r"""
import os, sys, time
path = sys.argv[1]
for line in sys.stdin:
    mode, at, marker = line.split()
    at = float(at)
    while time.monotonic() < at:
        pass
    text = (open(path, encoding="utf-8").read() + "User typed " + marker + "\n").encode()
    if mode == "inplace":
        with open(path, "wb") as f:
            f.write(text)
    else:
        tmp = path + ".editor-tmp"
        with open(tmp, "wb") as f:
            f.write(text)
        os.replace(tmp, path)
    sys.stdout.write("saved\n")
    sys.stdout.flush()
"""


@dataclass
class Figures:
    races: int = 0
    lost: int = 0
    lost_while_vaultkit_succeeded: int = 0
    refused: int = 0
    both_kept: int = 0
    inplace: int = 0
    rename: int = 0


def run(races: int, folder: Path, seed: int = 1) -> Figures:
    """Run ``races`` races in ``folder`` (a scratch vault is made there)."""
    from vaultkit.notes.note import read_note
    from vaultkit.outputs.done_and_log import EditRefused, _edit

    root = folder / "vault"
    (root / "People").mkdir(parents=True, exist_ok=True)
    rel = "People/Ann.md"
    path = root / rel
    rng = random.Random(seed)
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert editor.stdin is not None and editor.stdout is not None
    figures = Figures()

    def reset() -> None:
        path.write_text(BASE, encoding="utf-8")

    def edit() -> bool:
        note = read_note(root, rel)
        try:
            _edit(root, note, lambda n: n.append_log("2026-11-21: coffee"), ["log"])
        except EditRefused:
            return False
        return True

    try:
        # How long one edit takes here: the editor's save is spread over it.
        durations = []
        for _ in range(20):
            reset()
            started = time.monotonic()
            edit()
            durations.append(time.monotonic() - started)
        span = sorted(durations)[len(durations) // 2]
        for number in range(races):
            reset()
            mode = "inplace" if number % 2 == 0 else "rename"
            marker = f"edit-{number}-{rng.getrandbits(32):08x}"
            at = time.monotonic() + rng.uniform(-0.1, 1.2) * span
            editor.stdin.write(f"{mode} {at!r} {marker}\n")
            editor.stdin.flush()
            succeeded = edit()
            assert editor.stdout.readline() == "saved\n"
            final = path.read_text(encoding="utf-8", errors="replace")
            figures.races += 1
            setattr(figures, mode, getattr(figures, mode) + 1)
            if marker not in final:
                figures.lost += 1
                figures.lost_while_vaultkit_succeeded += succeeded
            elif not succeeded:
                figures.refused += 1
            elif "coffee" in final:
                figures.both_kept += 1
    finally:
        editor.stdin.close()
        editor.wait(timeout=10)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--races", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vaultkit-race-") as scratch:
        started = time.monotonic()
        figures = run(args.races, Path(scratch), args.seed)
        took = time.monotonic() - started
    if args.json:
        print(json.dumps({**asdict(figures), "seconds": round(took, 1)}))
        return
    print(
        f"{figures.races} races ({figures.inplace} in-place, {figures.rename} temp-and-rename): "
        f"{figures.lost} edits lost ({figures.lost_while_vaultkit_succeeded} while vaultkit "
        f"reported success), {figures.refused} refused as changed meanwhile, "
        f"{figures.both_kept} with both changes kept; {took:.0f} s"
    )
    sys.exit(1 if figures.lost else 0)


if __name__ == "__main__":
    os.environ.setdefault("VAULTKIT_NO_PARALLEL", "1")
    main()
