"""Time `vaultkit mail scan` of a 100,000-message mbox against a 10,000-note vault.

The mailbox is made deterministically: one message in twenty is from or to a
contact of the vault (their `email:`), the rest from strangers and mailing
lists, each with a body of about 2 KB that the scan must skip without
reading it into memory. The command runs as a user runs it (a fresh
`python -m vaultkit`), and is reported with its peak resident memory and as
a ratio to the baseline: a plain python-frontmatter loop over the same vault,
timed in this process in the same run, the best of four.

    python benchmarks/bench_mail.py                       # 10,000 notes, 100,000 messages
    python benchmarks/bench_mail.py --notes 1000 --messages 5000 --json
"""

from __future__ import annotations

import argparse
import email.utils
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_watch import baseline  # noqa: E402
from generate_vault import generate  # noqa: E402

_EMAIL = re.compile(r"^email:\s*(\S+@\S+)\s*$", re.MULTILINE)
ME = "me@student.example"


def contact_addresses(vault: Path) -> list[str]:
    found = []
    for path in sorted((vault / "People").glob("*.md")):
        match = _EMAIL.search(path.read_text(encoding="utf-8").split("\n---", 1)[0])
        if match:
            found.append(match.group(1).strip('"'))
    return found


def write_mbox(target: Path, messages: int, addresses: list[str], seed: int = 3) -> int:
    rng = random.Random(seed)
    body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 36 + "\n") * 1
    start = 1_760_000_000
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        for number in range(messages):
            when = start + number * 97
            date = email.utils.formatdate(when, localtime=False)
            roll = rng.random()
            if roll < 0.025 and addresses:
                sender, to = rng.choice(addresses), ME
            elif roll < 0.05 and addresses:
                sender, to = ME, rng.choice(addresses)
            else:
                sender, to = f"someone{rng.randint(1, 50_000)}@else.example", ME
            headers = [
                f"From {sender} {time.asctime(time.gmtime(when))}",
                f"From: {sender}",
                f"To: {to}",
                f"Date: {date}",
                f"Subject: Message {number}",
                f"Message-ID: <m{number}@bench.example>",
            ]
            if roll > 0.9:
                headers.append("List-Id: <news.else.example>")
            out.write("\n".join(headers) + "\n\n" + body + "\n")
    return target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vaultkit-mail-bench-") as scratch:
        vault = Path(scratch) / "vault"
        generate(vault, args.notes)
        mbox = Path(scratch) / "archive.mbox"
        size = write_mbox(mbox, args.messages, contact_addresses(vault))
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        argv = [sys.executable, "-m", "vaultkit", "--vault", str(vault)]
        subprocess.run([*argv, "list", "contacts"], cwd=REPO, env=env, capture_output=True)
        baselines = [baseline(vault), baseline(vault)]
        times, peaks, proposed = [], [], 0
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            done = subprocess.run(
                [*argv, "mail", "scan", str(mbox), "--json"],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(done.stderr[-2000:])
            proposed = len(json.loads(done.stdout))
            peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
        baselines += [baseline(vault), baseline(vault)]
    best = min(baselines)
    result = {
        "notes": args.notes,
        "messages": args.messages,
        "mbox_mb": round(size / 1e6, 1),
        "baseline_s": round(best, 3),
        "scan_s": round(min(times), 3),
        "scan_ratio": round(min(times) / best, 2),
        "messages_per_s": round(args.messages / min(times)),
        "peak_rss_mb": round(max(peaks) / 1024),
        "proposed": proposed,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{args.messages} messages ({result['mbox_mb']} MB) against {args.notes} notes: "
        f"{result['scan_s']} s ({result['scan_ratio']}x the baseline {result['baseline_s']} s), "
        f"{result['messages_per_s']} messages/s, peak RSS {result['peak_rss_mb']} MB, "
        f"{proposed} dates proposed"
    )


if __name__ == "__main__":
    main()
