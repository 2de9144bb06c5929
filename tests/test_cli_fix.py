"""``lint --fix`` and ``lint --strict``: canonical wire form, written back with the least change."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kombo_validate.cli import fix as fix_module
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
    # the value under the anchor is used once: edited in place, anchors and aliases kept
    assert path.read_text() == text.replace("germany", "DE")
    assert main(["lint", str(path), "--strict", "-q"]) == 0


# -- the fixed file replaces the original atomically -----------------------------------

#: > 4 KiB, so that writing it anew fails under a 4 KiB file size limit
BIG_DATA = base64.b64encode(b"x" * 6000).decode()

JSON_BIG = (
    '{\n  "candidate": {\n    "first_name": "Ada",\n    "last_name": "Lovelace",\n'
    '    "email_address": "ada@example.com",\n    "location": {"country": "Germany"}\n  },\n'
    '  "attachments": [\n    {"name": "cv.txt", "type": "CV", "content_type": "text/plain",'
    f' "data": "{BIG_DATA}"}}\n  ]\n}}\n'
)

YAML_BIG = (
    "# a big fixture\ncandidate:\n  first_name: Ada\n  last_name: Lovelace\n"
    "  email_address: ada@example.com\n  location:\n    country: Germany\n"
    "attachments:\n  - name: cv.txt\n    type: CV\n    content_type: text/plain\n"
    f"    data: {BIG_DATA}\n"
)


def _limit_file_size() -> None:  # runs in the child, before exec
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file size limits")
@pytest.mark.parametrize(("name", "text"), [("big.json", JSON_BIG), ("big.yaml", YAML_BIG)])
def test_fix_under_a_file_size_limit_keeps_the_original(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode())
    assert path.stat().st_size > 4096
    done = subprocess.run(
        [sys.executable, "-m", "kombo_validate", "lint", "--fix", str(path)],
        preexec_fn=_limit_file_size,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert path.read_bytes() == text.encode()  # not cut at 4,096 bytes
    assert os.listdir(tmp_path) == [name]  # no temporary file left
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == (
        f"{path}:1:1: error fix.failed (root) not fixed: could not write the fixed file"
        " (File too large); it is unchanged\n"
    )  # the message quotes no payload data
    # without the limit the same fix goes through
    assert main(["lint", "--fix", "-q", str(path)]) == 0
    assert path.read_bytes() == text.replace("Germany", "DE").encode()


@pytest.mark.skipif(os.name != "posix", reason="POSIX mode bits")
def test_fix_keeps_the_mode_bits(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(JSON_FIXABLE)
    path.chmod(0o640)
    assert main(["lint", "--fix", "-q", str(path)]) == 0
    assert path.read_text() == JSON_FIXED
    assert path.stat().st_mode & 0o7777 == 0o640
    assert os.listdir(tmp_path) == ["a.json"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_fix_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    real_dir, link_dir = tmp_path / "real", tmp_path / "links"
    real_dir.mkdir()
    link_dir.mkdir()
    target = real_dir / "a.json"
    target.write_text(JSON_FIXABLE)
    link = link_dir / "a.json"
    link.symlink_to(target)
    assert main(["lint", "--fix", "-q", str(link)]) == 0
    # the link stays a link to the same file, whose text is fixed
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == JSON_FIXED
    assert os.listdir(real_dir) == ["a.json"] and os.listdir(link_dir) == ["a.json"]


def test_fix_failing_replace_leaves_the_original(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    path.write_text(JSON_FIXABLE)

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["lint", "--fix", str(path)]) == 1
    out = capsys.readouterr().out
    assert out == (
        f"{path}:1:1: error fix.failed (root) not fixed: could not write the fixed file"
        " (No space left on device); it is unchanged\n"
    )
    assert path.read_text() == JSON_FIXABLE
    assert os.listdir(tmp_path) == ["a.json"]


def test_fix_refuses_a_file_changed_since_it_was_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    path.write_text(JSON_FIXABLE)
    meanwhile = JSON_FIXABLE.replace("Ada", "Grace")
    fixed_text = fix_module.fixed_text

    def another_process_writes(*args: object) -> str:
        path.write_text(meanwhile)  # between reading and writing
        return fixed_text(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(fix_module, "fixed_text", another_process_writes)
    assert main(["lint", "--fix", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "error fix.failed (root) not fixed: the file changed on disk while it was being checked"
        in out
    )
    assert path.read_text() == meanwhile
    assert os.listdir(tmp_path) == ["a.json"]


# -- YAML anchors, aliases, merges and comments ----------------------------------------

YAML_MERGED = """\
candidate:
  first_name: Ada
  last_name: Lovelace
  email_address: ada@example.com
attachments:
  - &cv  # the CV; the cover letter shares its content type
    name: cv.txt
    type: cv
    content_type: Text/Plain
    data: aGVsbG8=
  - <<: *cv
    name: cover.txt
    type: COVER_LETTER
"""


def test_fix_edits_a_shared_value_where_it_is_defined(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(YAML_MERGED)
    assert main(["lint", "--fix", str(path)]) == 0
    # every use of the anchored content type wants "text/plain": edited once, at the anchor
    assert path.read_text() == YAML_MERGED.replace("type: cv", "type: CV").replace(
        "Text/Plain", "text/plain"
    )
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[:3] for line in out] == [
        [f"{path}:8:11:", "fixed", "/attachments/0/type:"],
        [f"{path}:9:19:", "fixed", "/attachments/0/content_type:"],
        [f"{path}:9:19:", "fixed", "/attachments/1/content_type:"],
    ]
    assert main(["lint", "--strict", "-q", str(path)]) == 0


def test_fix_keeps_an_anchor_and_a_tag_on_the_fixed_value(tmp_path: Path) -> None:
    text = (
        "candidate:\n  first_name: Ada\n  last_name: Lovelace\n  email_address: a@b.de\n"
        "  location: {country: &home !!str Germany}\n"
    )
    path = tmp_path / "tagged.yaml"
    path.write_text(text)
    assert main(["lint", "--fix", "-q", str(path)]) == 0
    assert path.read_text() == text.replace("Germany", "DE")


def test_fix_refuses_a_shared_value_that_another_use_keeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (
        "candidate:\n  first_name: &c Germany\n  last_name: Lovelace\n"
        "  email_address: ADA@EXAMPLE.COM\n  location:\n    country: *c\n"
    )
    path = tmp_path / "alias.yaml"
    path.write_text(text)
    assert main(["lint", "--fix", str(path)]) == 1
    out = capsys.readouterr().out
    assert out == (
        f"{path}:6:14: error fix.refused /candidate/location/country not fixed (nothing was"
        " written): the value is shared through an anchor, alias or merge (defined at line 2)"
        " with /candidate/first_name, which must stay as it is; fix it by hand\n"
    )
    assert path.read_text() == text  # the email address is not fixed either: all or nothing


def test_fix_refuses_to_rewrite_a_document_with_comments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (
        "# who applies\ncandidate:\n  first_name: Ada\n  last_name: Lovelace\n"
        "  title: null\n  email_address: ada@example.com\n"
    )
    path = tmp_path / "commented.yaml"
    path.write_text(text)
    assert main(["lint", "--fix", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:5:10: error fix.refused /candidate/title not fixed (nothing was written):"
        " a key must be added or removed here, so the document would be written anew and the"
        " file's comments would be lost; make this change by hand (lint --strict lists it)\n"
    )
    assert path.read_text() == text
    # the same file with anchors and no comments: refused too
    anchored = text.replace("# who applies\n", "").replace("first_name: Ada", "first_name: &a Ada")
    path.write_text(anchored)
    assert main(["lint", "--fix", "-q", str(path)]) == 1
    assert "file's anchors, aliases or merge keys would be lost" in capsys.readouterr().out
    assert path.read_text() == anchored
    # a '#' inside a quoted value is no comment: the document is written anew
    quoted = text.replace("# who applies\n", "").replace("first_name: Ada", 'first_name: "A #1"')
    path.write_text(quoted)
    assert main(["lint", "--fix", "-q", str(path)]) == 0
    assert path.read_text() == quoted.replace("  title: null\n", "").replace('"A #1"', "'A #1'")


# -- notes in line order --------------------------------------------------------------


def test_fix_notes_come_in_line_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (
        "{\n"
        '  "candidate": {\n'
        '    "availability_date": "2021-01-01T10:00:00+02:00",\n'
        '    "location": {"country": "Germany"},\n'
        '    "gender": "female",\n'
        '    "email_address": "ada@EXAMPLE.com",\n'
        '    "first_name": "Ada",\n'
        '    "last_name": "Lovelace"\n'
        "  }\n"
        "}\n"
    )
    path = tmp_path / "order.json"
    path.write_text(text)
    assert main(["lint", "--fix", str(path)]) == 0
    # the spec's walk reports the email first, then country, gender, date
    assert [line.split(" ")[:3] for line in capsys.readouterr().out.splitlines()] == [
        [f"{path}:3:26:", "fixed", "/candidate/availability_date:"],
        [f"{path}:4:29:", "fixed", "/candidate/location/country:"],
        [f"{path}:5:15:", "fixed", "/candidate/gender:"],
        [f"{path}:6:22:", "fixed", "/candidate/email_address:"],
    ]


def test_without_fix_or_strict_the_changes_are_not_even_located(
    capsys: pytest.CaptureFixture[str], tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombo_validate.cli.loaders import JsonDocument

    located: list[str] = []
    locate = JsonDocument.locate

    def counting(self: JsonDocument, pointer: str, key: bool = False) -> tuple[int, int]:
        located.append(pointer)
        return locate(self, pointer, key)

    monkeypatch.setattr(JsonDocument, "locate", counting)
    assert main(["lint", str(tree / "a.json"), str(tree / "canonical.json")]) == 0
    assert located == []  # three changes in a.json, none said: no position worked out
    assert capsys.readouterr() == ("", "2 files checked: 0 errors, 0 warnings\n")
    assert main(["lint", str(tree / "a.json"), "--strict"]) == 1
    assert sorted(located) == [  # (the changes come in the spec's order)
        "/candidate/email_address",
        "/candidate/gender",
        "/candidate/location/country",
    ]
    located.clear()
    capsys.readouterr()
    messy = tree / "messy.json"
    messy.write_text(
        '{\n  "candidate": {\n    "gender": "female",\n    "email_address": "nope",\n'
        '    "first_name": 7\n  }\n}\n'
    )
    assert main(["lint", "--format", "json", str(messy)]) == 1
    found = [
        (f["line"], f["column"], f["path"], f["code"]) for f in json.loads(capsys.readouterr().out)
    ]
    assert found == [  # in the file's order; gender's change to FEMALE unsaid, not located
        (2, 16, "/candidate/last_name", "schema.required"),
        (4, 22, "/candidate/email_address", "email.invalid"),
        (5, 19, "/candidate/first_name", "schema.type"),
    ]
    assert sorted(located) == [p for _, _, p, _ in sorted(found, key=lambda f: f[2])]
