"""The domain rules the schema cannot express: each with valid and invalid cases."""

from __future__ import annotations

import base64
import math
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate import Validator
from kombo_validate.rules.attachment import _SLICE

from .helpers import minimal, pairs, with_attachment

# --- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["2021-01-01", "2024-02-29", "2021-01-01T00:00:00", "2021-01-01T23:59:59.123Z"],
)
def test_valid_dates(validator: Validator, value: str) -> None:
    report = validator.check(minimal(availability_date=value))
    assert report.ok, report.issues
    assert report.body is not None
    assert report.body["candidate"]["availability_date"] == value


def test_a_date_with_a_zone_and_no_time_is_written_as_the_plain_date(validator: Validator) -> None:
    # the spec's pattern admits YYYY-MM-DDZ; no ISO 8601 parser (nor the official SDK) reads it
    report = validator.check(minimal(availability_date="2021-12-31Z"))
    assert report.ok and report.body is not None
    assert report.body["candidate"]["availability_date"] == "2021-12-31"
    [change] = report.changes
    assert (change.path, change.before, change.after) == (
        "/candidate/availability_date",
        "2021-12-31Z",
        "2021-12-31",
    )
    assert "'Z' dropped" in change.reason
    # not a real date: an error, the value kept
    assert pairs(validator.check(minimal(availability_date="2021-02-30Z"))) == [
        ("/candidate/availability_date", "date.invalid")
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2021-02-30",
        "2023-02-29",
        "2021-13-01",
        "2021-00-10",
        "0000-01-01",
        "2021-01-01T25:00:00",
        "2021-01-01T10:60:00Z",
        "2021-01-01T10:00:61",
    ],
)
def test_impossible_dates(validator: Validator, value: str) -> None:
    assert pairs(validator.check(minimal(availability_date=value))) == [
        ("/candidate/availability_date", "date.invalid")
    ]


@pytest.mark.parametrize("value", ["20210101", "01.01.2021", "2021-1-1", "tomorrow", ""])
def test_date_form(validator: Validator, value: str) -> None:
    assert pairs(validator.check(minimal(availability_date=value))) == [
        ("/candidate/availability_date", "date.format")
    ]


def test_date_rule_attaches_to_every_date_field(validator: Validator) -> None:
    body = {**minimal(), "gdpr_consent": {"expires_at": "2021-02-30", "given": True}}
    assert pairs(validator.check(body)) == [("/gdpr_consent/expires_at", "date.invalid")]
    exp = {
        "Company_Name": "Acme",
        "Title": "Dev",
        "Start_Date": "2020-04-31",
    }
    body = {
        **minimal(),
        "remote_fields": {
            "workday": {
                "Candidate_Data": {
                    "Job_Application_Data": {"Resume_Data": {"Experience_Data": [exp]}}
                }
            }
        },
    }
    path = "/remote_fields/workday/Candidate_Data/Job_Application_Data/Resume_Data/Experience_Data/0/Start_Date"
    assert pairs(validator.check(body)) == [(path, "date.invalid")]


# --- countries -------------------------------------------------------------


@pytest.mark.parametrize("value", ["DE", "US", "NO", "GB"])
def test_real_country_codes(validator: Validator, value: str) -> None:
    report = validator.check(minimal(location={"country": value}))
    assert report.ok and report.changes == ()


@pytest.mark.parametrize("value", ["XX", "ZZ", "Narnia", "", "D E"])
def test_unknown_countries(validator: Validator, value: str) -> None:
    assert pairs(validator.check(minimal(location={"country": value}))) == [
        ("/candidate/location/country", "country.unknown")
    ]


# --- attachments -----------------------------------------------------------

B64 = base64.b64encode(b"%PDF-1.4 hello").decode()


def test_attachment_with_data(validator: Validator) -> None:
    report = validator.check(with_attachment(data=B64, content_type="application/pdf"))
    assert report.ok and report.issues == ()


def test_attachment_with_data_url(validator: Validator) -> None:
    report = validator.check(with_attachment(data_url="https://files.example.com/cv.pdf?sig=1"))
    assert report.ok and report.issues == ()


def test_data_and_data_url(validator: Validator) -> None:
    body = with_attachment(data=B64, content_type="application/pdf", data_url="https://x.example/a")
    assert pairs(validator.check(body)) == [("/attachments/0", "attachment.data_and_data_url")]


def test_neither_data_nor_data_url(validator: Validator) -> None:
    assert pairs(validator.check(with_attachment())) == [("/attachments/0", "attachment.no_data")]


@pytest.mark.parametrize(
    "data", ["SGVsbG8", "SGVsbG8=!", "SGVs bG8=", "SGVsbG8==", "=SGVsbG8", "SGVsbG8-"]
)
def test_invalid_base64(validator: Validator, data: str) -> None:
    body = with_attachment(data=data, content_type="text/plain")
    assert pairs(validator.check(body)) == [("/attachments/0/data", "attachment.base64_invalid")]


def test_content_type_required_with_data(validator: Validator) -> None:
    body = with_attachment(name="blob", data=B64)
    assert pairs(validator.check(body)) == [
        ("/attachments/0/content_type", "attachment.content_type_missing")
    ]


def test_content_type_optional_with_data_url(validator: Validator) -> None:
    body = with_attachment(name="blob", data_url="https://files.example.com/blob")
    assert validator.check(body).ok


@pytest.mark.parametrize(
    "url", ["not a url", "ftp://files.example.com/a.pdf", "https://", "/relative/a.pdf"]
)
def test_data_url_must_be_http(validator: Validator, url: str) -> None:
    assert pairs(validator.check(with_attachment(data_url=url))) == [
        ("/attachments/0/data_url", "attachment.data_url_invalid")
    ]


def test_octet_stream_is_a_warning(validator: Validator) -> None:
    report = validator.check(with_attachment(data=B64, content_type="application/octet-stream"))
    assert report.ok
    assert pairs(report) == [("/attachments/0/content_type", "attachment.generic_content_type")]
    assert report.issues[0].severity == "warning"


def test_total_size_warning(validator: Validator) -> None:
    big = base64.b64encode(bytes(4_000_000)).decode()
    body = minimal()
    body["attachments"] = [
        {"name": f"f{i}.pdf", "type": "OTHER", "data": big, "content_type": "application/pdf"}
        for i in range(3)
    ]
    report = validator.check(body)
    assert report.ok
    assert pairs(report) == [("/attachments", "attachments.too_large")]


def test_file_answers_get_the_attachment_rule(validator: Validator) -> None:
    answer = {
        "name": "a.pdf",
        "data": B64,
        "data_url": "https://x.example/a",
        "content_type": "application/pdf",
    }
    body = {**minimal(), "screening_question_answers": [{"question_id": "q", "answer": answer}]}
    assert pairs(validator.check(body)) == [
        ("/screening_question_answers/0/answer", "attachment.data_and_data_url")
    ]


# --- emails and URIs -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "ada@example",
        "ada example@example.com",
        "a@b@example.com",
        "@example.com",
        "ada@.com",
        "ada@example..com",
    ],
)
def test_invalid_emails(validator: Validator, value: str) -> None:
    assert pairs(validator.check(minimal(email_address=value))) == [
        ("/candidate/email_address", "email.invalid")
    ]


def test_additional_emails_get_the_rule(validator: Validator) -> None:
    body = minimal(additional_email_addresses=[{"type": "WORK", "email_address": "nope"}])
    assert pairs(validator.check(body)) == [
        ("/candidate/additional_email_addresses/0/email_address", "email.invalid")
    ]


@pytest.mark.parametrize(
    "url", ["not a url", "linkedin.com/in/ada", "https://", "http://exa mple.com"]
)
def test_invalid_social_links(validator: Validator, url: str) -> None:
    assert pairs(validator.check(minimal(social_links=[{"url": url}]))) == [
        ("/candidate/social_links/0/url", "uri.invalid")
    ]


def test_valid_social_link(validator: Validator) -> None:
    assert validator.check(minimal(social_links=[{"url": "https://www.linkedin.com/in/ada"}])).ok


# --- numbers ---------------------------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers(validator: Validator, value: float) -> None:
    body = minimal(salary_expectations={"period": "YEAR", "amount": value})
    assert pairs(validator.check(body)) == [
        ("/candidate/salary_expectations/amount", "number.not_finite")
    ]


def test_non_finite_in_passthrough_objects(validator: Validator) -> None:
    body = {**minimal(), "remote_fields": {"greenhouse": {"candidate": {"score": [1, math.nan]}}}}
    assert pairs(validator.check(body)) == [
        ("/remote_fields/greenhouse/candidate/score/1", "number.not_finite")
    ]


# --- unknown keys ----------------------------------------------------------


def test_unknown_key_warning_with_suggestion(validator: Validator) -> None:
    body = {**minimal(), "attachmnets": []}
    report = validator.check(body)
    assert report.ok
    assert pairs(report) == [("/attachmnets", "key.unknown")]
    assert "did you mean 'attachments'" in report.issues[0].message
    assert report.body is not None and report.body["attachmnets"] == []


def test_unknown_key_in_candidate(validator: Validator) -> None:
    report = validator.check(minimal(emial_address="x"))
    assert pairs(report) == [("/candidate/emial_address", "key.unknown")]


def test_passthrough_objects_take_any_key(validator: Validator) -> None:
    body = {**minimal(), "remote_fields": {"personio": {"application": {"anything": {"goes": 1}}}}}
    report = validator.check(body)
    assert report.ok and report.issues == ()


# --- anything that is not JSON data ----------------------------------------


class Thing:
    pass


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({1, 2}, "json.not_json"),
        (Thing(), "json.not_json"),
        (Decimal("1.5"), "json.not_json"),
        (b"bytes", "json.not_json"),
        (frozenset(), "json.not_json"),
        (range(3), "json.not_json"),
    ],
)
def test_non_json_values(validator: Validator, value: Any, code: str) -> None:
    body = {**minimal(), "remote_fields": {"lever": {"candidate": {"x": value}}}}
    assert pairs(validator.check(body)) == [("/remote_fields/lever/candidate/x", code)]


def test_non_json_in_a_typed_field(validator: Validator) -> None:
    assert pairs(validator.check(minimal(first_name={"A"}))) == [
        ("/candidate/first_name", "json.not_json")
    ]


def test_cycle(validator: Validator) -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    body = {**minimal(), "remote_fields": {"lever": {"candidate": loop}}}
    assert pairs(validator.check(body)) == [("/remote_fields/lever/candidate/self", "json.cycle")]


def test_list_cycle(validator: Validator) -> None:
    items: list[Any] = []
    items.append(items)
    body = minimal(social_links=items)
    assert pairs(validator.check(body)) == [("/candidate/social_links/0", "json.cycle")]


def test_shared_but_acyclic_values_are_fine(validator: Validator) -> None:
    shared = {"url": "https://example.com/a"}
    assert validator.check(minimal(social_links=[shared, shared])).ok


def test_five_thousand_deep(validator: Validator) -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    body = {**minimal(), "remote_fields": {"lever": {"candidate": deep}}}
    report = validator.check(body)
    assert [code for _, code in pairs(report)] == ["json.too_deep"]
    assert report.errors[0].path.startswith("/remote_fields/lever/candidate/a/a")


def test_non_string_key(validator: Validator) -> None:
    body = {**minimal(), "remote_fields": {"lever": {"candidate": {1: "x"}}}}
    assert pairs(validator.check(body)) == [
        ("/remote_fields/lever/candidate", "json.key_not_string")
    ]


@pytest.mark.parametrize(
    ("tail", "ok"),
    [
        ("", True),
        ("QQ==", True),
        ("QR==", True),
        ("QUI=", True),
        ("QQ=", False),
        ("Q===", False),
        ("QUJD!AAA", False),
        ("QQ==QUJD", False),
        ("QUJ-", False),
        ("QUJ_", False),
    ],
)
def test_base64_long_and_short_agree(tail: str, ok: bool) -> None:
    from kombo_validate.rules.attachment import is_base64

    long_prefix = "QUJD" * 2000  # over the length where jsonschema-rs checks first
    assert is_base64(tail) is (ok or tail == "")
    assert is_base64(long_prefix + tail) is ok
    sliced_prefix = "QUJD" * (3 * _SLICE // 4 + 1)  # checked in four slices
    assert is_base64(sliced_prefix + tail) is ok


_STRICT_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_FAST = Validator()


@given(
    st.text(alphabet="QUJDab09+/=-_ !é\t", max_size=16),
    # by the pattern (up to 256 characters), by is_base64 in one slice, in two
    st.sampled_from(["", "QUJD" * 3, "QUJD" * 75, "QUJD" * (_SLICE // 2)]),
)
def test_base64_verdicts_are_strict_rfc_4648(tail: str, prefix: str) -> None:
    data = prefix + tail
    report = _FAST.check(with_attachment(content_type="text/plain", data=data))
    found = [p for p in pairs(report) if p[1] == "attachment.base64_invalid"]
    valid = _STRICT_BASE64.fullmatch(data) is not None
    assert found == ([] if valid else [("/attachments/0/data", "attachment.base64_invalid")])


_TRICKY_BASE64 = ["", "QQ==", "QR==", "QUI=", "QUJD", "AB=C", "Q===", "QQ=", "QUJ-", "QUJ_"]


@pytest.mark.parametrize("data", [*_TRICKY_BASE64, "QUJD" * (_SLICE // 2) + "QQ=="])
def test_base64_verdicts_without_pybase64s_c_extension(
    monkeypatch: pytest.MonkeyPatch, data: str
) -> None:
    """pybase64 falls back to pure Python where it has no wheel: same verdicts."""
    from pybase64 import _fallback

    monkeypatch.setattr("kombo_validate.rules.attachment.b64decode", _fallback.b64decode)
    report = _FAST.check(with_attachment(content_type="text/plain", data=data))
    found = [p for p in pairs(report) if p[1] == "attachment.base64_invalid"]
    valid = _STRICT_BASE64.fullmatch(data) is not None
    assert found == ([] if valid else [("/attachments/0/data", "attachment.base64_invalid")])


@pytest.mark.parametrize("at", [0, _SLICE - 1, _SLICE, 2 * _SLICE + 5, 3 * _SLICE - 2])
@pytest.mark.parametrize("bad", ["!", "=", "-"])
def test_a_defect_in_any_slice_of_long_data_is_found(
    validator: Validator, at: int, bad: str
) -> None:
    data = "QUJD" * (3 * _SLICE // 4)  # 3 slices, under the fast path's size limit
    assert validator.check(with_attachment(content_type="text/plain", data=data)).ok
    broken = data[:at] + bad + data[at + 1 :]
    report = validator.check(with_attachment(content_type="text/plain", data=broken))
    assert pairs(report) == [("/attachments/0/data", "attachment.base64_invalid")]


@pytest.mark.parametrize("value", [10**400, -(10**5000)], ids=["1e400", "-1e5000"])
def test_integers_beyond_a_double(validator: Validator, value: int) -> None:
    body = minimal(salary_expectations={"period": "YEAR", "amount": value})
    body["remote_fields"] = {"lever": {"candidate": {"n": [value]}}}
    report = validator.check(body)
    assert pairs(report) == [
        ("/candidate/salary_expectations/amount", "number.out_of_range"),
        ("/remote_fields/lever/candidate/n/0", "number.out_of_range"),
    ]
    assert all(len(i.message) < 120 for i in report.issues)


def test_big_but_representable_integers_are_fine(validator: Validator) -> None:
    body = minimal(salary_expectations={"period": "YEAR", "amount": 2**70})
    assert validator.check(body).ok


def test_engine_failure_is_an_issue_not_a_traceback() -> None:
    v = Validator(fast_path=False)  # a body the fast path proves never asks the engine

    class Broken:
        name = "broken"

        def is_valid(self, instance: Any) -> bool:
            raise RuntimeError("boom")

    object.__setattr__(v, "_engine", Broken())
    assert pairs(v.check(minimal())) == [("", "schema.engine_error")]


@pytest.mark.parametrize("name", ["stage_id", "first_name"])
def test_containers_under_scalar_properties_are_walked(validator: Validator, name: str) -> None:
    # a dict under a string property must not reach the engine unwalked (the bulk path)
    loop: dict[str, Any] = {}
    loop["again"] = loop
    body = minimal()
    where = body if name == "stage_id" else body["candidate"]
    where[name] = {"inner": {1, 2}, "loop": loop}
    prefix = "/stage_id" if name == "stage_id" else "/candidate/first_name"
    assert pairs(validator.check(body)) == [
        (f"{prefix}/inner", "json.not_json"),
        (f"{prefix}/loop/again", "json.cycle"),
    ]


def test_lone_surrogates_are_errors_and_do_not_break_the_rust_engine(validator: Validator) -> None:
    # not valid Unicode: no UTF-8 encoder takes them, so the body could never be sent
    report = validator.check(minimal(first_name="Ad\ud800a", gender="\ud800"))
    assert pairs(report) == [
        ("/candidate/first_name", "string.invalid_unicode"),
        ("/candidate/gender", "string.invalid_unicode"),
    ]


def test_none_for_an_all_of_optional_is_dropped(validator: Validator) -> None:
    report = validator.check({**minimal(), "remote_fields": None})
    assert report.ok and report.body == minimal()
    assert [c.path for c in report.changes] == ["/remote_fields"]


def test_shared_sub_objects_cannot_explode(validator: Validator) -> None:
    # 2**40 paths through 40 shared lists: refused once the free-form budget is spent
    from kombo_validate.context import MAX_CONTAINERS

    node: Any = "leaf"
    for _ in range(40):
        node = [node, node]
    body = {**minimal(), "remote_fields": {"lever": {"candidate": {"x": node}}}}
    report = validator.check(body)
    codes = [code for _, code in pairs(report)]
    assert codes == ["json.too_large"]
    assert str(f"{MAX_CONTAINERS:,}") in report.errors[0].message
