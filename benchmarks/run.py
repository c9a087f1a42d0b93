"""The benchmark suite: every figure issue #7 asks for, on generated vaults of
1,000, 10,000 and 50,000 notes, in one run.

    python benchmarks/run.py                 # 1k, 10k, 50k (several minutes)
    python benchmarks/run.py --sizes 10000
    python benchmarks/run.py --quick         # 1k only, fewer repeats: for CI, no thresholds
    python benchmarks/run.py --json

Every vaultkit figure is a whole command run as a user runs it (a fresh
`python -m vaultkit` process) and is reported with its ratio to the baseline:
a plain python-frontmatter loop over the same notes, timed in this process in
the same run, because the machines are shared and noisy and only ratios
travel. Each command is timed several times and the best run kept.

Measured per size:
- the baseline loop;
- `list contacts --json` cold (no index cache) and warm (the same command again);
- `followups --json`, `calendar` and `graph referrals` (a well-connected contact);
- `vaultkit --help` against a bare `python -c pass`;
- the watcher: save → updated `.ics` latency (median, p95) and its memory;
- the peak memory of the cold `list contacts`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_watch import baseline, measure as measure_watch  # noqa: E402, I001  (after sys.path)

_RSS_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "t = time.perf_counter() - t\n"
    "if p.returncode: sys.stderr.write(p.stderr.decode()[-500:])\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n"
)


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one fresh process running ``argv``."""
    result = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds, rss, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"failed: {' '.join(argv)}\n{result.stderr}")
    return float(seconds), int(rss)


def vaultkit(vault: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "vaultkit", "--vault", str(vault), *args]


def best(runs: int, argv: list[str], before: Any = None) -> tuple[float, int]:
    """The fastest of ``runs`` runs (and the largest peak memory seen)."""
    times, peaks = [], []
    for _ in range(runs):
        if before is not None:
            before()
        seconds, rss = timed(argv)
        times.append(seconds)
        peaks.append(rss)
    return min(times), max(peaks)


def connector(vault: Path) -> str:
    out = subprocess.run(
        vaultkit(vault, "graph", "top", "--limit", "1", "--json"),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)[0]["name"]


def bench_size(notes: int, scratch: Path, runs: int, saves: int) -> dict[str, Any]:
    vault = scratch / f"vault-{notes}"
    subprocess.run(
        [sys.executable, str(HERE / "generate_vault.py"), str(vault), "--notes", str(notes)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cache = vault / ".vaultkit"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    base = min(baseline(vault) for _ in range(2))
    figures: dict[str, Any] = {"notes": notes, "baseline_s": round(base, 3)}
    cold, cold_rss = best(runs, vaultkit(vault, "list", "contacts", "--json"), drop_cache)
    timed(vaultkit(vault, "list", "contacts", "--json"))  # fill the cache
    warm, _ = best(runs, vaultkit(vault, "list", "contacts", "--json"))
    followups, _ = best(runs, vaultkit(vault, "followups", "--json", "--as-of", "2026-11-21"))
    calendar, calendar_rss = best(runs, vaultkit(vault, "calendar", "--as-of", "2026-11-21"))
    who = connector(vault)
    referrals, _ = best(runs, vaultkit(vault, "graph", "referrals", who, "--json"))
    helped, _ = best(runs * 2, [sys.executable, "-m", "vaultkit", "--help"])
    bare, _ = best(runs * 2, [sys.executable, "-c", "pass"])
    figures.update(
        list_cold_s=cold,
        list_cold_rss_mb=round(cold_rss / 1024),
        list_warm_s=warm,
        followups_s=followups,
        calendar_s=calendar,
        calendar_rss_mb=round(calendar_rss / 1024),
        graph_referrals_s=referrals,
        help_s=helped,
        python_pass_s=bare,
    )
    watch = measure_watch(vault, saves)
    figures.update({f"watch_{k}": v for k, v in watch.items()})
    # The baseline again, after: the machine's load drifts over a run, and the
    # better of before and after is the stricter yardstick.
    base = min(base, *(baseline(vault) for _ in range(2)))
    figures["baseline_s"] = round(base, 3)
    for key in ("list_cold_s", "list_warm_s", "followups_s", "calendar_s", "graph_referrals_s"):
        figures[key.replace("_s", "_ratio")] = round(figures[key] / base, 2)
        figures[key] = round(figures[key], 3)
    figures["help_over_python_s"] = round(helped - bare, 3)
    figures["help_s"], figures["python_pass_s"] = round(helped, 3), round(bare, 3)
    shutil.rmtree(vault, ignore_errors=True)
    return figures


ROWS = [
    ("python-frontmatter loop (baseline)", "baseline_s", None),
    ("list contacts --json, cold", "list_cold_s", "list_cold_ratio"),
    ("list contacts --json, warm", "list_warm_s", "list_warm_ratio"),
    ("followups --json", "followups_s", "followups_ratio"),
    ("calendar", "calendar_s", "calendar_ratio"),
    ("graph referrals (top connector)", "graph_referrals_s", "graph_referrals_ratio"),
    ("--help over `python -c pass`", "help_over_python_s", None),
    ("watch: save → .ics, median (ms)", "watch_median_ms", None),
    ("watch: save → .ics, p95 (ms)", "watch_p95_ms", None),
    ("watch: resident memory (MB)", "watch_rss_mb", None),
    ("peak memory, cold list (MB)", "list_cold_rss_mb", None),
]


def table(results: list[dict[str, Any]]) -> str:
    header = "| measurement | " + " | ".join(f"{r['notes']:,} notes" for r in results) + " |"
    lines = [header, "|---" * (len(results) + 1) + "|"]
    for label, key, ratio in ROWS:
        cells = []
        for r in results:
            value = r.get(key)
            cell = "n/a" if value is None else f"{value:g}" if not isinstance(value, str) else value
            if ratio and r.get(ratio) is not None:
                cell += f" s ({r[ratio]:.2f}x)"
            elif key.endswith("_s") and value is not None:
                cell += " s"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--quick", action="store_true", help="1,000 notes, fewer repeats")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [1000] if args.quick else args.sizes
    runs = 2 if args.quick else 3
    results = []
    with tempfile.TemporaryDirectory(prefix="vaultkit-bench-") as scratch:
        for notes in sizes:
            saves = 10 if args.quick else 50  # the issue asks for 50 saves
            results.append(bench_size(notes, Path(scratch), runs, saves))
    machine = (
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.platform()}, {time.strftime('%Y-%m-%d')}"
    )
    if args.json:
        print(json.dumps({"machine": machine, "results": results}, indent=2))
        return
    print(machine)
    print(table(results))


if __name__ == "__main__":
    main()
