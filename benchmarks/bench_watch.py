"""Latency of `vaultkit watch`: from an editor-style save (temp file + rename)
to the updated calendar on disk.

    python benchmarks/bench_watch.py VAULT [--saves 50]
    python benchmarks/bench_watch.py --generate 10000 [--saves 50]

The vault is copied to a temp folder first (the watcher writes stubs and
outputs). Each save moves one interview by an hour, so every save changes the
calendar; the time is measured until the .ics file's bytes change. With
--in-place the note is rewritten where it is (truncate, write, close), as
editors without atomic saves do. Reported:
median, p95 and max over all saves, plus the watcher's first full pass, and a
plain python-frontmatter loop over the same notes in this process for scale.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def baseline(root: Path) -> float:
    import frontmatter

    started = time.perf_counter()
    for path in root.rglob("*.md"):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        with contextlib.suppress(Exception):  # the baseline only times reading
            frontmatter.load(path)
    return time.perf_counter() - started


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return False


def measure(
    vault: Path, saves: int, in_place: bool = False, repo: Path = REPO
) -> dict[str, object]:
    """Watch ``vault`` with the vaultkit of the checkout ``repo`` (its folder
    first on PYTHONPATH), and time ``saves`` saves."""
    ics = vault / "vaultkit" / "followups.ics"
    ics.unlink(missing_ok=True)
    interviews = sorted((vault / "Interviews").glob("*.md"))
    if not interviews:
        raise SystemExit("the vault has no Interviews/ notes to edit")
    target = interviews[len(interviews) // 2]
    original = target.read_text(encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(repo), env.get("PYTHONPATH")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultkit", "--vault", str(vault), "watch"],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        if not wait_for(ics.exists, 600):
            raise SystemExit("the watcher never wrote the calendar")
        first_pass = time.perf_counter() - started
        time.sleep(1.0)  # let the first pass's own writes settle
        latencies = []
        for number in range(saves):
            hour = 8 + number % 10
            text = _with_hour(original, hour)
            before = _identity(ics)
            if in_place:
                saved = time.perf_counter()
                target.write_text(text, encoding="utf-8")
            else:
                temp = target.with_name(f".{target.name}.swp")
                temp.write_text(text, encoding="utf-8")
                saved = time.perf_counter()
                os.replace(temp, target)
            # Polls the file's identity (a new inode each atomic write), not its
            # 36 MB of bytes, so the measuring does not compete for the CPU.
            if not wait_for(lambda before=before: _identity(ics) != before, 30):
                raise SystemExit(f"save {number} never reached the calendar")
            latencies.append(time.perf_counter() - saved)
            time.sleep(0.3)  # the next save is a separate burst
        rss_mb = _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
        target.write_text(original, encoding="utf-8")
    latencies.sort()
    return {
        "saves": saves,
        "first_pass_s": round(first_pass, 3),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "rss_mb": rss_mb,
    }


def _rss_mb(pid: int) -> int | None:
    """The watcher's resident memory now (Linux /proc), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    return None


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _with_hour(text: str, hour: int) -> str:
    import re

    return re.sub(
        r"^date: (\"?)(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}",
        lambda m: f"date: {m.group(1)}{m.group(2)} {hour:02d}:00",
        text,
        count=1,
        flags=re.M,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", nargs="?", type=Path)
    parser.add_argument("--generate", type=int, metavar="N")
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--in-place", action="store_true", help="save without a temp file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vaultkit-watch-") as scratch:
        copy = Path(scratch) / "vault"
        if args.generate:
            subprocess.run(
                [
                    sys.executable,
                    str(REPO / "benchmarks" / "generate_vault.py"),
                    str(copy),
                    "--notes",
                    str(args.generate),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        elif args.vault:
            shutil.copytree(args.vault, copy, ignore=shutil.ignore_patterns(".vaultkit"))
        else:
            parser.error("give a VAULT or --generate N")
        notes = sum(1 for _ in copy.rglob("*.md"))
        base = baseline(copy)
        figures = {
            "notes": notes,
            "frontmatter_loop_s": round(base, 3),
            **measure(copy, args.saves, args.in_place),
        }
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{figures['notes']} notes; python-frontmatter loop over them: "
        f"{figures['frontmatter_loop_s']} s"
    )
    print(f"watcher's first full pass: {figures['first_pass_s']} s")
    print(
        f"save → updated .ics over {figures['saves']} saves: median {figures['median_ms']} ms, "
        f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms"
    )


if __name__ == "__main__":
    main()
