"""Payloads sent to the check API as JSON or YAML text (the playground's way): the report
with the line of each issue and change, YAML read safely (no tag executed, plain
scalars read as JSON reads them, alias bombs stopped), and the page itself at ``/``:
no external asset, a Content-Security-Policy that allows only its own inline code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from kombo_validate.service.textinput import MAX_ALIAS_NODES, parse_text

from .helpers import QUESTIONS
from .test_serve_support import Served, call, serving

SECRET_VALUE = "zz-text-payload-value-91"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving("--no-upstream") as served:
        yield served


def post(served: Served, path: str, payload: Any) -> tuple[int, dict[str, Any]]:
    status, _, out = call(
        served.base + path,
        json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    return status, json.loads(out)


YAML_TEXT = """\
# a comment line
candidate:
  first_name: Ada
  last_name: Lovelace
  email_address: nope
  location:
    country: Germany
"""


def test_yaml_text_is_checked_with_the_line_of_each_issue_and_change(served: Served) -> None:
    status, report = post(served, "/v1/check", {"text": YAML_TEXT})
    assert status == 200
    assert (report["ok"], report["format"], report["body"]) == (False, "yaml", None)
    assert [(i["path"], i["code"]) for i in report["issues"]] == [
        ("/candidate/email_address", "email.invalid")
    ]
    assert [c["path"] for c in report["changes"]] == ["/candidate/location/country"]
    assert report["lines"] == {"/candidate/email_address": 5, "/candidate/location/country": 7}


def test_json_text_locates_a_missing_member_at_its_parent(served: Served) -> None:
    text = '{\n  "candidate": {\n    "first_name": "Ada",\n    "last_name": "L"\n  }\n}\n'
    status, report = post(served, "/v1/check", {"text": text, "format": "json"})
    assert status == 200
    assert [(i["path"], i["code"]) for i in report["issues"]] == [
        ("/candidate/email_address", "schema.required")
    ]
    assert (report["format"], report["lines"]) == ("json", {"/candidate/email_address": 2})


def test_prepare_with_text_is_422_on_errors_and_the_wire_body_when_valid(
    served: Served,
) -> None:
    status, report = post(served, "/v1/prepare", {"text": YAML_TEXT})
    assert (status, report["ok"]) == (422, False)
    fixed = YAML_TEXT.replace("nope", "ada@example.com")
    status, report = post(served, "/v1/prepare", {"text": fixed, "format": "yaml"})
    assert status == 200
    assert report["body"]["candidate"]["location"] == {"country": "DE"}
    assert report["lines"] == {"/candidate/location/country": 7}


def test_questions_as_text_are_applied(served: Served) -> None:
    body = "candidate:\n  first_name: Ada\n  last_name: L\n  email_address: a@example.com\n"
    status, report = post(
        served, "/v1/check", {"text": body, "questions_text": yaml.safe_dump(QUESTIONS)}
    )
    assert status == 200
    assert [(i["path"], i["code"]) for i in report["issues"]] == [
        ("/screening_question_answers", "answer.required")
    ]
    assert report["lines"] == {"/screening_question_answers": 1}  # absent: the root's line


def test_unreadable_text_is_one_issue_at_its_line(served: Served) -> None:
    status, report = post(served, "/v1/check", {"text": '{"candidate": {"first_name": }}'})
    assert status == 200
    [issue] = report["issues"]
    assert (issue["path"], issue["code"], report["lines"]) == ("", "file.parse_error", {"": 1})
    assert issue["message"].startswith("not JSON: Expecting value")
    status, report = post(served, "/v1/check", {"text": "  \n"})
    assert [(i["path"], i["code"]) for i in report["issues"]] == [("", "file.empty")]


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        ({"body": {}, "text": "{}"}, "REQUEST.SHAPE", 'give "body" or "text", not both'),
        ({"text": 7}, "REQUEST.SHAPE", '"text" must be a string (JSON or YAML text)'),
        ({"text": "{}", "format": "toml"}, "REQUEST.SHAPE", '"format" must be one of auto, json'),
        ({"body": {}, "format": "yaml"}, "REQUEST.SHAPE", '"format" goes with "text"'),
        (
            {"text": "{}", "questions": [], "questions_text": "[]"},
            "REQUEST.SHAPE",
            'give "questions" or "questions_text", not both',
        ),
        (
            {"text": "{}", "questions_text": "- [x"},
            "CONTEXT.INVALID",
            "the questions, line 2: not YAML: ",
        ),
    ],
)
def test_text_requests_that_cannot_be_checked_are_400(
    served: Served, payload: Any, code: str, message: str
) -> None:
    status, answer = post(served, "/v1/check", payload)
    assert status == 400
    assert answer["error"]["code"] == code
    assert answer["error"]["message"].startswith(message)


def test_the_page_has_no_external_asset_and_a_strict_policy(served: Served) -> None:
    status, headers, out = call(served.base + "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    html = out.decode()
    assert re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html) == ["data:,"]
    assert "@import" not in html and "url(" not in html
    policy = dict(part.split(" ", 1) for part in headers["content-security-policy"].split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", policy["script-src"])
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", policy["style-src"])
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_text_payloads_are_never_logged(served: Served) -> None:
    text = f"candidate:\n  first_name: {SECRET_VALUE}\n  email_address: {SECRET_VALUE}\n"
    status, report = post(served, "/v1/check", {"text": text})
    assert status == 200 and not report["ok"]
    assert SECRET_VALUE not in served.output()


# ------------------------------------------------------------------ the YAML reader itself


def test_yaml_plain_scalars_are_read_as_json_reads_them() -> None:
    text = "a: 01234\nb: NO\nc: 2021-01-01\nd: 1.5\ne: true\nf: ~\ng: '7'\nh: .inf\ni: 12\n"
    parsed = parse_text(text)
    assert parsed.problem is None
    assert parsed.value == {
        "a": "01234",
        "b": "NO",
        "c": "2021-01-01",
        "d": 1.5,
        "e": True,
        "f": None,
        "g": "7",
        "h": ".inf",
        "i": 12,
    }


def test_yaml_members_are_on_their_keys_line_and_merges_apply() -> None:
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\nlist:\n  - k: v\n"
    parsed = parse_text(text, "yaml")
    assert parsed.value == {
        "base": {"x": 1, "y": 2},
        "item": {"y": 3, "x": 1},
        "list": [{"k": "v"}],
    }
    assert [parsed.line_of(p) for p in ("/item", "/item/y", "/item/x", "/list/0/k")] == [
        2,
        4,
        2,  # merged in: its mapping's line
        6,
    ]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("a: !!python/object/apply:os.system [id]\n", "yaml.unsafe_tag", 1),
        ("a: 1\nb: !!binary aGk=\n", "yaml.unsupported_tag", 2),
        ("a: !!int x1\n", "yaml.bad_scalar", 1),
        ("a: 1\nb: *nowhere\n", "file.parse_error", 2),
        ("? [a]\n: 1\n", "yaml.complex_key", 1),
        ("a: 1\nb:\n  <<: [1]\n", "yaml.bad_merge", 3),
        ("--- 1\n--- 2\n", "file.parse_error", 2),
    ],
)
def test_yaml_that_is_unsafe_or_not_json_is_one_issue(text: str, code: str, line: int) -> None:
    parsed = parse_text(text)
    assert parsed.problem is not None
    assert (parsed.value, parsed.problem.path, parsed.problem.code) == (None, "", code)
    assert parsed.line_of("/a") == line


def test_a_yaml_alias_bomb_is_stopped() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 7):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    parsed = parse_text("\n".join(levels))
    assert parsed.problem is not None
    assert parsed.problem.code == "yaml.alias_bomb"
    assert str(MAX_ALIAS_NODES) in parsed.problem.message
