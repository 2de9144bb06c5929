"""JSON integers longer than CPython converts from text (4,300 digits) are numbers, out of
range, at their path — never a ValueError from the JSON reader (issue 15, hostile input)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kombo_validate.cli import main
from kombo_validate.jsontext import json_int, loads
from kombo_validate.responses import parse_json

HUGE = "9" * 5000


@pytest.mark.parametrize("text", ["0", "-12", "9" * 1000, "-" + "1" * 999])
def test_short_numerals_are_exact(text: str) -> None:
    assert json_int(text) == int(text)


@pytest.mark.parametrize("text", [HUGE, "-" + HUGE, "12345" + "0" * 9000])
def test_long_numerals_keep_sign_leading_digits_and_magnitude(text: str) -> None:
    value = json_int(text)
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        shown = str(value)
    finally:
        sys.set_int_max_str_digits(old)
    assert (len(shown), shown[:1000]) == (len(text), text[:1000])


def test_loads_reads_what_json_loads_refuses() -> None:
    with pytest.raises(ValueError, match="Exceeds the limit"):
        json.loads(f"[{HUGE}]")
    assert loads(f"[{HUGE}]")[0] > 10**4000


def test_a_huge_integer_in_a_fixture_is_out_of_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fixture = tmp_path / "big.json"
    fixture.write_text(
        '{"candidate": {"first_name": "A", "last_name": "B", "email_address": "a@example.com",'
        f' "location": {{"country": "DE", "zip_code": {HUGE}}}}}}}'
    )
    for command in ("check", "lint", "prepare"):
        code = main([command, "--format", "json", str(fixture)])
        captured = capsys.readouterr()
        assert code == 1, command
        found = json.loads(captured.out if command != "prepare" else captured.err)
        issues = found[0]["documents"][0]["issues"] if command == "check" else found
        assert [(i["path"], i["code"]) for i in issues] == [
            ("/candidate/location/zip_code", "number.out_of_range")
        ], command


def test_a_huge_integer_in_a_request_body_is_json() -> None:
    value, problem = parse_json(f'{{"n": {HUGE}}}'.encode())
    assert problem is None and value["n"] > 10**4000
