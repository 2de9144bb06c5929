"""Start-up and ``--jobs`` rows of ``bench.py`` (performance issue, round two).

- ``import kombo_validate`` + ``check(EXAMPLE)`` in a fresh process, and
  ``kombo-validate lint one.json``, each against a bare ``python -c pass``: the
  three commands alternate run by run, so a load spike hits all alike;
- ``lint --jobs 2`` against ``--jobs 1`` on 100,000 fixtures (``--quick``: the
  CLI fixture count), the two alternating, each run bounded by a timeout.

Subprocesses run the source tree as an installed package runs: from bytecode
(:func:`ensure_bytecode`; a checkout run with ``PYTHONDONTWRITEBYTECODE`` would
otherwise compile every module on every start). The on-disk caches
(``_cache``/``_artifacts``) are warm after the untimed first run, as they are for
every start but the first after an install.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: fixtures for the ``--jobs`` row in a full run
JOBS_FIXTURES = 100_000
#: seconds one ``--jobs`` run may take before the row is given up (SKIP)
JOBS_TIMEOUT = 600


def ensure_bytecode(package: Path) -> None:
    """Compile ``package`` to ``__pycache__`` (what ``pip install`` does)."""
    compileall.compile_dir(str(package), quiet=1)


def interleaved(
    cmds: Sequence[Sequence[str]], runs: int, **kw: Any
) -> tuple[list[float], list[subprocess.CompletedProcess[str]]]:
    """Median wall time of each of ``cmds`` over ``runs`` rounds (one untimed warm-up
    round first), the commands alternating within each round."""
    last = [subprocess.run(list(c), capture_output=True, text=True, **kw) for c in cmds]
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            start = time.perf_counter()
            last[i] = subprocess.run(list(cmd), capture_output=True, text=True, **kw)
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times], last


def startup_rows(
    s: Any,
    env: dict[str, str],
    cwd: Path,
    example: str,
    fixture: Path,
    make_row: Callable[..., Any],
    skip: Callable[..., Any],
    tail: Callable[[str], str],
) -> list[Any]:
    """``import + check`` (≤ 3×) and ``lint one.json`` (≤ 5×), each vs ``python -c pass``."""
    py = sys.executable
    base = [py, "-c", "pass"]
    check = [py, "-c", f"import kombo_validate as k; k.check({example})"]
    lint = [py, "-m", "kombo_validate", "lint", str(fixture)]
    what_check = "cold: import + check(EXAMPLE) vs python -c pass"
    what_lint = "cold: kombo-validate lint one.json vs python -c pass"
    (t_base, t_check, t_lint), procs = interleaved([base, check, lint], s.runs, env=env, cwd=cwd)
    rows = []
    for what, t, proc, target in (
        (what_check, t_check, procs[1], 3.0),
        (what_lint, t_lint, procs[2], 5.0),
    ):
        if proc.returncode != 0:
            reason = f"exited {proc.returncode}: {tail(proc.stderr or proc.stdout)}"
            rows.append(skip("cold", what, reason, target=target))
            continue
        rows.append(
            make_row(
                "cold",
                what,
                ours=t,
                peer=t_base,
                peer_name="python -c pass",
                target=target,
                note=f"median of {s.runs} alternating runs; caches warm; from bytecode",
            ).settle()
        )
    return rows


def jobs_row(
    s: Any,
    env: dict[str, str],
    tmpdir: Path,
    write_fixtures: Callable[[Path, int], object],
    make_row: Callable[..., Any],
    skip: Callable[..., Any],
    usable_cores: int,
) -> Any:
    """``lint --jobs 2`` vs ``--jobs 1`` (files/s, ≥ 1.7×) on many fixtures."""
    n = JOBS_FIXTURES if s.fixtures >= 10_000 else s.fixtures
    what = f"lint {n:,} fixtures: --jobs 2 vs --jobs 1 (files/s)"
    folder = tmpdir / "jobs-fixtures"
    write_fixtures(folder, n)
    lint = [sys.executable, "-m", "kombo_validate", "lint", str(folder), "--quiet", "--jobs"]
    runs = 1 if s.fixtures < 10_000 else 2
    times: dict[str, list[float]] = {"1": [], "2": []}
    try:
        for _ in range(runs):
            for jobs in ("1", "2"):
                start = time.perf_counter()
                subprocess.run(
                    [*lint, jobs], capture_output=True, env=env, cwd=tmpdir, timeout=JOBS_TIMEOUT
                )
                times[jobs].append(time.perf_counter() - start)
    except subprocess.TimeoutExpired:
        return skip("cli", what, f"a run took over {JOBS_TIMEOUT} s", "files/s", target=1.7)
    t1, t2 = min(times["1"]), min(times["2"])
    return make_row(
        "cli",
        what,
        unit="files/s",
        ours=n / t2,
        peer=n / t1,
        peer_name="kombo-validate lint --jobs 1",
        target=1.7,
        higher_is_better=True,
        note=f"best of {runs} alternating runs: --jobs 2 {t2:.1f} s, --jobs 1 {t1:.1f} s; "
        f"{usable_cores} usable cores",
    ).settle()


#: a CPU-bound loop that allocates as the lint does (small dicts and strings)
_SPIN = (
    "import time\n"
    "end = time.process_time() + {seconds}\n"
    "n = 0\n"
    "while time.process_time() < end:\n"
    "    for i in range(2000):\n"
    "        d = {{'a': str(i), 'b': [i, i + 1]}}\n"
    "        n += len(d['a'])\n"
    "print(n)\n"
)


def ceiling_row(s: Any, env: dict[str, str], make_row: Callable[..., Any]) -> Any:
    """What two processes get done on this machine against one: two copies of a
    CPU-bound Python loop (fixed CPU time each) started together, vs one alone, as
    work per wall second. No ``--jobs 2`` can beat it; a VM's two vCPUs often give
    less than 2×."""
    seconds = 1.0 if s.fixtures >= 10_000 else 0.3
    cmd = [sys.executable, "-c", _SPIN.format(seconds=seconds)]
    ones, twos = [], []
    for _ in range(3 if s.fixtures >= 10_000 else 1):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        ones.append(time.perf_counter() - start)
        start = time.perf_counter()
        procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env) for _ in range(2)]
        for proc in procs:
            proc.wait()
        twos.append(time.perf_counter() - start)
    one, two = min(ones), min(twos)
    return make_row(
        "cli",
        "machine: 2 CPU-bound processes vs 1 (work/s; the --jobs 2 ceiling)",
        unit="work/s",
        ours=2 * seconds / two,
        peer=seconds / one,
        peer_name="one process",
        target=None,
        higher_is_better=True,
        note=f"{seconds:.1f} s of CPU each; best of {len(ones)}: one {one:.2f} s, two {two:.2f} s",
    ).settle()
