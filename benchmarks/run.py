"""The benchmark suite: every figure the performance targets name, on generated
vaults of 1,000, 10,000 and 50,000 notes, in one run.

    python benchmarks/run.py                      # 1k, 10k, 50k (long: tens of minutes)
    python benchmarks/run.py --sizes 10000 --runs 5
    python benchmarks/run.py --quick              # 1k only, fewer repeats: for CI, no thresholds
    python benchmarks/run.py --repo ../other-checkout --json

Every vaultkit figure is a whole command run as a user runs it (a fresh
`python -m vaultkit` process) and is reported with its ratio to the baseline:
a plain python-frontmatter loop over the same notes, timed in this process in
the same run, because the machines are shared and noisy and only ratios
travel. Each command is timed several times and the best run kept; the
baseline runs twice before and twice after the commands and its best is the
yardstick (the stricter one).

Measured per size, for `list contacts --json`, `followups --json`, `calendar`,
`graph top --json`, `check --json` and `stats --json` (with `--as-of` fixed, so the figures do
not depend on today):
- cold: no `.vaultkit/` cache, removed before each run (after the last
  run's detached cache writer has finished, so it does not slow the next);
- warm: the vault unchanged since the command's previous run;
- warm after editing one note: each run preceded (outside the timing) by a
  one-note edit, alternately a contact's front-matter date and a new dated
  task in another contact's body, never restored, so every run sees a fresh
  change; the slower of the two kinds is reported;
- the watcher: save → updated `.ics` latency (median, p95) and resident memory;
- `vaultkit --help` over a bare `python -c pass`, and the peak memory of the
  cold `list contacts`.

`--repo PATH` times another checkout's code: its `python -m vaultkit` runs with
the checkout as working folder and first on PYTHONPATH, on vaults made by this
file's generator, so two checkouts are measured on byte-identical vaults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_watch import baseline, measure as measure_watch  # noqa: E402, I001  (after sys.path)

# The generator's "today" is 2026-11-20; the day after keeps every command's
# answer independent of the real clock.
AS_OF = "2026-11-21"

# (key, arguments, exit codes that mean success). `check` exits 1 when it
# finds errors, which a generated vault has on purpose (dangling links).
COMMANDS: list[tuple[str, list[str], frozenset[int]]] = [
    ("list", ["list", "contacts", "--json"], frozenset({0})),
    ("followups", ["followups", "--json"], frozenset({0})),
    ("calendar", ["calendar"], frozenset({0})),
    ("graph_top", ["graph", "top", "--json"], frozenset({0})),
    ("check", ["check", "--json"], frozenset({0, 1})),
    ("stats", ["stats", "--json"], frozenset({0})),
]
LABELS = {
    "list": "list contacts --json",
    "followups": "followups --json",
    "calendar": "calendar",
    "graph_top": "graph top --json",
    "check": "check --json",
    "stats": "stats --json",
}
PHASES = [
    ("cold", "cold (no .vaultkit/)"),
    ("warm", "warm, unchanged"),
    ("edit", "warm, one note edited"),
]

# Runs one command in a child process and reports its wall time, its peak
# resident memory and a digest of what it printed. Measured from this small
# parent so the figure excludes nothing of the child's start-up and includes
# nothing of the benchmark's own.
_WRAPPER = (
    "import hashlib, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
    "t = time.perf_counter() - t\n"
    "sys.stderr.write(p.stderr.decode(errors='replace')[-800:])\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode,\n"
    "      hashlib.sha256(p.stdout).hexdigest()[:16], len(p.stdout))\n"
)


@dataclass(frozen=True)
class Run:
    """One fresh process: wall seconds, peak RSS (KB), what it printed."""

    seconds: float
    rss_kb: int
    stdout_sha: str
    stdout_bytes: int


class Checkout:
    """The vaultkit code being timed: a checkout's folder, run with it first on
    PYTHONPATH and as working folder, with this interpreter."""

    def __init__(self, repo: Path, timeout: float) -> None:
        self.repo = repo
        self.timeout = timeout
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(repo), os.environ.get("PYTHONPATH")) if p
        )
        self._takes_as_of: dict[str, bool] = {}

    def vaultkit(self, vault: Path | None, *args: str) -> list[str]:
        where = ["--vault", str(vault)] if vault is not None else []
        return [sys.executable, "-m", "vaultkit", *where, *args]

    def package_file(self) -> str:
        """Where the timed processes import vaultkit from (a wrong one would
        silently time the wrong code)."""
        return subprocess.run(
            [sys.executable, "-c", "import vaultkit; print(vaultkit.__file__)"],
            cwd=self.repo,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def command(self, vault: Path, args: list[str]) -> list[str]:
        """``args`` with ``--as-of`` added when this checkout's command takes it,
        so an older checkout whose command lacks it can still be timed."""
        key = " ".join(args)
        if key not in self._takes_as_of:
            help_text = subprocess.run(
                self.vaultkit(None, *args, "--help"),
                cwd=self.repo,
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            self._takes_as_of[key] = "--as-of" in help_text
        extra = ["--as-of", AS_OF] if self._takes_as_of[key] else []
        return self.vaultkit(vault, *args, *extra)

    def run(self, argv: list[str], accept: frozenset[int] = frozenset({0})) -> Run:
        """One fresh process running ``argv``; a failure stops the benchmark."""
        result = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *argv],
            cwd=self.repo,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        try:
            seconds, rss, code, sha, size = result.stdout.split()
        except ValueError:
            raise SystemExit(f"failed: {' '.join(argv)}\n{result.stderr}") from None
        if int(code) not in accept:
            raise SystemExit(f"failed (exit {code}): {' '.join(argv)}\n{result.stderr}")
        return Run(float(seconds), int(rss), sha, int(size))


@dataclass
class Series:
    """Runs of one measurement."""

    runs: list[Run] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_rss_mb(self) -> int:
        return round(max(r.rss_kb for r in self.runs) / 1024)

    def as_dict(self) -> dict[str, Any]:
        return {
            "best_s": round(self.best, 4),
            "runs_s": [round(r.seconds, 4) for r in self.runs],
            "peak_rss_mb": self.peak_rss_mb,
        }


class OneNoteEdits:
    """Edits that each change exactly one note, alternating two kinds, never
    restored: a contact's ``next_contact`` date (front-matter), and a new
    dated task appended to another contact's body. Each edit moves the file's
    (mtime, size) stamp, the way a person's save does."""

    def __init__(self, vault: Path) -> None:
        contacts = sorted(
            p
            for p in (vault / "People").rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(vault).parts)
        )
        if len(contacts) < 2:
            raise SystemExit("the vault has too few People/ notes to edit")
        # A contact whose next_contact counts (one still being followed), so
        # the edit changes the answers, not only the note.
        followed = [p for p in contacts if _kept_in_touch(p)] or contacts
        dated = [p for p in followed if "\nnext_contact:" in p.read_text(encoding="utf-8")]
        followed = dated or followed
        self.front_matter_note = followed[len(followed) // 2]
        self.task_note = next(
            p for p in (contacts[len(contacts) // 3], *contacts) if p != self.front_matter_note
        )
        self.count = {"front_matter": 0, "task": 0}

    def edit(self, kind: str) -> None:
        self.count[kind] += 1
        if kind == "front_matter":
            self._edit_front_matter(self.count[kind])
        else:
            self._add_task(self.count[kind])

    def _edit_front_matter(self, count: int) -> None:
        path = self.front_matter_note
        text = path.read_text(encoding="utf-8")
        day = dt.date(2026, 11, 22) + dt.timedelta(days=count % 28)
        # A trailing comment on every other edit: the date has a fixed width,
        # and the size must move as well as the mtime.
        comment = "  # moved" if count % 2 else ""
        line = f"next_contact: {day.isoformat()}{comment}"
        head, sep, rest = text.partition("\n---")  # the front-matter block ends here
        if re.search(r"^next_contact:.*$", head, flags=re.M):
            head = re.sub(r"^next_contact:.*$", line, head, count=1, flags=re.M)
        else:
            head = f"{head}\n{line}"
        self._write(path, head + sep + rest)

    def _add_task(self, count: int) -> None:
        path = self.task_note
        text = path.read_text(encoding="utf-8")
        day = dt.date(2026, 11, 21) + dt.timedelta(days=count % 10)
        ending = "" if text.endswith("\n") else "\n"
        task = f"- [ ] Follow up after edit {count} 📅 {day.isoformat()}\n"
        self._write(path, text + ending + task)

    @staticmethod
    def _write(path: Path, text: str) -> None:
        before = path.stat()
        path.write_text(text, encoding="utf-8")
        after = path.stat()
        if after.st_mtime_ns <= before.st_mtime_ns:  # a coarse clock: move it on
            bumped = before.st_mtime_ns + 1_000_000
            os.utime(path, ns=(after.st_atime_ns, bumped))
            after = path.stat()
        if (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size):
            raise SystemExit(f"an edit did not change the stamp of {path}")


def _kept_in_touch(path: Path) -> bool:
    """A contact met and kept in touch with: its ``next_contact`` is when the
    keep-in-touch reminder falls, so moving it changes the follow-ups."""
    head = path.read_text(encoding="utf-8").partition("\n---")[0]
    met = re.search(r"^status:\s*(interviewed|thanked|keep-in-touch)\s*$", head, flags=re.M)
    off = re.search(r"^keep_in_touch:\s*(no|false|off|never)\s*$", head, flags=re.M | re.I)
    return bool(met) and not off


def wait_for_cache_writer(database: Path, notes: int, timeout: float = 120.0) -> None:
    """Until the index cache holds a row per note and the stored answer (what
    a cold run's detached writer stores, the answer last), or ``timeout``
    seconds, said on stderr; a checkout without that writer stores them before
    it exits."""
    import sqlite3

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.05)
            try:
                (rows,) = db.execute("SELECT count(*) FROM notes").fetchone()
                (answers,) = db.execute("SELECT count(*) FROM results").fetchone()
            finally:
                db.close()
            if rows >= notes and answers >= 1:
                time.sleep(0.05)  # the writer's exit
                return
        except sqlite3.Error:
            pass  # not made yet, or being written
        time.sleep(0.05)
    print(f"the cache writer did not finish within {timeout:.0f} s", file=sys.stderr)


def file_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def bench_size(
    checkout: Checkout, notes: int, scratch: Path, runs: int, saves: int, log: Callable[[str], None]
) -> dict[str, Any]:
    vault = scratch / f"vault-{notes}"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "generate_vault.py"), str(vault), "--notes", str(notes)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    log(f"{notes} notes: generated in {time.perf_counter() - started:.1f} s")
    cache = vault / ".vaultkit"
    ics = vault / "vaultkit" / "followups.ics"
    argv = {key: checkout.command(vault, args) for key, args, _ in COMMANDS}
    accept = {key: codes for key, _, codes in COMMANDS}

    baselines = [baseline(vault) for _ in range(2)]
    log(f"{notes} notes: baseline {min(baselines):.3f} s")
    figures: dict[str, Any] = {"notes": notes}

    # Start-up: interleaved, so drift hits both alike.
    helped, bare = Series(), Series()
    for _ in range(runs * 2):
        helped.runs.append(checkout.run(checkout.vaultkit(None, "--help")))
        bare.runs.append(checkout.run([sys.executable, "-c", "pass"]))

    series: dict[str, dict[str, Series]] = {phase: {} for phase, _ in PHASES}
    outputs: dict[str, dict[str, str | None]] = {phase: {} for phase, _ in PHASES}

    def record(phase: str, key: str, run: Run) -> None:
        series[phase].setdefault(key, Series()).runs.append(run)
        # What `calendar` prints says whether it wrote or found the file
        # unchanged; the file is its output.
        outputs[phase][key] = file_sha(ics) if key == "calendar" else run.stdout_sha

    # Cold: interleaved across commands, the cache removed before each run.
    # A cold command leaves the index cache to a detached writer after its
    # output: it is let finish first, or it would slow the next run down.
    for _ in range(runs):
        for key, _, _ in COMMANDS:
            shutil.rmtree(cache, ignore_errors=True)
            record("cold", key, checkout.run(argv[key], accept[key]))
            wait_for_cache_writer(cache / "index.sqlite", notes)
    log(f"{notes} notes: cold done")

    # Warm: each command run once untimed (it may keep its own result), then
    # timed on the unchanged vault.
    for key, _, _ in COMMANDS:
        checkout.run(argv[key], accept[key])
        for _ in range(runs):
            record("warm", key, checkout.run(argv[key], accept[key]))
    log(f"{notes} notes: warm done")

    # Warm after one edit: each command catches up untimed, then every timed
    # run follows exactly one fresh one-note edit since its previous run.
    edits = OneNoteEdits(vault)
    by_kind: dict[str, dict[str, Series]] = {"front_matter": {}, "task": {}}
    for key, _, _ in COMMANDS:
        checkout.run(argv[key], accept[key])
        for _ in range(runs):
            for kind in ("front_matter", "task"):
                edits.edit(kind)
                run = checkout.run(argv[key], accept[key])
                by_kind[kind].setdefault(key, Series()).runs.append(run)
                record("edit", key, run)
    log(f"{notes} notes: edit done")

    watch = measure_watch(vault, saves, repo=checkout.repo)
    log(f"{notes} notes: watch done")
    # The baseline again, after: the machine's load drifts over a run, and the
    # better of before and after is the stricter yardstick.
    baselines += [baseline(vault) for _ in range(2)]
    base = min(baselines)

    figures["baseline_s"] = round(base, 3)
    figures["baseline_runs_s"] = [round(b, 3) for b in baselines]
    for phase, _ in PHASES:
        for key, _, _ in COMMANDS:
            if phase == "edit":
                # The slower kind of edit: the target holds for any one-note edit.
                seconds = max(by_kind[kind][key].best for kind in by_kind)
            else:
                seconds = series[phase][key].best
            figures[f"{phase}_{key}_s"] = round(seconds, 3)
            figures[f"{phase}_{key}_ratio"] = round(seconds / base, 2)
    figures["cold_list_rss_mb"] = series["cold"]["list"].peak_rss_mb
    figures["help_s"] = round(helped.best, 3)
    figures["python_pass_s"] = round(bare.best, 3)
    figures["help_over_python_s"] = round(helped.best - bare.best, 3)
    figures.update({f"watch_{k}": v for k, v in watch.items()})
    figures["runs"] = {
        phase: {key: s.as_dict() for key, s in series[phase].items()} for phase, _ in PHASES
    }
    figures["runs"]["edit_by_kind"] = {
        kind: {key: s.as_dict() for key, s in per.items()} for kind, per in by_kind.items()
    }
    # What each command printed (and, for the calendar, wrote) on its last run
    # per phase: cold and warm must agree, and two checkouts can be compared.
    figures["outputs"] = outputs
    figures["cold_equals_warm"] = outputs["cold"] == outputs["warm"]
    shutil.rmtree(vault, ignore_errors=True)
    return figures


ROWS: list[tuple[str, str, str | None, str]] = [
    ("python-frontmatter loop (baseline)", "baseline_s", None, " s"),
    *(
        (f"{LABELS[key]}, {title}", f"{phase}_{key}_s", f"{phase}_{key}_ratio", " s")
        for phase, title in PHASES
        for key, _, _ in COMMANDS
    ),
    ("watch: save → .ics, median", "watch_median_ms", None, " ms"),
    ("watch: save → .ics, p95", "watch_p95_ms", None, " ms"),
    ("watch: resident memory", "watch_rss_mb", None, " MB"),
    ("--help over `python -c pass`", "help_over_python_s", None, " s"),
    ("peak memory, cold list", "cold_list_rss_mb", None, " MB"),
]


def table(results: list[dict[str, Any]]) -> str:
    header = "| measurement | " + " | ".join(f"{r['notes']:,} notes" for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    for label, key, ratio, unit in ROWS:
        cells = []
        for r in results:
            value = r.get(key)
            if value is None:
                cells.append("n/a")
                continue
            cell = f"{value:.3f}{unit}" if unit == " s" else f"{value:g}{unit}"
            if ratio is not None and r.get(ratio) is not None:
                cell += f" ({r[ratio]:.2f}x)"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--quick", action="store_true", help="1,000 notes, fewer repeats")
    parser.add_argument("--runs", type=int, help="timed runs per command and phase (3; --quick 2)")
    parser.add_argument(
        "--repo",
        type=Path,
        default=HERE.parent,
        help="the checkout whose vaultkit is timed (default: this one)",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run (1800)")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args()
    sizes = [1000] if args.quick else args.sizes
    runs = args.runs if args.runs is not None else 2 if args.quick else 3
    if runs < 1:
        parser.error("--runs must be at least 1")
    saves = 10 if args.quick else 50
    checkout = Checkout(args.repo.resolve(), args.timeout)
    if not (checkout.repo / "vaultkit" / "__init__.py").is_file():
        parser.error(f"{checkout.repo} holds no vaultkit/ package")
    imported = checkout.package_file()
    if not Path(imported).resolve().is_relative_to(checkout.repo):
        raise SystemExit(f"vaultkit is imported from {imported}, not from {checkout.repo}")

    def log(message: str) -> None:  # progress on stderr, so --json stays clean
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    commit = subprocess.run(  # read first: the checkout may move on during a long run
        ["git", "-C", str(checkout.repo), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    results = []
    with tempfile.TemporaryDirectory(prefix="vaultkit-bench-") as scratch:
        for notes in sizes:
            results.append(bench_size(checkout, notes, Path(scratch), runs, saves, log))
            # Each size's figures as soon as they exist: a long run that dies
            # later still leaves them in the log.
            log(
                f"{notes} notes: "
                + json.dumps({k: v for k, v in results[-1].items() if k != "runs"})
            )
    machine = (
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.platform()}, {time.strftime('%Y-%m-%d')}"
    )
    if args.json:
        report = {
            "machine": machine,
            "repo": str(checkout.repo),
            "commit": commit or None,
            "vaultkit_imported_from": imported,
            "as_of": AS_OF,
            "runs": runs,
            "results": results,
            "table": table(results),
        }
        print(json.dumps(report, indent=2))
        return
    print(f"{machine}; {checkout.repo} at {commit or '?'}; best of {runs}, --as-of {AS_OF}")
    print(table(results))


if __name__ == "__main__":
    main()
