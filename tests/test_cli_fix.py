"""``lint --fix`` and ``lint --strict``: canonical wire form, written back with the least change."""

from __future__ import annotations

from pathlib import Path

import pytest

from kombo_validate.cli import main

JSON_FIXABLE = """{
    "candidate": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_address": "ada@EXAMPLE.com",
        "gender": "female",
        "location": {"country": "Germany", "zip_code": "01234"}
    }
}
"""

JSON_FIXED = """{
    "candidate": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email_address": "ada@example.com",
        "gender": "FEMALE",
        "location": {"country": "DE", "zip_code": "01234"}
    }
}
"""

JSON_NULL = '{\n\t"candidate": {\n\t\t"first_name": "Ada",\n\t\t"last_name": "L",\n\t\t"title": null,\n\t\t"email_address": "a@b.de"\n\t}\n}\n'
JSON_NULL_FIXED = '{\n\t"candidate": {\n\t\t"first_name": "Ada",\n\t\t"last_name": "L",\n\t\t"email_address": "a@b.de"\n\t}\n}\n'

YAML_FIXABLE = """\
# Keep this comment.
candidate:
  first_name: Ada   # and this one
  last_name: 'Lovelace'
  email_address: ada@Example.COM
  gender: female
  availability_date: 2021-01-01T10:00:00+02:00
  location:
    country: Germany
    zip_code: 10016
"""

YAML_FIXED = """\
# Keep this comment.
candidate:
  first_name: Ada   # and this one
  last_name: 'Lovelace'
  email_address: ada@example.com
  gender: FEMALE
  availability_date: "2021-01-01T08:00:00Z"
  location:
    country: DE
    zip_code: 10016
"""

YAML_STRUCTURAL = """\
candidate:
  first_name: Ada
  last_name: Lovelace
  email_address: ada@example.com
  title: null
  location:
    country: de
attachments:
  - name: cv.txt
    type: CV
    data: aGVsbG8=
"""

YAML_STRUCTURAL_FIXED = """\
candidate:
  first_name: Ada
  last_name: Lovelace
  email_address: ada@example.com
  location:
    country: DE
attachments:
  - name: cv.txt
    type: CV
    data: aGVsbG8=
    content_type: text/plain
"""

NDJSON = (
    '{"candidate": {"first_name": "A", "last_name": "B", "email_address": "a@b.de", '
    '"location": {"country": "deu"}}}\r\n'
    '{"candidate": {"first_name": "C", "last_name": "D", "email_address": "c@d.de"}}\n'
)

CANONICAL = '{"candidate":{"first_name":"A","last_name":"B","email_address":"a@b.de"}}'
INVALID = '{"candidate": {"first_name": "A", "gender": "female"}}\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    files = {
        "a.json": JSON_FIXABLE,
        "null.json": JSON_NULL,
        "b.yaml": YAML_FIXABLE,
        "c.yml": YAML_STRUCTURAL,
        "d.ndjson": NDJSON,
        "canonical.json": CANONICAL,
        "invalid.json": INVALID,
    }
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode())
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def test_strict_reports_non_canonical_fixtures(
    capsys: pytest.CaptureFixture[str], tree: Path
) -> None:
    before = snapshot(tree)
    code = main(["lint", str(tree / "a.json"), str(tree / "b.yaml"), "--strict"])
    out, err = capsys.readouterr()
    assert code == 1
    found = [line.split(" ")[:4] for line in out.splitlines()]
    assert found == [
        [f"{tree}/a.json:5:26:", "warning", "fixture.not_canonical", "/candidate/email_address"],
        [f"{tree}/a.json:6:19:", "warning", "fixture.not_canonical", "/candidate/gender"],
        [f"{tree}/a.json:7:33:", "warning", "fixture.not_canonical", "/candidate/location/country"],
        [f"{tree}/b.yaml:5:18:", "warning", "fixture.not_canonical", "/candidate/email_address"],
        [f"{tree}/b.yaml:6:11:", "warning", "fixture.not_canonical", "/candidate/gender"],
        [
            f"{tree}/b.yaml:7:22:",
            "warning",
            "fixture.not_canonical",
            "/candidate/availability_date",
        ],
        [f"{tree}/b.yaml:9:14:", "warning", "fixture.not_canonical", "/candidate/location/country"],
    ]
    assert "'Germany' → 'DE'" in out and "run --fix" in out
    assert err == "2 files checked: 0 errors, 7 warnings\n"
    assert snapshot(tree) == before  # --strict alone writes nothing
    assert main(["lint", str(tree / "a.json")]) == 0  # without --strict: fine


def test_fix_round_trip(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    before = snapshot(tree)
    code = main(["lint", str(tree), "--fix"])
    out, err = capsys.readouterr()
    assert code == 1  # invalid.json still has an error: it is reported, not fixed
    assert err == "7 files checked: 2 errors, 0 warnings; 5 files fixed\n"
    assert f"{tree}/a.json:7:33: fixed /candidate/location/country: 'Germany' → 'DE' (" in out
    after = snapshot(tree)
    # unchanged files are untouched, byte for byte
    assert after["canonical.json"] == before["canonical.json"]
    assert after["invalid.json"] == before["invalid.json"]
    # the others keep their format: only the changed values are rewritten where possible
    assert after["a.json"].decode() == JSON_FIXED
    assert after["b.yaml"].decode() == YAML_FIXED
    assert after["null.json"].decode() == JSON_NULL_FIXED
    assert after["c.yml"].decode() == YAML_STRUCTURAL_FIXED
    assert after["d.ndjson"].decode() == NDJSON.replace('"deu"', '"DE"')
    # and now they lint clean under --strict, and a second --fix changes nothing
    (tree / "invalid.json").unlink()
    assert main(["lint", str(tree), "--strict"]) == 0
    fixed = snapshot(tree)
    assert main(["lint", str(tree), "--fix"]) == 0
    assert snapshot(tree) == fixed
    assert capsys.readouterr().err.endswith("6 files checked: 0 errors, 0 warnings\n")


def test_fix_in_parallel(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    (tree / "invalid.json").unlink()
    assert main(["lint", str(tree), "--fix", "--jobs", "2", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tree / "a.json").read_text() == JSON_FIXED
    assert main(["lint", str(tree), "--strict"]) == 0


def test_fix_one_document_of_a_stream(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (
        "# first\ncandidate: {first_name: A, last_name: B, email_address: a@b.de}\n"
        "---\n# second\ncandidate: {first_name: C, last_name: D, email_address: c@d.de,"
        " gender: other}\n"
    )
    path = tmp_path / "stream.yaml"
    path.write_text(text)
    assert main(["lint", str(path), "--fix"]) == 0
    assert path.read_text() == text.replace("gender: other", "gender: OTHER")
    assert capsys.readouterr().out.startswith(f"{path}:5:73: fixed /candidate/gender:")
    assert text.splitlines()[4][72:] == "other}"


def test_fix_keeps_anchored_values_consistent(tmp_path: Path) -> None:
    text = (
        "candidate:\n  first_name: &name A\n  last_name: *name\n  email_address: a@b.de\n"
        "  location: &loc\n    country: germany\n"
    )
    path = tmp_path / "anchor.yaml"
    path.write_text(text)
    assert main(["lint", str(path), "--fix", "-q"]) == 0
    # the aliased value cannot be edited in place: the document is written anew
    assert main(["lint", str(path), "--strict", "-q"]) == 0
    assert path.read_text() == (
        "candidate:\n  first_name: A\n  last_name: A\n  email_address: a@b.de\n"
        "  location:\n    country: DE\n"
    )
