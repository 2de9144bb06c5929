"""``scripts/bench.py`` runs and prints its table; its bodies are what they claim to be.

No timing is asserted here, ever: timings are a benchmark, not a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import bench_bodies as bodies  # noqa: E402

CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "email_address",
    "additional_email_addresses",
    "company",
    "title",
    "phone_number",
    "additional_phone_numbers",
    "location",
    "gender",
    "availability_date",
    "salary_expectations",
    "social_links",
)


def _schema_errors(instance: Any) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(bodies.request_schema())
    return [e.message for e in validator.iter_errors(instance)]


def test_example_is_the_spec_example_and_valid() -> None:
    spec = bodies.load_spec()
    content = spec["paths"][bodies.OPERATION_PATH]["post"]["requestBody"]["content"]
    assert bodies.example() == content["application/json"]["examples"]["example1"]["value"]
    assert _schema_errors(bodies.example()) == []


def test_request_schema_has_no_refs_left() -> None:
    schema = bodies.request_schema()
    assert schema["$schema"] == bodies.DIALECT
    assert "$ref" not in json.dumps(schema)
    assert schema["required"] == ["candidate"]


def test_large_body_shape() -> None:
    body = bodies.large_body()
    questions = bodies.large_questions()
    assert len(body["attachments"]) == 5
    assert len(body["screening_question_answers"]) == 30
    assert len(questions) == 30
    schema_props = bodies.request_schema()["properties"]["candidate"]["properties"]
    assert set(CANDIDATE_FIELDS) == set(schema_props)
    assert set(body["candidate"]) == set(CANDIDATE_FIELDS)
    answered = [a["question_id"] for a in body["screening_question_answers"]]
    assert answered == [q["id"] for q in questions]
    ids = {q["id"] for q in questions}
    for q in questions:
        assert len(q["id"]) == 24
        if q["precondition_question_id"] is not None:
            assert q["precondition_question_id"] in ids
    types = {q["format"]["type"] for q in questions}
    assert {"TEXT", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "NUMBER", "DATE", "FILE"} <= types
    assert _schema_errors(body) == []


def test_questions_fit_the_full_spec_when_present() -> None:
    full = ROOT.parent / "shared" / "seed" / "kombo-openapi.json"
    if not full.exists():
        pytest.skip("full Kombo spec not present")
    jsonschema = pytest.importorskip("jsonschema")
    schemas = json.loads(full.read_text(encoding="utf-8"))["components"]["schemas"]
    results = schemas["GetAtsJobsPositiveResponse"]["properties"]["data"]["properties"]["results"]
    question_schema = results["items"]["properties"]["screening_questions"]
    errors = jsonschema.Draft202012Validator(question_schema).iter_errors(bodies.large_questions())
    # The spec's category enum omits null although its type admits it (and its own
    # example sends category: null), so only that quirk may show up here.
    assert [e.message for e in errors if list(e.path)[-1:] != ["category"]] == []


def test_attachment_and_invalid_bodies() -> None:
    body = bodies.attachment_body()
    data = body["attachments"][-1]["data"]
    assert len(data) == 4 * -(-bodies.ATTACHMENT_BYTES // 3)
    assert data is bodies.attachment_data()  # the same string: no copy per call
    assert _schema_errors(body) == []
    bad = bodies.invalid_body()
    assert bad["candidate"]["location"]["country"] == "XX"
    assert {"data", "data_url"} <= set(bad["attachments"][0])
    assert _schema_errors(bad) == []  # the 3 defects are beyond JSON Schema
    assert len(_schema_errors(bodies.schema_invalid_body())) == 3


def test_bodies_are_fresh_copies() -> None:
    first = bodies.large_body()
    first["candidate"]["first_name"] = "changed"
    bodies.large_questions()[0]["title"] = "changed"
    ex = bodies.example()
    ex["candidate"]["first_name"] = "changed"
    assert bodies.large_body()["candidate"]["first_name"] == "Jane"
    assert bodies.large_questions()[0]["title"] != "changed"
    assert bodies.example()["candidate"]["first_name"] == "Frank"


def test_write_fixtures(tmp_path: Path) -> None:
    paths = bodies.write_fixtures(tmp_path, 3)
    loaded = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    assert len({json.dumps(x) for x in loaded}) == 3
    assert all(_schema_errors(x) == [] for x in loaded)


def test_bench_quick_runs_and_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = proc.stdout
    assert text.startswith("machine:")
    header = next(line for line in text.splitlines() if line.startswith("#"))
    for column in ("what", "ours", "peer", "ratio", "target", "result"):
        assert column in header
    for label in (
        "check() example vs SDK",
        "check() example vs jsonschema iter_errors",
        "jsonschema-rs is_valid (floor)",
        "check() large+30q vs SDK",
        "30 questions vs none",
        "a2b_base64",
        "invalid (3 defects) vs valid example",
        "cold start",
        "peak memory",
        "--jobs 2 vs --jobs 1",
        "2 CPU-bound processes vs 1",
    ):
        assert label in text, label
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert rows
    # the Dask row counts records, not files (run, or skipped without the dask extra)
    assert [r["unit"] for r in rows if r["group"] == "batch"] == ["records/s"]
    assert "NDJSON records, Dask cluster (records/s)" in text
    for row in rows:
        assert row["status"] in {"PASS", "FAIL", "info", "SKIP"}
        assert {"what", "ours", "peer", "ratio", "target"} <= set(row)
