"""``kombo_validate.codes.CODES`` and README's "Issue codes" tables say the same, and
every code the package spells out is in them (so neither can drift)."""

from __future__ import annotations

import re
from pathlib import Path

from kombo_validate.codes import CODES, SCHEMA_FAMILY, CodeInfo, describe, plain

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kombo_validate"

#: a README row: | `code` | severity | meaning |
ROW = re.compile(r"^\| `([^`]+)` \| (error|warning) \| (.+) \|$")
#: a string literal shaped like an issue code
LITERAL = re.compile(r"\"([a-z_]+\.[a-z_]+)\"")
#: literals of that shape that are not issue codes: file names in the test-data
#: strategies, a place named in a context error
NOT_CODES = frozenset({"cv.pdf", "extra.pdf", "job.screening_questions", "pyproject.toml"})


def readme_rows() -> list[tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Issue codes\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| `"):
            match = ROW.match(line)
            assert match, f"not a code row: {line!r}"
            rows.append((match[1], match[2], match[3]))
    return rows


def test_readme_table_is_codes() -> None:
    rows = readme_rows()
    assert rows == [(code, info.severity, info.description) for code, info in CODES.items()]
    assert len(rows) == len({code for code, _, _ in rows})  # no code twice


def test_every_code_literal_in_the_package_has_a_row() -> None:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for literal in LITERAL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(literal, set()).add(path.relative_to(ROOT).as_posix())
    assert found.keys() >= NOT_CODES  # the exceptions are still there to be excepted
    missing = {
        code: sorted(where)
        for code, where in found.items()
        if code not in NOT_CODES and describe(code) is None
    }
    assert missing == {}
    # codes made from a keyword (schema.max_length) are the family's; the others have rows
    family = {code for code in found if code not in CODES and code not in NOT_CODES}
    assert family == {"schema.max_length", "schema.one_of"}  # defects of a oneOf: the family's
    # and the CLI's own codes, named where the loaders and lint make them, are all there
    cli = {code for code, where in found.items() if any("/cli/" in w for w in where)}
    assert (
        {
            "file.unreadable",
            "file.unsupported_type",
            "file.encoding",
            "file.parse_error",
            "file.empty",
            "file.too_deep",
            "file.not_found",
            "file.no_fixtures",
            "file.duplicate_key",
            "yaml.unsafe_tag",
            "yaml.alias_bomb",
            "fix.failed",
            "fixture.not_canonical",
            "internal.error",
        }
        <= cli - NOT_CODES
        <= CODES.keys()
    )


def test_describe_the_schema_family_and_nothing_else() -> None:
    assert describe("country.unknown") == CodeInfo("error", "not an ISO 3166-1 country")
    assert describe("schema.type") is CODES["schema.type"]
    assert describe("schema.max_length") == CodeInfo(
        "error", "the value breaks the spec's JSON Schema keyword `max_length`"
    )
    assert describe("schema.") is None
    assert describe("nope.nothing") is None
    assert CODES[SCHEMA_FAMILY].severity == "error"


def test_severities_and_plain_text() -> None:
    warnings = {code for code, info in CODES.items() if info.severity == "warning"}
    assert warnings == {
        "attachment.generic_content_type",
        "attachments.too_large",
        "key.unknown",
        "answer.not_expected",
        "answer.unchecked",
        "answer.unknown_question",
        "answer.precondition_unmet",
        "answer.empty",
        "answer.file_size_unchecked",
        "attachment.size_unchecked",
        "file.duplicate_key",
        "file.no_fixtures",
        "fixture.not_canonical",
    }
    assert plain(CODES["number.not_finite"].description) == "NaN or an infinity"
