"""Measure ``vaultkit list contacts --json`` against the cheapest honest alternative.

Why this exists: the cost users feel is a whole command, start-up included, so
vaultkit is run as a subprocess exactly as a user runs it. To give that number
a meaning it is set against a baseline any Python user could write in a few
lines — a loop calling ``frontmatter.load`` on every note — measured in this
same process. ``vaultkit --help`` against a bare ``import click`` shows what
start-up alone costs, before any note is read.

The machine is shared and noisy, so each subprocess is timed several times
(best and median are reported), runs of the different commands are
interleaved so drift hits them alike, and the baseline runs once before and
once after the subprocesses, the better of the two being kept.

Usage::

    python benchmarks/bench_list.py VAULT [--runs 3] [--json]
    python benchmarks/bench_list.py --generate 10000 [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Subprocesses run from the repository root so ``python -m vaultkit`` finds the
# working tree's package even when it is not installed.
REPO_ROOT = HERE.parent
# What ``python -m vaultkit`` prints when the package itself is absent (or is a
# bare folder without ``__main__``), as opposed to one of its dependencies.
MISSING = re.compile(r"No module named '?vaultkit(?:'|\.__main__|$)", re.M)


@dataclass
class Timing:
    """Wall times of one measurement, and why it has none if it failed."""

    label: str
    command: str
    runs: list[float] = field(default_factory=list)
    error: str | None = None
    note: str = ""

    @property
    def best(self) -> float | None:
        """The fastest run: the least disturbed by other work on the machine."""
        return min(self.runs) if self.runs else None

    @property
    def median(self) -> float | None:
        """The typical run."""
        return statistics.median(self.runs) if self.runs else None

    @property
    def first(self) -> float | None:
        """The first run, which may pay for cold caches (bytecode, vaultkit's index)."""
        return self.runs[0] if self.runs else None

    def as_dict(self) -> dict[str, Any]:
        """The figures for ``--json``."""
        return {
            "label": self.label,
            "command": self.command,
            "runs": [round(r, 4) for r in self.runs],
            "best": round(self.best, 4) if self.best is not None else None,
            "median": round(self.median, 4) if self.median is not None else None,
            "first": round(self.first, 4) if self.first is not None else None,
            "error": self.error,
            "note": self.note,
        }


def note_files(vault: Path) -> list[Path]:
    """Every ``*.md`` under the vault, skipping hidden folders as vaultkit does."""
    files = []
    for folder, dirs, names in os.walk(vault):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(Path(folder, n) for n in sorted(names) if n.endswith(".md"))
    return files


def run_baseline(vault: Path) -> tuple[float, int, int]:
    """(seconds, notes, failures) for walking the vault and ``frontmatter.load`` on each note.

    The walk is inside the timing because vaultkit has to walk the vault too.
    A note python-frontmatter cannot parse is counted, not fatal: the baseline
    must not be faster just because it gave up.
    """
    import frontmatter  # imported here so a missing package is one clear error

    failures = 0
    start = time.perf_counter()
    files = note_files(vault)
    for path in files:
        try:
            frontmatter.load(path)
        except Exception:
            failures += 1
    return time.perf_counter() - start, len(files), failures


def run_once(
    timing: Timing, argv: list[str], timeout: float
) -> subprocess.CompletedProcess[str] | None:
    """Run ``argv`` once; add its wall time to ``timing``, or record why it failed."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            argv,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        timing.error = f"timed out after {timeout:g} s"
        return None
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        timing.error = f"exit {proc.returncode}: {lines[-1] if lines else 'no output'}"
        return proc
    timing.runs.append(elapsed)
    return proc


def vaultkit_missing(proc: subprocess.CompletedProcess[str] | None) -> bool:
    """True when ``python -m vaultkit`` failed because there is no such module yet."""
    return proc is not None and proc.returncode != 0 and MISSING.search(proc.stderr) is not None


def describe_list_output(stdout: str, vault: Path) -> str:
    """A sanity note on what ``list contacts --json`` returned.

    A fast command that returns nothing is no result, so the count is shown
    next to the number of notes in ``People/``.
    """
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError as exc:
        return f"output is not JSON ({exc.msg})"
    people = len(note_files(vault / "People")) if (vault / "People").is_dir() else 0
    if not isinstance(data, list):
        return f"output is a JSON {type(data).__name__}, not an array"
    return f"{len(data)} contacts returned ({people} notes in People/)"


def measure(vault: Path, runs: int, timeout: float) -> dict[str, Any]:
    """Take every measurement and return the figures."""
    python = sys.executable
    baseline_runs: list[float] = []
    seconds, notes, failures = run_baseline(vault)
    baseline_runs.append(seconds)

    list_cmd = [python, "-m", "vaultkit", "--vault", str(vault), "list", "contacts", "--json"]
    help_cmd = [python, "-m", "vaultkit", "--help"]
    click_cmd = [python, "-c", "import click"]
    t_list = Timing("vaultkit list contacts --json", " ".join(list_cmd[1:]))
    t_help = Timing("vaultkit --help", " ".join(help_cmd[1:]))
    t_click = Timing('python -c "import click"', " ".join(click_cmd[1:]))

    # The first --help run doubles as the probe for whether vaultkit exists.
    probe = run_once(t_help, help_cmd, timeout)
    missing = vaultkit_missing(probe)
    if missing:
        t_help.error = t_list.error = "vaultkit is not importable (no module named vaultkit)"
    last_list: subprocess.CompletedProcess[str] | None = None
    for i in range(runs):
        run_once(t_click, click_cmd, timeout)
        if missing:
            continue
        if i > 0 and t_help.error is None:
            run_once(t_help, help_cmd, timeout)
        if t_list.error is None:
            proc = run_once(t_list, list_cmd, timeout)
            last_list = proc if proc is not None and proc.returncode == 0 else last_list
    if last_list is not None:
        t_list.note = describe_list_output(last_list.stdout, vault)

    seconds, _, _ = run_baseline(vault)
    baseline_runs.append(seconds)
    baseline = min(baseline_runs)

    def ratio(t: Timing, base: float | None) -> float | None:
        return round(t.best / base, 2) if t.best is not None and base else None

    click_best = t_click.best
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "vault": str(vault),
        "notes": notes,
        "vault_mb": round(sum(p.stat().st_size for p in note_files(vault)) / 1e6, 2),
        "yaml_loader": yaml_loader_name(),
        "runs": runs,
        "vaultkit_available": not missing,
        "baseline": {
            "label": "frontmatter.load loop (in process)",
            "runs": [round(r, 4) for r in baseline_runs],
            "best": round(baseline, 4),
            "parse_failures": failures,
        },
        "measurements": [
            {**t_list.as_dict(), "vs_baseline": ratio(t_list, baseline)},
            {
                **t_help.as_dict(),
                "vs_baseline": ratio(t_help, baseline),
                "vs_import_click": ratio(t_help, click_best),
            },
            {**t_click.as_dict(), "vs_baseline": ratio(t_click, baseline)},
        ],
    }


def yaml_loader_name() -> str:
    """Which YAML loader python-frontmatter uses: the C one is several times faster."""
    try:
        from frontmatter.default_handlers import SafeLoader
    except ImportError:
        return "unknown"
    return SafeLoader.__name__


def fmt_seconds(value: float | None) -> str:
    """Seconds with millisecond precision, or a dash."""
    return f"{value:.3f} s" if value is not None else "-"


def fmt_ratio(value: float | None) -> str:
    """A ratio such as ``2.35x``, or blank."""
    return f"{value:.2f}x" if value is not None else ""


def print_table(figures: dict[str, Any]) -> None:
    """The human-readable report."""
    base = figures["baseline"]
    print(
        f"Python {figures['python']} ({figures['implementation']}), "
        f"{figures['notes']} notes, {figures['vault_mb']} MB in {figures['vault']}"
    )
    print(
        f"python-frontmatter YAML loader: {figures['yaml_loader']}; runs per command: "
        f"{figures['runs']}"
    )
    if not figures["vaultkit_available"]:
        print("vaultkit is missing: `python -m vaultkit` cannot import it; baseline only.")
    header = ("measurement", "best", "median", "first", "vs (a)", "vs import click")
    rows = [
        (
            "(a) frontmatter.load loop",
            fmt_seconds(base["best"]),
            "",
            "",
            "1.00x",
            "",
        )
    ]
    names = ("(b) ", "(c) ", "    ")
    for prefix, m in zip(names, figures["measurements"], strict=True):
        rows.append(
            (
                prefix + m["label"],
                fmt_seconds(m["best"]),
                fmt_seconds(m["median"]),
                fmt_seconds(m["first"]),
                fmt_ratio(m.get("vs_baseline")),
                fmt_ratio(m.get("vs_import_click")),
            )
        )
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    runs = ", ".join(fmt_seconds(r) for r in base["runs"])
    print(f"(a) ran before and after the subprocesses: {runs}; the better is used.")
    if base["parse_failures"]:
        print(f"(a) python-frontmatter failed on {base['parse_failures']} notes.")
    for m in figures["measurements"]:
        if m["error"]:
            print(f"{m['label']}: {m['error']}")
        if m["note"]:
            print(f"{m['label']}: {m['note']}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (2 for a usage error)."""
    parser = argparse.ArgumentParser(
        description="Time `vaultkit list contacts --json` against a frontmatter.load loop."
    )
    parser.add_argument("vault", nargs="?", type=Path, metavar="VAULT", help="vault to measure")
    parser.add_argument(
        "--generate", type=int, metavar="N", help="measure a fresh N-note vault in a temp folder"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for --generate (1)")
    parser.add_argument("--keep", action="store_true", help="keep the --generate vault")
    parser.add_argument("--runs", type=int, default=3, help="runs per subprocess (3)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run (600)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if (args.vault is None) == (args.generate is None):
        parser.error("give either VAULT or --generate N")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        import frontmatter  # noqa: F401
    except ImportError:
        print(
            "error: python-frontmatter is not installed (pip install python-frontmatter)",
            file=sys.stderr,
        )
        return 2

    temp: Path | None = None
    if args.generate is not None:
        if args.generate < 1:
            parser.error("--generate needs at least 1 note")
        sys.path.insert(0, str(HERE))
        from generate_vault import generate

        temp = Path(tempfile.mkdtemp(prefix="vaultkit-bench-"))
        vault = temp / "vault"
        start = time.perf_counter()
        generate(vault, args.generate, seed=args.seed)
        print(
            f"generated {args.generate} notes in {vault} in {time.perf_counter() - start:.2f} s",
            file=sys.stderr,
        )
    else:
        vault = args.vault.resolve()
        if not vault.is_dir():
            print(f"error: {vault} is not a folder", file=sys.stderr)
            return 2
    try:
        figures = measure(vault, args.runs, args.timeout)
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
    if temp is not None:
        figures["generated"] = {"notes": args.generate, "seed": args.seed, "kept": args.keep}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
