"""``scripts/bench_ops.py``: the other operations' hot rows, built or skipped with a reason.

No timing is asserted here: timings are a benchmark, not a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402
import bench_ops  # noqa: E402

import kombo_validate  # noqa: E402

WHATS = [
    "check() Create candidate example vs SDK validate+dump_json",
    "check() Create absence (HRIS) example vs SDK validate+dump_json",
    "check() Create candidate example vs Create application example",
]


def test_without_the_full_spec_each_row_is_a_skip_that_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KOMBO_OPENAPI", str(tmp_path / "absent.json"))
    rows = bench_ops.operation_rows(bench.Settings.for_mode(True), kombo_validate, "", bench)
    assert [(r.what, r.status) for r in rows] == [(what, "SKIP") for what in WHATS]
    assert all("the full Kombo spec is absent" in r.note for r in rows)
    assert [r.target for r in rows] == [1 / 3, 1 / 3, 1.2]


def test_with_the_full_spec_the_rows_measure_valid_examples(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not bench_ops.full_spec().is_file():
        pytest.skip("the full Kombo spec is absent")
    pytest.importorskip("kombo.models")
    quick = bench.Settings(repeats=1, min_time=0.0, runs=1, fixtures=1, cli_runs=1)
    rows = bench_ops.operation_rows(quick, kombo_validate, "", bench)
    assert [r.what for r in rows] == WHATS
    for row in rows:
        assert row.status in {"PASS", "FAIL"}, row.note
        assert row.note.startswith("ok=True errors=0 warnings=0"), row.note
    assert [r.note.endswith("peer: SDK accepts") for r in rows] == [True, True, False]
