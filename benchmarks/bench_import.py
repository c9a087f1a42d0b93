"""Time `vaultkit import linkedin` of 10,000 LinkedIn rows into a 10,000-note vault.

The rows are made deterministically: three in ten are people the vault
already has (their LinkedIn address, their e-mail address, or their name),
the rest are new, at employers the vault knows and at others. Each command
runs as a user runs it (a fresh `python -m vaultkit`), on a fresh copy of the
vault (copied outside the timing), and is reported as a ratio to the
baseline: a plain python-frontmatter loop over the same vault, timed in this
process in the same run, twice before and twice after, the best kept.

    python benchmarks/bench_import.py                 # 10,000 notes, 10,000 rows
    python benchmarks/bench_import.py --notes 1000 --rows 1000 --runs 2 --json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_watch import baseline  # noqa: E402
from generate_vault import FIRST_NAMES, LAST_NAMES, generate  # noqa: E402

AS_OF = "2026-11-21"
_FIELD = re.compile(r"^(name|linkedin|email|organization):\s*(.*)$", re.MULTILINE)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def existing_people(vault: Path) -> list[dict[str, str]]:
    people = []
    for path in sorted((vault / "People").glob("*.md")):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        fields = {key: value.strip().strip('"') for key, value in _FIELD.findall(head)}
        fields.setdefault("name", path.stem)
        people.append(fields)
    return people


def write_connections(vault: Path, rows: int, target: Path, seed: int = 7) -> None:
    """LinkedIn's Connections.csv, preamble and all."""
    rng = random.Random(seed)
    known = existing_people(vault)
    orgs = sorted(p.stem for p in (vault / "Organizations").glob("*.md"))
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write("Notes:\r\n")
        handle.write('"When exporting your connection data, you may notice that some of the ')
        handle.write('email addresses are missing."\r\n\r\n')
        writer = csv.writer(handle, lineterminator="\r\n")
        header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position"]
        writer.writerow([*header, "Connected On"])
        for row in range(rows):
            day = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2015, 2026)}"
            if rng.random() < 0.3 and known:
                person = rng.choice(known)
                first, _, last = person["name"].partition(" ")
                how = rng.random()
                url = person.get("linkedin", "") if how < 0.5 else ""
                email = person.get("email", "") if 0.5 <= how < 0.7 else ""
                writer.writerow([first, last, url, email, "", "", day])
                continue
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            slug = f"{first}-{last}-{row}".lower()
            company = rng.choice(orgs) if rng.random() < 0.4 else f"Company {rng.randint(1, 900)}"
            email = f"{slug}@example.com" if rng.random() < 0.1 else ""
            url = f"https://www.linkedin.com/in/{slug}"
            writer.writerow([first, last, url, email, company, "Analyst", day])


def timed(vault: Path, csv_path: Path, *extra: str) -> tuple[float, dict]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "vaultkit", "--vault", str(vault), "import", "linkedin"]
    started = time.perf_counter()
    done = subprocess.run(
        [*argv, str(csv_path), "--json", "--as-of", AS_OF, *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vaultkit-import-bench-") as scratch:
        base = Path(scratch) / "vault"
        generate(base, args.notes)
        csv_path = Path(scratch) / "Connections.csv"
        write_connections(base, args.rows, csv_path)
        baselines = [baseline(base), baseline(base)]
        figures: dict[str, list[float]] = {"dry_run": [], "import": [], "again": []}
        counts: dict[str, int] = {}
        for run in range(args.runs):
            copy = Path(scratch) / f"run{run}"
            shutil.copytree(base, copy)
            subprocess.run(  # a warm index cache, as a user's vault has
                [sys.executable, "-m", "vaultkit", "--vault", str(copy), "list", "contacts"],
                cwd=REPO,
                env={**os.environ, "PYTHONPATH": str(REPO)},
                capture_output=True,
                check=True,
            )
            seconds, _ = timed(copy, csv_path, "--dry-run")
            figures["dry_run"].append(seconds)
            seconds, report = timed(copy, csv_path)
            figures["import"].append(seconds)
            counts = {key: len(report[key]) for key in ("created", "existing", "skipped")}
            seconds, again = timed(copy, csv_path)
            figures["again"].append(seconds)
            assert again["created"] == [], "a second import created notes"
            shutil.rmtree(copy)
        baselines += [baseline(base), baseline(base)]
    best_baseline = min(baselines)
    result = {
        "notes": args.notes,
        "rows": args.rows,
        "baseline_s": round(best_baseline, 3),
        **{f"{k}_s": round(min(v), 3) for k, v in figures.items()},
        **{f"{k}_ratio": round(min(v) / best_baseline, 2) for k, v in figures.items()},
        "counts": counts,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.rows} rows into {args.notes} notes; baseline {best_baseline:.3f} s")
    for key, label in (("dry_run", "--dry-run"), ("import", "import"), ("again", "again")):
        print(f"  {label:<10} {result[key + '_s']:.3f} s  {result[key + '_ratio']}x")
    print(f"  {counts}")


if __name__ == "__main__":
    main()
