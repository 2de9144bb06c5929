"""Run the hostile corpus (tests/hostile) and print a table of failures per family.

    python scripts/hostile.py                      # every case (~10,000; a few minutes on 2 cores)
    python scripts/hostile.py --quick              # the subset tests/test_hostile.py runs
    python scripts/hostile.py --family cycles --family dags --jobs 2
    python scripts/hostile.py --match 'dates/offset' --show 20

Each case runs in a worker subprocess under 2 s of wall time and 500 MB of address
space; columns count the cases that raised an undocumented exception (or, for the
CLI, printed a traceback or exited outside 0/1/2), hung, ran out of memory, mutated
the caller's input (or left a file changed after a failed --fix), wrote a message
over 300 characters or quoting over 40 characters of a personal value, tried the
network, or gave a wrong outcome (a wire body that is not JSON, threads that
disagree with a sequential run). Exit status 1 if any failure column is non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import FAMILIES  # noqa: E402
from tests.hostile.harness import Outcome, render, run_corpus, summarise  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", action="append", choices=FAMILIES, help="repeatable")
    parser.add_argument("--quick", action="store_true", help="the bounded subset pytest runs")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--match", help="only cases whose family/name contains this")
    parser.add_argument("--show", type=int, default=3, help="failing cases listed per family")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest cases")
    parser.add_argument("--json", metavar="FILE", help="write every failing outcome here")
    args = parser.parse_args(argv)

    started = time.monotonic()
    count = 0

    def progress(o: Outcome) -> None:
        nonlocal count
        count += 1
        if sys.stderr.isatty() and count % 50 == 0:
            sys.stderr.write(f"\r{count} cases…")
            sys.stderr.flush()

    outcomes = run_corpus(
        args.family, quick=args.quick, jobs=args.jobs, match=args.match, on_outcome=progress
    )
    if sys.stderr.isatty():
        sys.stderr.write("\r")
    table = summarise(outcomes)
    print(render(table))
    failing = [o for o in outcomes if o.failures]
    retried = sum(o.retried and not o.hang for o in outcomes)
    print(
        f"\n{len(outcomes)} cases in {time.monotonic() - started:.0f} s"
        + (f" ({retried} passed on a second try after a timeout)" if retried else "")
    )
    shown: dict[str, int] = {}
    for o in failing:
        if shown.get(o.family, 0) < args.show:
            shown[o.family] = shown.get(o.family, 0) + 1
            print("  " + o.describe()[:400])
    for o in sorted(outcomes, key=lambda o: -o.seconds)[: args.slowest]:
        call = o.extra.get("call_seconds")
        within = f" (the call {call:.2f} s)" if call is not None else ""
        print(f"  {o.seconds:6.2f} s{within}  {o.family}/{o.name}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([o.__dict__ for o in failing], f, indent=1, default=str)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
