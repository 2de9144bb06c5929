"""The normaliser: every normalisation comes back as a Change, and the wire body is JSON."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import enum
import json
from typing import Any

import pytest

from kombo_validate import Change, Validator
from kombo_validate.issues import REMOVED

from .helpers import minimal, pairs, with_attachment

UTC = dt.timezone.utc


def one_change(validator: Validator, body: dict[str, Any]) -> tuple[Change, dict[str, Any]]:
    report = validator.check(body)
    assert report.ok, report.issues
    assert len(report.changes) == 1, report.changes
    assert report.body is not None
    json.dumps(report.body, allow_nan=False)
    return report.changes[0], report.body


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (dt.date(2021, 1, 1), "2021-01-01"),
        (dt.datetime(2021, 1, 1, 12, 30, tzinfo=UTC), "2021-01-01T12:30:00Z"),
        (dt.datetime(2021, 1, 1, 12, 30, 0, 250, tzinfo=UTC), "2021-01-01T12:30:00.000250Z"),
        (
            dt.datetime(2021, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2020-12-31T23:00:00Z",
        ),
        ("2021-01-01T10:00:00+02:00", "2021-01-01T08:00:00Z"),
        ("2021-01-01T00:30:00-01:30", "2021-01-01T02:00:00Z"),
        ("2021-06-01T10:00:00.5+00:00", "2021-06-01T10:00:00.500000Z"),
    ],
)
def test_dates(validator: Validator, value: Any, wire: str) -> None:
    change, body = one_change(validator, minimal(availability_date=value))
    assert change.path == "/candidate/availability_date"
    assert change.before == value and change.after == wire
    assert body["candidate"]["availability_date"] == wire


def test_naive_datetime_is_an_error(validator: Validator) -> None:
    report = validator.check(minimal(availability_date=dt.datetime(2021, 1, 1, 9)))
    assert pairs(report) == [("/candidate/availability_date", "date.naive_datetime")]


def test_offset_string_that_is_not_a_date(validator: Validator) -> None:
    report = validator.check(minimal(availability_date="2021-02-30T10:00:00+02:00"))
    assert pairs(report) == [("/candidate/availability_date", "date.invalid")]


def test_date_answer_object(validator: Validator) -> None:
    body = {
        **minimal(),
        "screening_question_answers": [{"question_id": "q", "answer": dt.date(2020, 5, 17)}],
    }
    change, wire = one_change(validator, body)
    assert change.path == "/screening_question_answers/0/answer"
    assert wire["screening_question_answers"][0]["answer"] == "2020-05-17"


@pytest.mark.parametrize(
    ("value", "code"),
    [("de", "DE"), ("DEU", "DE"), ("Germany", "DE"), ("usa", "US"), ("Norway", "NO")],
)
def test_countries(validator: Validator, value: str, code: str) -> None:
    change, body = one_change(validator, minimal(location={"country": value}))
    assert (change.path, change.before, change.after) == (
        "/candidate/location/country",
        value,
        code,
    )
    assert body["candidate"]["location"]["country"] == code


@pytest.mark.parametrize(
    ("path", "body", "after"),
    [
        ("/candidate/gender", minimal(gender="female"), "FEMALE"),
        (
            "/candidate/salary_expectations/period",
            minimal(salary_expectations={"period": "year", "amount": 1}),
            "YEAR",
        ),
        (
            "/attachments/0/type",
            with_attachment(type="cover_letter", data_url="https://x.example/a"),
            "COVER_LETTER",
        ),
        (
            "/candidate/additional_phone_numbers/0/type",
            minimal(additional_phone_numbers=[{"type": "Work", "phone_number": "1"}]),
            "WORK",
        ),
    ],
)
def test_enums_case_insensitive(
    validator: Validator, path: str, body: dict[str, Any], after: str
) -> None:
    change, _ = one_change(validator, body)
    assert (change.path, change.after) == (path, after)


@pytest.mark.parametrize(
    ("value", "after"),
    [(" ada@example.com ", "ada@example.com"), ("Ada@Example.COM", "Ada@example.com")],
)
def test_emails(validator: Validator, value: str, after: str) -> None:
    change, _body = one_change(validator, minimal(email_address=value))
    assert (change.path, change.before, change.after) == ("/candidate/email_address", value, after)


B64 = base64.b64encode(b"Hello, Kombo").decode()


def test_content_type_lowercased_parameters_dropped(validator: Validator) -> None:
    change, _body = one_change(
        validator, with_attachment(data=B64, content_type="Text/Plain; charset=utf-8")
    )
    assert (change.path, change.after) == ("/attachments/0/content_type", "text/plain")


def test_content_type_inferred_from_name(validator: Validator) -> None:
    change, body = one_change(validator, with_attachment(name="Resume.pdf", data=B64))
    assert (change.path, change.before, change.after) == (
        "/attachments/0/content_type",
        None,
        "application/pdf",
    )
    assert body["attachments"][0]["content_type"] == "application/pdf"


def test_data_uri_stripped_and_content_type_taken(validator: Validator) -> None:
    report = validator.check(with_attachment(name="blob", data=f"data:image/png;base64,{B64}"))
    assert report.ok and report.body is not None
    att = report.body["attachments"][0]
    assert att["data"] == B64 and att["content_type"] == "image/png"
    assert [(c.path, c.reason) for c in report.changes] == [
        ("/attachments/0/data", "data: URI prefix stripped"),
        ("/attachments/0/content_type", "content type taken from the data: URI"),
    ]


def test_data_uri_without_base64_is_an_error(validator: Validator) -> None:
    report = validator.check(with_attachment(name="a.txt", data="data:text/plain,hello"))
    assert pairs(report) == [("/attachments/0/data", "attachment.base64_invalid")]


@pytest.mark.parametrize(
    "raw", [b"Hello, Kombo", bytearray(b"Hello, Kombo"), memoryview(b"Hello, Kombo")]
)
def test_bytes_become_base64(validator: Validator, raw: Any) -> None:
    change, body = one_change(validator, with_attachment(data=raw, content_type="text/plain"))
    assert change.path == "/attachments/0/data" and change.after == B64
    assert body["attachments"][0]["data"] == B64


def test_wrapped_base64_unwrapped(validator: Validator) -> None:
    data = base64.encodebytes(bytes(range(200))).decode()  # MIME: a line break every 76 chars
    change, body = one_change(validator, with_attachment(data=data, content_type="application/pdf"))
    assert change.path == "/attachments/0/data"
    assert body["attachments"][0]["data"] == base64.b64encode(bytes(range(200))).decode()


def test_none_for_optional_is_dropped(validator: Validator) -> None:
    change, body = one_change(validator, minimal(phone_number=None))
    assert (change.path, change.before, change.after) == ("/candidate/phone_number", None, REMOVED)
    assert change.removed and repr(change.after) == "<removed>"
    assert change.to_dict() == {
        "path": "/candidate/phone_number",
        "before": None,
        "after": None,
        "reason": change.reason,
        "removed": True,
    }
    assert "phone_number" not in body["candidate"]


def test_none_for_required_is_an_error(validator: Validator) -> None:
    assert pairs(validator.check(minimal(email_address=None))) == [
        ("/candidate/email_address", "schema.type")
    ]


def test_none_kept_where_the_spec_allows_null(validator: Validator) -> None:
    body = {**minimal(), "remote_fields": {"successfactors": {"update_existing_candidate": None}}}
    report = validator.check(body)
    assert report.ok and report.changes == ()
    assert report.body is not None
    assert report.body["remote_fields"]["successfactors"]["update_existing_candidate"] is None


def test_tuples_become_lists(validator: Validator) -> None:
    change, body = one_change(validator, minimal(social_links=({"url": "https://example.com/a"},)))
    assert change.path == "/candidate/social_links" and change.reason == "tuple converted to list"
    assert body["candidate"]["social_links"] == [{"url": "https://example.com/a"}]


class Gender(str, enum.Enum):
    FEMALE = "FEMALE"


def test_str_subclass_becomes_str(validator: Validator) -> None:
    change, body = one_change(validator, minimal(gender=Gender.FEMALE))
    assert change.path == "/candidate/gender"
    assert type(body["candidate"]["gender"]) is str and body["candidate"]["gender"] == "FEMALE"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/candidate/salary_expectations/amount",
            minimal(salary_expectations={"period": "YEAR", "amount": "100000"}),
        ),
        ("/candidate/first_name", minimal(first_name=12)),
        ("/gdpr_consent/given", {**minimal(), "gdpr_consent": {"given": "true"}}),
    ],
)
def test_never_coerced(validator: Validator, path: str, body: dict[str, Any]) -> None:
    report = validator.check(body)
    assert pairs(report) == [(path, "schema.type")]
    assert report.body is None


def test_boolean_answer_yes_is_kept_as_a_string(validator: Validator) -> None:
    body = {**minimal(), "screening_question_answers": [{"question_id": "q", "answer": "yes"}]}
    report = validator.check(body)
    assert report.ok and report.changes == ()


def test_key_order_follows_the_input(validator: Validator) -> None:
    body = {"stage_id": "s", **minimal(location={"country": "de", "city": "Berlin"})}
    report = validator.check(body)
    assert report.body is not None
    assert list(report.body) == ["stage_id", "candidate"]
    assert list(report.body["candidate"]["location"]) == ["country", "city"]


def test_idempotent_and_input_untouched(validator: Validator) -> None:
    body = minimal(
        gender="male", location={"country": "Germany"}, availability_date=dt.date(2022, 3, 1)
    )
    body["attachments"] = [{"name": "cv.pdf", "type": "cv", "data": b"%PDF"}]
    before = copy.deepcopy(body)
    report = validator.check(body)
    assert body == before
    assert report.ok and report.body is not None
    again = validator.check(report.body)
    assert again.changes == () and again.body == report.body
