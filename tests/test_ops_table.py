"""``scripts/ops_table.py``: the README's operations × rules table is the script's output."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import ops_table  # noqa: E402

FULL = ROOT.parent / "shared" / "seed" / "kombo-openapi.json"
MULTI = ROOT / "tests" / "data" / "multi-operation.openapi.yaml"


def test_the_readme_table_is_the_scripts_output_for_kombos_document() -> None:
    if not FULL.is_file():
        pytest.skip("the full Kombo spec is absent")
    block = ops_table.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "README.md has no generated operations table"
    assert block == ops_table.render(FULL), "regenerate: python scripts/ops_table.py SPEC --write"


def test_each_rule_is_counted_where_it_attaches() -> None:
    header, rows, notes = ops_table.rows(MULTI)
    assert header[:2] == ["operation", "date"] and header[-2:] == ["answers / job", "uploads"]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(table) == [
        "`PostAtsJobsJobIdApplications`",
        "`PostAtsCandidates`",
        "`PatchHrisEmployeesEmployeeId`",
        "`PostHrisAbsences`",
    ]
    application = table["`PostAtsJobsJobIdApplications`"]
    assert (application["attachment"], application["content type"], application["date"]) == (
        "1",
        "1",
        "·",
    )
    assert application["answers / job"] == "`screening_question_answers` (job in path)"
    assert table["`PostAtsCandidates`"]["answers / job"] == (
        "`screening_question_answers` (job in body)"
    )
    absences = table["`PostHrisAbsences`"]
    assert (absences["plain date"], absences["date"], absences["enum"]) == ("1", "·", "1")
    assert table["`PatchHrisEmployeesEmployeeId`"]["date"] == "1"
    assert notes == ["`PostHrisAbsences` (`/start_date`)"]


def test_a_rule_the_table_does_not_know_gets_its_own_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kombo_validate.rules import RULES, Rule

    extra = Rule("brand-new", "string", lambda s, w: w.name == "employee_id", lambda s, w: id)
    monkeypatch.setattr(ops_table, "RULES", (*RULES, extra))
    header, rows, _ = ops_table.rows(MULTI)
    assert header[-3:] == ["brand-new", "answers / job", "uploads"]
    absences = next(row for row in rows if row[0] == "`PostHrisAbsences`")
    assert absences[header.index("brand-new")] == "1"


def test_every_operation_is_a_loaded_row_the_recursive_one_included() -> None:
    if not FULL.is_file():
        pytest.skip("the full Kombo spec is absent")
    _, rows, _ = ops_table.rows(FULL)
    [form] = [row for row in rows if "PostHrisEmployeesForm" in row[0]]
    assert form[0] == "`PostHrisEmployeesForm`"  # a $ref cycle loads (no "not loaded: ...")
    assert len(rows) == 55 and not [row for row in rows if "not loaded" in row[0]]
